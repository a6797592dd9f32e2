#include <kakunin/base/text_encoding.h>
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

namespace {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

XmlDeclaredEncoding::Kind encoding_named(std::string_view name) {
  using Kind = XmlDeclaredEncoding::Kind;
  const std::string e = lower_ascii(name);
  if (e == "utf-8") return Kind::utf8;
  for (const char* alias : {"shift_jis", "shift-jis", "sjis", "windows-31j", "cp932", "ms932"}) {
    if (e == alias) return Kind::shift_jis;
  }
  return Kind::other;
}

}  // namespace

XmlDeclaredEncoding declared_xml_encoding(std::string_view document) {
  using Kind = XmlDeclaredEncoding::Kind;
  constexpr std::size_t kLongestDeclaration = 200;
  if (!document.starts_with("<?xml")) return {Kind::no_declaration};
  const std::size_t end = document.find("?>");
  if (end == std::string_view::npos || end > kLongestDeclaration) return {Kind::no_declaration};
  const std::string_view declaration = document.substr(0, end);
  constexpr std::string_view kKey = "encoding=";
  const std::size_t key = declaration.find(kKey);
  if (key == std::string_view::npos) return {Kind::no_encoding};
  const std::size_t quote_at = key + kKey.size();
  if (quote_at >= declaration.size()) return {Kind::broken};
  const char quote = declaration[quote_at];
  const std::size_t close = declaration.find(quote, quote_at + 1);
  if ((quote != '"' && quote != '\'') || close == std::string_view::npos) return {Kind::broken};
  const std::size_t at = quote_at + 1;
  return {encoding_named(declaration.substr(at, close - at)), at, close - at};
}

XmlWriter::XmlWriter(Encoding encoding) : encoding_(encoding) {
  out_ = std::string("<?xml version=\"1.0\" encoding=\"") +
         (encoding == Encoding::cp932 ? "Shift_JIS" : "UTF-8") + "\" standalone=\"no\"?>\n";
}

void XmlWriter::open(std::string_view name) {
  indent();
  out_.append("<").append(name).append(">\n");
  ++depth_;
}

void XmlWriter::close(std::string_view name) {
  --depth_;
  indent();
  out_.append("</").append(name).append(">\n");
}

void XmlWriter::leaf(std::string_view name, std::string_view utf8_value) {
  Result<std::string> text = xml_escaped(utf8_value, name);
  if (!text.ok()) {
    fail(text.error().message);
    return;
  }
  std::string value = std::move(text).value();
  if (encoding_ == Encoding::cp932) {
    Result<std::string> converted = utf8_to_cp932(value);
    if (!converted.ok()) {
      fail(std::string(name) + ": " + converted.error().message +
           " (Shift_JIS result files use CP932)");
      return;
    }
    value = std::move(converted).value();
  }
  indent();
  out_.append("<").append(name).append(">").append(value);
  out_.append("</").append(name).append(">\n");
}

Result<std::string> XmlWriter::finish() && {
  if (!error_.empty()) return Error{error_};
  return std::move(out_);
}

void XmlWriter::indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }

void XmlWriter::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

}  // namespace kakunin::base
