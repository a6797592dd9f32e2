#include "cbor_reader.h"

#include <kakunin/base/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>

namespace kakunin::crypto::cbor {
namespace {

constexpr int kMaxTagNesting = 16;

bool has_duplicate_keys(const Item& map);

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  std::optional<Item> read_top(DecodeError* error) {
    Item item;
    if (!read_item(item, 0, 0) || pos_ != data_.size()) {
      if (error) error->message = error_.empty() ? "CBOR: bytes after the top item" : error_;
      return std::nullopt;
    }
    return item;
  }

 private:
  bool fail(const char* message) {
    if (error_.empty()) error_ = message;
    return false;
  }

  std::size_t remaining() const { return data_.size() - pos_; }

  bool read_argument(std::uint8_t additional, std::uint64_t& argument) {
    if (additional < 24) {
      argument = additional;
      return true;
    }
    if (additional > 27) {
      return fail(additional == 31 ? "CBOR: indefinite length"
                                   : "CBOR: reserved additional information");
    }
    const std::size_t width = std::size_t{1} << (additional - 24);
    if (remaining() < width) return fail("CBOR: truncated head");
    argument = 0;
    for (std::size_t i = 0; i < width; ++i) argument = (argument << 8) | data_[pos_ + i];
    pos_ += width;
    return true;
  }

  bool read_item(Item& item, int depth, int tag_nesting) {
    const std::size_t start = pos_;
    if (remaining() == 0) return fail("CBOR: truncated item");
    if (items_left_ == 0) return fail("CBOR: more items than a JHC1 object holds");
    --items_left_;
    const std::uint8_t initial = data_[pos_++];
    const int major = initial >> 5;
    const std::uint8_t additional = initial & 0x1f;

    if (major == 7) {
      if (!read_simple_or_float(item, additional)) return false;
    } else {
      std::uint64_t argument = 0;
      if (!read_argument(additional, argument)) return false;
      item.value = argument;
      switch (major) {
        case 0:
          item.type = Type::unsigned_int;
          break;
        case 1:
          item.type = Type::negative_int;
          break;
        case 2:
        case 3:
          if (!read_string(item, major, argument)) return false;
          break;
        case 4:
        case 5:
          if (!read_container(item, major, argument, depth + 1)) return false;
          break;
        case 6:
          item.type = Type::tag;
          if (tag_nesting + 1 > kMaxTagNesting) return fail("CBOR: tags nested too deep");
          item.children.emplace_back();
          if (!read_item(item.children.back(), depth, tag_nesting + 1)) return false;
          break;
      }
    }
    item.encoded = data_.subspan(start, pos_ - start);
    return true;
  }

  bool read_simple_or_float(Item& item, std::uint8_t additional) {
    if (additional < 24) {
      item.type = Type::simple;
      item.value = additional;
      return true;
    }
    if (additional == 24) {
      if (remaining() < 1) return fail("CBOR: truncated simple value");
      const std::uint8_t value = data_[pos_++];
      if (value < 32) return fail("CBOR: simple value in two bytes below 32");
      item.type = Type::simple;
      item.value = value;
      return true;
    }
    if (additional == 31) return fail("CBOR: indefinite length (break)");
    if (additional > 27) return fail("CBOR: reserved additional information");
    std::uint64_t bits = 0;
    if (!read_argument(additional, bits)) return false;
    item.type = Type::floating;
    item.value = bits;
    item.float_value = decode_float(additional, bits);
    return true;
  }

