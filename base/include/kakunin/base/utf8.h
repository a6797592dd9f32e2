// UTF-8, strictly: well-formed means no overlong forms, no surrogates (U+D800 to
// U+DFFF), nothing above U+10FFFF and no truncated sequence (RFC 3629).
//
//   if (!base::is_valid_utf8(text)) return refuse("not UTF-8");
//   std::optional<std::u32string> code_points = base::decode_utf8(text);  // nullopt: ill-formed
//   std::u32string shown = base::decode_utf8_lossy(text);  // each bad byte -> U+FFFD (screens)
//   std::string out = base::encode_utf8(U"ｶﾅ");
//   base::append_utf8(out, U'ﾞ');
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kakunin::base {

bool is_valid_utf8(std::string_view text);
bool is_valid_utf8(std::span<const std::uint8_t> bytes);

std::optional<std::u32string> decode_utf8(std::string_view text);
// For text that must be shown whatever it holds: every byte that does not start a
// well-formed sequence becomes one U+FFFD REPLACEMENT CHARACTER.
std::u32string decode_utf8_lossy(std::string_view text);

// `code_point` must be a Unicode scalar value (not a surrogate, at most U+10FFFF);
// anything else is appended as U+FFFD.
void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view text);

}  // namespace kakunin::base
