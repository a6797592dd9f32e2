// The XML character check the result files need. Character-set conversion (the
// CP932 of Shift_JIS result files) is base's (kakunin/base/text_encoding.h), UTF-8
// itself too (kakunin/base/utf8.h).
#pragma once

namespace kakunin::handoff {

// True for a character XML 1.0 allows in content (no C0 controls but tab, LF, CR;
// no U+FFFE/U+FFFF).
bool is_xml_char(char32_t code_point);

}  // namespace kakunin::handoff