  static double decode_float(std::uint8_t additional, std::uint64_t bits) {
    if (additional == 27) {
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    if (additional == 26) {
      const auto narrow = static_cast<std::uint32_t>(bits);
      float f;
      std::memcpy(&f, &narrow, sizeof f);
      return f;
    }
    // Half precision (RFC 8949 Appendix D).
    const int exponent = static_cast<int>((bits >> 10) & 0x1f);
    const int mantissa = static_cast<int>(bits & 0x3ff);
    double value;
    if (exponent == 0) {
      value = std::ldexp(mantissa, -24);
    } else if (exponent != 31) {
      value = std::ldexp(mantissa + 1024, exponent - 25);
    } else {
      value = mantissa == 0 ? HUGE_VAL : NAN;
    }
    return (bits & 0x8000) ? -value : value;
  }

  bool read_string(Item& item, int major, std::uint64_t length) {
    if (length > remaining()) return fail("CBOR: string longer than the input");
    item.type = major == 2 ? Type::bytes : Type::text;
    item.content = data_.subspan(pos_, static_cast<std::size_t>(length));
    pos_ += static_cast<std::size_t>(length);
    if (item.type == Type::text && !base::is_valid_utf8(item.content)) {
      return fail("CBOR: text string is not valid UTF-8");
    }
    return true;
  }

  bool read_container(Item& item, int major, std::uint64_t count, int depth) {
    if (depth > kMaxDepth) return fail("CBOR: nesting deeper than 16");
    item.type = major == 4 ? Type::array : Type::map;
    // Every child takes at least one byte: a count beyond the input is refused at
    // once. Within it, children are appended as they are read (no reservation for
    // the announced count), so memory follows the items really present.
    const std::uint64_t children = major == 4 ? count : count * 2;
    if (count > remaining() || children > remaining()) {
      return fail("CBOR: more items than bytes left");
    }
    for (std::uint64_t i = 0; i < children; ++i) {
      item.children.emplace_back();
      if (!read_item(item.children.back(), depth, 0)) return false;
    }
    if (item.type == Type::map && has_duplicate_keys(item)) return fail("CBOR: duplicate map key");
    return true;
  }

  ByteView data_;
  std::size_t pos_ = 0;
  std::size_t items_left_ = kMaxItems;
  std::string error_;
};

// ------------------------------------------------------------- key values --
// A map key reduced to its value (header comment: "Key equality"), so that two
// encodings of one value compare equal. Strings and bignum magnitudes stay views
// into the input; numbers and compound keys are written out into `owned`.

enum class KeyKind : std::uint8_t {
  positive,  // unsigned int or tag 2 bignum: big-endian magnitude, no leading zeros
  negative,  // negative int or tag 3 bignum: n of -1-n, big-endian, no leading zeros
  bytes,
  text,
  floating,  // the exactly widened binary64 bits, big-endian
  simple,
  array,  // members written out in order
  map,    // pairs written out, sorted
  tag,    // tag number, then the content written out
};

struct KeyValue {
  KeyKind kind;
  std::string owned;
  ByteView view;
  std::string_view bytes() const {
    if (!owned.empty()) return owned;
    return {reinterpret_cast<const char*>(view.data()), view.size()};
  }
  bool operator<(const KeyValue& other) const {
    if (kind != other.kind) return kind < other.kind;
    return bytes() < other.bytes();
  }
  bool operator==(const KeyValue& other) const {
    return kind == other.kind && bytes() == other.bytes();
  }
};

std::string fixed_width_big_endian(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, value >>= 8)
    out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xFF);
  return out;
}

std::string minimal_big_endian(std::uint64_t value) {
  std::string out = fixed_width_big_endian(value);
  return out.substr(std::min(out.find_first_not_of('\0'), out.size()));
}

ByteView strip_leading_zeros(ByteView magnitude) {
  std::size_t zeros = 0;
  while (zeros < magnitude.size() && magnitude[zeros] == 0) ++zeros;
  return magnitude.subspan(zeros);
}

// The binary64 a half or single float widens to, bit for bit. NaN payloads are
// shifted into place by hand: a hardware conversion would quieten a signalling NaN.
std::uint64_t widened_float_bits(const Item& item) {
  const std::uint64_t bits = item.value;
  const std::size_t width = item.encoded.size() - 1;
  if (width == 8) return bits;
  const int mantissa_bits = width == 2 ? 10 : 23;
  const int exponent_bits = width == 2 ? 5 : 8;
  const std::uint64_t sign = (bits >> (mantissa_bits + exponent_bits)) & 1;
  const std::uint64_t exponent = (bits >> mantissa_bits) & ((1u << exponent_bits) - 1);
  const std::uint64_t mantissa = bits & ((std::uint64_t{1} << mantissa_bits) - 1);
  if (exponent == (1u << exponent_bits) - 1) {  // infinity or NaN
    return (sign << 63) | (std::uint64_t{0x7FF} << 52) | (mantissa << (52 - mantissa_bits));
  }
  std::uint64_t widened;  // finite: the conversion is exact
  std::memcpy(&widened, &item.float_value, sizeof widened);
  return widened;
}

bool is_bignum(const Item& item) {
  return item.type == Type::tag && (item.value == 2 || item.value == 3) &&
         item.children[0].type == Type::bytes;
}

KeyValue key_value(const Item& key);

