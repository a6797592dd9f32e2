// Hex: lower-case encoding, strict decoding.
//
//   std::string id = base::encode_hex(cti);                  // "00ff1a..."
//   auto bytes = base::decode_hex("00ff1a");                 // {0x00, 0xff, 0x1a}
//   crypto::Cti cti;
//   if (!base::decode_hex_into(text, cti)) refuse("cti must be 32 hex digits");
//
// Decoding takes an even number of hex digits (either case) and nothing else: no
// spaces, signs, "0x" or odd lengths.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::base {

std::string encode_hex(std::span<const std::uint8_t> bytes);

std::optional<std::vector<std::uint8_t>> decode_hex(std::string_view text);

// Decodes exactly out.size() bytes; false (and `out` untouched) when `text` is not
// 2 * out.size() hex digits.
[[nodiscard]] bool decode_hex_into(std::string_view text, std::span<std::uint8_t> out);

}  // namespace kakunin::base
