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

#include <cstddef>
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

// What the XML declaration at a document's very start says of its encoding: the
// kiosk reading the terminal's answers and the simulated terminal reading the
// kiosk's requests both need it before any parser sees the bytes (CP932 is
// decoded by us, not by libxml2). Strict: `encoding="…"` (or '…') with no space
// around '=', within the first 200 bytes.
struct XmlDeclaredEncoding {
  enum class Kind {
    no_declaration,  // the document does not start with <?xml … ?> (a BOM included)
    no_encoding,     // a declaration without encoding= (XML's default is UTF-8)
    broken,          // encoding= without a quoted value
    utf8,            // "UTF-8", any case
    shift_jis,  // Shift_JIS or an alias Windows writes: shift-jis, sjis, cp932, ms932, windows-31j
    other,
  };
  Kind kind = Kind::no_declaration;
  std::size_t value_at = 0;  // the name's place in the document (utf8, shift_jis, other)
  std::size_t value_size = 0;
};
XmlDeclaredEncoding declared_xml_encoding(std::string_view document);

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
