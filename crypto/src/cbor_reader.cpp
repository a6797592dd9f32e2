#include "cbor_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>

namespace kakunin::crypto::cbor {
namespace {

constexpr int kMaxTagNesting = 16;

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
      return fail(additional == 31 ? "CBOR: indefinite length" : "CBOR: reserved additional information");
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
        case 0: item.type = Type::unsigned_int; break;
        case 1: item.type = Type::negative_int; break;
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
          item.children.resize(1);
          if (!read_item(item.children[0], depth, tag_nesting + 1)) return false;
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
    if (item.type == Type::text && !is_valid_utf8(item.content)) {
      return fail("CBOR: text string is not valid UTF-8");
    }
    return true;
  }

  bool read_container(Item& item, int major, std::uint64_t count, int depth) {
    if (depth > kMaxDepth) return fail("CBOR: nesting deeper than 16");
    item.type = major == 4 ? Type::array : Type::map;
    const std::uint64_t children = major == 4 ? count : count * 2;
    // Every child takes at least one byte: a count beyond the input is refused
    // before anything is allocated for it.
    if (count > remaining() || children > remaining()) {
      return fail("CBOR: more items than bytes left");
    }
    item.children.resize(static_cast<std::size_t>(children));
    for (auto& child : item.children) {
      if (!read_item(child, depth, 0)) return false;
    }
    if (item.type == Type::map && has_duplicate_keys(item)) return fail("CBOR: duplicate map key");
    return true;
  }

  // Keys compare by value: type, then number or content. Containers and tags as
  // keys compare by their encoding (JHC1 never uses them as keys).
  static bool has_duplicate_keys(const Item& map) {
    auto key_of = [](const Item& key) {
      const bool compound = key.type == Type::array || key.type == Type::map || key.type == Type::tag;
      const ByteView bytes = compound ? key.encoded : key.content;
      const std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      return std::make_tuple(static_cast<int>(key.type), compound ? 0 : key.value, view);
    };
    std::vector<decltype(key_of(map.children[0]))> keys;
    keys.reserve(map.map_size());
    for (std::size_t i = 0; i < map.map_size(); ++i) keys.push_back(key_of(map.map_key(i)));
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
  }

  ByteView data_;
  std::size_t pos_ = 0;
  std::string error_;
};

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

bool is_valid_utf8(ByteView bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = bytes[i];
    std::size_t length;
    std::uint32_t code;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (bytes.size() - i < length) return false;
    for (std::size_t j = 1; j < length; ++j) {
      const std::uint8_t next = bytes[i + j];
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;  // overlong, out of range, or a surrogate
    }
    i += length;
  }
  return true;
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