// Kind, length and bytes: two written-out compounds are equal exactly when their
// members are equal, member for member.
void append_member(std::string& out, const Item& member) {
  const KeyValue value = key_value(member);
  out.push_back(static_cast<char>(value.kind));
  out += fixed_width_big_endian(value.bytes().size());
  out += value.bytes();
}

std::string written_out_compound(const Item& key) {
  std::string out;
  if (key.type == Type::tag) {
    out = fixed_width_big_endian(key.value);
    append_member(out, key.children[0]);
  } else if (key.type == Type::array) {
    for (const Item& child : key.children) append_member(out, child);
  } else {  // a map: a set of pairs, so the order of the pairs does not count
    std::vector<std::string> pairs;
    for (std::size_t i = 0; i < key.map_size(); ++i) {
      std::string pair;
      append_member(pair, key.map_key(i));
      append_member(pair, key.map_value(i));
      pairs.push_back(std::move(pair));
    }
    std::sort(pairs.begin(), pairs.end());
    for (const auto& pair : pairs) out += pair;
  }
  return out;
}

KeyValue key_value(const Item& key) {
  switch (key.type) {
    case Type::unsigned_int:
      return {KeyKind::positive, minimal_big_endian(key.value), {}};
    case Type::negative_int:
      return {KeyKind::negative, minimal_big_endian(key.value), {}};
    case Type::bytes:
      return {KeyKind::bytes, {}, key.content};
    case Type::text:
      return {KeyKind::text, {}, key.content};
    case Type::floating:
      return {KeyKind::floating, fixed_width_big_endian(widened_float_bits(key)), {}};
    case Type::simple:
      return {KeyKind::simple, std::string(1, static_cast<char>(key.value)), {}};
    case Type::array:
      return {KeyKind::array, written_out_compound(key), {}};
    case Type::map:
      return {KeyKind::map, written_out_compound(key), {}};
    case Type::tag:
      if (is_bignum(key)) {
        return {key.value == 2 ? KeyKind::positive : KeyKind::negative,
                {},
                strip_leading_zeros(key.children[0].content)};
      }
      return {KeyKind::tag, written_out_compound(key), {}};
  }
  return {KeyKind::simple, {}, {}};
}

bool has_duplicate_keys(const Item& map) {
  std::vector<KeyValue> keys;
  keys.reserve(map.map_size());  // the pairs are already read: no announced count here
  for (std::size_t i = 0; i < map.map_size(); ++i) keys.push_back(key_value(map.map_key(i)));
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

}  // namespace

std::optional<std::int64_t> Item::as_int64() const {
  if (type == Type::unsigned_int) {
    if (value > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(value);
  }
  if (type == Type::negative_int) {
    if (value > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return -1 - static_cast<std::int64_t>(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Item::as_text() const {
  if (type != Type::text) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(content.data()), content.size());
}

std::optional<ByteView> Item::as_bytes() const {
  if (type != Type::bytes) return std::nullopt;
  return content;
}

std::optional<bool> Item::as_bool() const {
  if (type == Type::simple && (value == 20 || value == 21)) return value == 21;
  return std::nullopt;
}

const Item* Item::find(std::int64_t key) const {
  if (type != Type::map) return nullptr;
  for (std::size_t i = 0; i < map_size(); ++i) {
    if (map_key(i).as_int64() == key) return &map_value(i);
  }
  return nullptr;
}

const Item* Item::find(std::string_view key) const {
  if (type != Type::map) return nullptr;
  for (std::size_t i = 0; i < map_size(); ++i) {
    if (map_key(i).as_text() == key) return &map_value(i);
  }
  return nullptr;
}

std::optional<Item> decode(ByteView data, DecodeError* error) {
  return Reader(data).read_top(error);
}

void append_head(Bytes& out, int major, std::uint64_t argument) {
  const auto type = static_cast<std::uint8_t>(major << 5);
  if (argument < 24) {
    out.push_back(static_cast<std::uint8_t>(type | argument));
    return;
  }
  int width;
  std::uint8_t additional;
  if (argument <= 0xFF) {
    width = 1, additional = 24;
  } else if (argument <= 0xFFFF) {
    width = 2, additional = 25;
  } else if (argument <= 0xFFFFFFFF) {
    width = 4, additional = 26;
  } else {
    width = 8, additional = 27;
  }
  out.push_back(static_cast<std::uint8_t>(type | additional));
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(argument >> shift));
  }
}

}  // namespace kakunin::crypto::cbor
