// The XML character check and the UTF-8 <-> CP932 conversion the Shift_JIS result
// files need. UTF-8 itself is base's (kakunin/base/utf8.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::handoff {

// True for a character XML 1.0 allows in content (no C0 controls but tab, LF, CR;
// no U+FFFE/U+FFFF).
bool is_xml_char(char32_t code_point);

struct Converted {
  std::string bytes;
  // Empty on success. Otherwise English and free of personal data: the 1-based
  // position of the first character that has no mapping, never the character.
  std::string error;
  bool ok() const { return error.empty(); }
};

// UTF-8 -> CP932 (Windows Shift_JIS, what Windows receipt computers read) with glibc
// iconv. A character CP932 cannot hold is an error, never a silent replacement.
Converted utf8_to_cp932(std::string_view utf8);
// CP932 -> UTF-8, for reading files back (tests, tools).
Converted cp932_to_utf8(std::string_view cp932);

}  // namespace kakunin::handoff
