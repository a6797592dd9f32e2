#include <kakunin/base/utf8.h>
#include <kakunin/base/xml_text.h>

namespace kakunin::base {

bool is_xml_char(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

namespace {

std::string_view entity_for(char32_t cp) {
  switch (cp) {
    case U'&':
      return "&amp;";
    case U'<':
      return "&lt;";
    case U'>':
      return "&gt;";
    case U'"':
      return "&quot;";
    case U'\'':
      return "&apos;";
    default:
      return {};
  }
}

}  // namespace

Result<std::string> xml_escaped(std::string_view utf8, std::string_view what) {
  const auto code_points = decode_utf8(utf8);
  if (!code_points) return Error{std::string(what) + " is not well-formed UTF-8"};
  std::string out;
  out.reserve(utf8.size());
  std::size_t position = 0;
  for (char32_t cp : *code_points) {
    ++position;
    if (const std::string_view entity = entity_for(cp); !entity.empty()) {
      out += entity;
    } else if (is_xml_char(cp)) {
      append_utf8(out, cp);
    } else {
      return Error{std::string(what) + ": character " + std::to_string(position) +
                   " cannot be carried in XML"};
    }
  }
  return out;
}

}  // namespace kakunin::base
