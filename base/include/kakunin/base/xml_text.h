// XML documents written by hand — the hand-off's result file, the simulated
// terminal's answers, the online check's request — escaped and encoded in one
// place. By hand because they are small, flat and fixed, and what matters is here:
// escaping, and refusing (never replacing) what XML or CP932 cannot carry.
//
//   base::Result<std::string> text = base::xml_escaped(value, "InsuredCardSymbol");
//   if (!text.ok()) fail(text.error().message);  // "InsuredCardSymbol: character 3 cannot ..."
//
//   base::XmlWriter xml(base::XmlWriter::Encoding::cp932);  // <?xml ... encoding="Shift_JIS"...?>
//   xml.open("XmlMsg"); xml.leaf("Name", name); xml.close("XmlMsg");
//   base::Result<std::string> bytes = std::move(xml).finish();  // or the first value refused
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

// An indented document of elements and text leaves, in UTF-8 or CP932 (declared
// Shift_JIS: what Windows receipt computers read). The first leaf that cannot be
// carried is kept as the error, naming the element and the character's position.
class XmlWriter {
 public:
  enum class Encoding { utf8, cp932 };
  explicit XmlWriter(Encoding encoding);  // writes the declaration

  void open(std::string_view name);
  void close(std::string_view name);
  void leaf(std::string_view name, std::string_view utf8_value);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  Result<std::string> finish() &&;

 private:
  void indent();
  void fail(std::string message);

  Encoding encoding_;
  std::string out_;
  std::string error_;
  int depth_ = 0;
};

}  // namespace kakunin::base
