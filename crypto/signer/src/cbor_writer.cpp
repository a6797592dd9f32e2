// The signer's CBOR encoder: deterministic by default, and able to write the
// non-conforming encodings (indefinite lengths, duplicate keys) tests need.
#include <kakunin/signer/signer.h>

#include "cbor_reader.h"

#include <bit>
#include <cstring>

namespace kakunin::signer {
namespace {

using crypto::cbor::append_head;

constexpr std::uint8_t kIndefinite = 31;
constexpr std::uint8_t kBreak = 0xff;

void encode_into(const Cbor& value, Bytes& out);

}  // namespace

Cbor Cbor::integer(std::int64_t value) {
  if (value >= 0) return uint(static_cast<std::uint64_t>(value));
  return negative(static_cast<std::uint64_t>(-(value + 1)));
}

Cbor Cbor::uint(std::uint64_t value) {
  Cbor c;
  c.type_ = Type::unsigned_int;
  c.number_ = value;
  return c;
}

Cbor Cbor::negative(std::uint64_t n) {
  Cbor c;
  c.type_ = Type::negative_int;
  c.number_ = n;
  return c;
}

Cbor Cbor::bytes(ByteView value) {
  Cbor c;
  c.type_ = Type::bytes;
  c.data_.assign(value.begin(), value.end());
  return c;
}

Cbor Cbor::text(std::string_view value) {
  Cbor c;
  c.type_ = Type::text;
  c.data_.assign(value.begin(), value.end());
  return c;
}

Cbor Cbor::array(std::vector<Cbor> items) {
  Cbor c;
  c.type_ = Type::array;
  c.items_ = std::move(items);
  return c;
}

Cbor Cbor::map(std::vector<std::pair<Cbor, Cbor>> entries) {
  Cbor c;
  c.type_ = Type::map;
  c.entries_ = std::move(entries);
  return c;
}

Cbor Cbor::tag(std::uint64_t tag_number, Cbor content) {
  Cbor c;
  c.type_ = Type::tag;
  c.number_ = tag_number;
  c.items_.push_back(std::move(content));
  return c;
}

Cbor Cbor::boolean(bool value) { return simple(value ? 21 : 20); }
Cbor Cbor::null() { return simple(22); }

Cbor Cbor::simple(std::uint8_t value) {
  Cbor c;
  c.type_ = Type::simple;
  c.number_ = value;
  return c;
}

Cbor Cbor::float64(double value) {
  Cbor c;
  c.type_ = Type::float64;
  c.float_ = value;
  return c;
}

Cbor& Cbor::set(Cbor key, Cbor value) {
  for (auto& entry : entries_) {
    if (entry.first == key) {
      entry.second = std::move(value);
      return *this;
    }
  }
  return append(std::move(key), std::move(value));
}

Cbor& Cbor::append(Cbor key, Cbor value) {
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Cbor& Cbor::erase(const Cbor& key) {
  std::erase_if(entries_, [&](const auto& entry) { return entry.first == key; });
  return *this;
}

Cbor& Cbor::push(Cbor item) {
  items_.push_back(std::move(item));
  return *this;
}

Cbor& Cbor::with_indefinite_length(bool on) {
  indefinite_ = on;
  return *this;
}

bool Cbor::operator==(const Cbor& other) const {
  return type_ == other.type_ && number_ == other.number_ &&
         std::bit_cast<std::uint64_t>(float_) == std::bit_cast<std::uint64_t>(other.float_) &&
         data_ == other.data_ && items_ == other.items_ && entries_ == other.entries_ &&
         indefinite_ == other.indefinite_;
}

Bytes Cbor::encode() const {
  Bytes out;
  encode_into(*this, out);
  return out;
}

namespace {

void encode_into(const Cbor& value, Bytes& out) {
  const Cbor& v = value;
  const bool indefinite = v.encode_indefinite();
  switch (v.type()) {
    case Cbor::Type::unsigned_int:
      append_head(out, 0, v.number());
      break;
    case Cbor::Type::negative_int:
      append_head(out, 1, v.number());
      break;
    case Cbor::Type::bytes:
    case Cbor::Type::text: {
      const int major = v.type() == Cbor::Type::bytes ? 2 : 3;
      if (indefinite) out.push_back(static_cast<std::uint8_t>(major << 5 | kIndefinite));
      append_head(out, major, v.data().size());
      out.insert(out.end(), v.data().begin(), v.data().end());
      if (indefinite) out.push_back(kBreak);
      break;
    }
    case Cbor::Type::array:
      if (indefinite) {
        out.push_back(4 << 5 | kIndefinite);
      } else {
        append_head(out, 4, v.items().size());
      }
      for (const auto& item : v.items()) encode_into(item, out);
      if (indefinite) out.push_back(kBreak);
      break;
    case Cbor::Type::map:
      if (indefinite) {
        out.push_back(5 << 5 | kIndefinite);
      } else {
        append_head(out, 5, v.entries().size());
      }
      for (const auto& [key, entry] : v.entries()) {
        encode_into(key, out);
        encode_into(entry, out);
      }
      if (indefinite) out.push_back(kBreak);
      break;
    case Cbor::Type::tag:
      append_head(out, 6, v.number());
      encode_into(v.items().at(0), out);
      break;
    case Cbor::Type::simple:
      if (v.number() < 24) {
        out.push_back(static_cast<std::uint8_t>(0xe0 | v.number()));
      } else {
        out.push_back(0xf8);
        out.push_back(static_cast<std::uint8_t>(v.number()));
      }
      break;
    case Cbor::Type::float64: {
      std::uint64_t bits;
      const double d = v.float_value();
      std::memcpy(&bits, &d, sizeof bits);
      out.push_back(0xfb);
      for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(bits >> shift));
      break;
    }
  }
}

}  // namespace
}  // namespace kakunin::signer
