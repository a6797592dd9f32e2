// Character-set conversion with glibc's iconv, in one place: the CP932 result files
// of the hand-off, and the Shift_JIS/Latin-1 guesses of the QR decoders.
//
//   base::Result<std::string> sjis = base::utf8_to_cp932(name);
//   if (!sjis.ok()) return fail(sjis.error().message);  // "no CP932 mapping for character 3"
//
// A character the target cannot hold is an error, never a silent replacement; the
// message gives its position, never the character (it may be personal data).
#pragma once

#include <kakunin/base/result.h>

#include <string>
#include <string_view>

namespace kakunin::base {

// `input` converted from encoding `from` to encoding `to` (iconv names: "UTF-8",
// "CP932", "SHIFT_JIS", "ISO-8859-1"). On failure the message names the 1-based
// position of the first unconvertible input: in characters when `from` is UTF-8
// (and the input is valid UTF-8), in bytes otherwise.
Result<std::string> convert_encoding(std::string_view input, const char* to, const char* from);

// UTF-8 -> CP932 (Windows Shift_JIS, what Windows receipt computers read); input
// that is not well-formed UTF-8 is refused before conversion.
Result<std::string> utf8_to_cp932(std::string_view utf8);
// CP932 -> UTF-8, for reading such files back.
Result<std::string> cp932_to_utf8(std::string_view cp932);

}  // namespace kakunin::base
