// Text for XML documents written by hand (the hand-off's result file, the online
// check's request), escaped in one place.
//
//   base::Result<std::string> text = base::xml_escaped(value, "InsuredCardSymbol");
//   if (!text.ok()) fail(text.error().message);  // "InsuredCardSymbol: character 3 cannot ..."
#pragma once

#include <kakunin/base/result.h>

#include <string>
#include <string_view>

namespace kakunin::base {

// True for a character XML 1.0 allows in content (no C0 controls but tab, LF, CR;
// no surrogates, no U+FFFE/U+FFFF).
bool is_xml_char(char32_t code_point);

// `utf8` with & < > " ' escaped, for element content or attribute values. Fails,
// naming `what` and the 1-based character position (never the text: it may be
// personal data), on ill-formed UTF-8 or a character XML cannot carry.
Result<std::string> xml_escaped(std::string_view utf8, std::string_view what);

}  // namespace kakunin::base
