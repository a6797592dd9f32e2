// A strict CBOR (RFC 8949) decoder for JHC1 (spec §2).
//
// Written by hand because the decoders packaged in Debian 12 (libcbor 0.8,
// tinycbor) accept indefinite lengths and duplicate map keys, and libcbor
// recurses without a depth bound; wrapping them would mean walking their trees a
// second time to re-check what they should have refused.
//
// Refused as malformed: anything not well-formed, indefinite lengths, nesting of
// arrays and maps deeper than 16 (the top-level array or map is depth 1), more
// than 16 nested tags, duplicate map keys (equal by value as RFC 8949 §5.6 compares
// them, see below), text strings that are not valid UTF-8, reserved
// simple/additional-info values, more than kMaxItems items in one decode, and any
// bytes after the top item. Items are views into the input buffer: no copies.
//
// Memory is bounded by what the bytes hold, never by what they announce: a
// container's count is only checked against the bytes left (every item takes at
// least one), and its children are appended as they are read, so a head that
// announces 2^32 items allocates nothing before the input runs out. The item
// budget bounds the tree itself: no JHC1 object comes near it (a QR inflates to
// at most 8192 bytes, a list's COSE and revocation payload hold a few dozen items,
// its ids are one bstr), so every decode costs at most kMaxItems * sizeof(Item).
//
// Key equality (RFC 8949 §5.6 and the extended generic data model of §3.4.3):
// integers by value, whatever their width, and bignums (tags 2 and 3 on a byte
// string) as the integers they denote, leading zero bytes or not; floats by value,
// whatever their precision (compared as the exactly widened binary64, so -0.0 and
// 0.0 stay two keys, and NaNs are equal when their widened bits are); text strings
// and byte strings by content (never equal to each other); simple values by value;
// arrays, maps (as sets of pairs) and other tags element by element with the same
// rules. Integers and floats are different keys (1 and 1.0), as in RFC 8949.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::crypto::cbor {

inline constexpr int kMaxDepth = 16;
inline constexpr std::size_t kMaxItems = 65536;

enum class Type { unsigned_int, negative_int, bytes, text, array, map, tag, simple, floating };

struct Item {
  Type type = Type::simple;
  // unsigned_int: the value; negative_int: n of -1-n; tag: the tag number;
  // simple: the simple value (20 false, 21 true, 22 null, 23 undefined).
  std::uint64_t value = 0;
  double float_value = 0;
  ByteView content;            // bytes / text content
  ByteView encoded;            // the whole encoding of this item
  std::vector<Item> children;  // array items; map keys and values interleaved; tag content

  bool is_int() const { return type == Type::unsigned_int || type == Type::negative_int; }
  // The integer value when it fits in int64.
  std::optional<std::int64_t> as_int64() const;
  std::optional<std::string_view> as_text() const;
  std::optional<ByteView> as_bytes() const;
  std::optional<bool> as_bool() const;
  std::size_t map_size() const { return children.size() / 2; }
  const Item& map_key(std::size_t i) const { return children[2 * i]; }
  const Item& map_value(std::size_t i) const { return children[2 * i + 1]; }
  // Map look-ups by integer or text key; nullptr when absent.
  const Item* find(std::int64_t key) const;
  const Item* find(std::string_view key) const;
};

struct DecodeError {
  std::string message;
};

// Decodes exactly one item spanning the whole buffer.
std::optional<Item> decode(ByteView data, DecodeError* error = nullptr);

// Encodes a CBOR head (major type 0..7 with argument) in shortest form.
void append_head(Bytes& out, int major, std::uint64_t argument);

}  // namespace kakunin::crypto::cbor
