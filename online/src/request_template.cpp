#include "request_template.h"

#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>
#include <kakunin/base/xml_text.h>
#include <libxml/parser.h>

#include <algorithm>

namespace kakunin::online {
namespace {

constexpr std::string_view kOpen = "${";

// One ${name} or ${name?} in a line.
struct Placeholder {
  std::size_t begin = 0;  // of "${"
  std::size_t end = 0;    // one past "}"
  std::string name;
  bool optional = false;
};

bool is_known(std::string_view name) {
  const auto& names = request_template_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The placeholders of `line`, or an error naming what is wrong.
base::Result<std::vector<Placeholder>> placeholders_in(std::string_view line) {
  std::vector<Placeholder> found;
  for (std::size_t at = line.find(kOpen); at != std::string_view::npos; at = line.find(kOpen, at)) {
    const std::size_t close = line.find('}', at);
    if (close == std::string_view::npos) return base::Error{"\"${\" without \"}\""};
    Placeholder p{at, close + 1, std::string(line.substr(at + 2, close - at - 2)), false};
    if (p.name.ends_with('?')) {
      p.optional = true;
      p.name.pop_back();
    }
    if (!is_known(p.name)) return base::Error{"unknown name ${" + p.name + "}"};
    found.push_back(std::move(p));
    at = close + 1;
  }
  return found;
}

// Whether `xml` (UTF-8) is well-formed, without DTD, entities or network.
bool is_well_formed(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "request.xml", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  const bool ok = doc != nullptr;
  xmlFreeDoc(doc);
  return ok;
}

std::map<std::string, std::string> sample_values() {
  std::map<std::string, std::string> values;
  for (std::string_view name : request_template_names()) values[std::string(name)] = "1";
  return values;
}

template <typename Line>
void for_each_line(std::string_view text, Line&& line) {
  std::size_t number = 1;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view one =
        text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
    line(number++, one);
    text.remove_prefix(one.size());
  }
}

}  // namespace

const std::vector<std::string_view>& request_template_names() {
  static const std::vector<std::string_view> names = {"encoding",
                                                      "character_code",
                                                      "medical_institution_code",
                                                      "file_identifier",
                                                      "confirmation_date",
                                                      "process_time",
                                                      "insurer_number",
                                                      "symbol",
                                                      "number",
                                                      "branch",
                                                      "birth_date"};
  return names;
}

base::Result<RequestTemplate> RequestTemplate::parse(std::string_view text) {
  if (!base::is_valid_utf8(text)) return base::Error{"request template: not UTF-8"};
  std::string problem;
  bool has_identifier = false;
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    auto found = placeholders_in(line);
    if (!found.ok()) {
      if (problem.empty())
        problem = "request template line " + std::to_string(number) + ": " + found.error().message;
      return;
    }
    for (const Placeholder& p : found.value()) {
      if (p.name == "file_identifier" && !p.optional) has_identifier = true;
    }
  });
  if (!problem.empty()) return base::Error{problem};
  // Without the identifier the answer cannot be told from another request's.
  if (!has_identifier) return base::Error{"request template: ${file_identifier} is missing"};
  RequestTemplate parsed{std::string(text)};
  auto sample = parsed.render(sample_values(), config::XmlEncoding::utf8);
  if (!sample.ok()) return base::Error{"request template: " + sample.error().message};
  if (!is_well_formed(sample.value()))
    return base::Error{"request template: does not render to well-formed XML"};
  return parsed;
}

base::Result<std::string> RequestTemplate::render(const std::map<std::string, std::string>& given,
                                                  config::XmlEncoding encoding) const {
  std::map<std::string, std::string> values = given;
  const bool sjis = encoding == config::XmlEncoding::shift_jis;
  values["encoding"] = sjis ? "Shift_JIS" : "UTF-8";
  values["character_code"] = sjis ? "1" : "0";
  std::string out;
  std::string problem;
  for_each_line(text_, [&](std::size_t, std::string_view line) {
    if (!problem.empty()) return;
    const auto found = placeholders_in(line);  // parse() checked every line
    std::string rendered;
    std::size_t from = 0;
    for (const Placeholder& p : found.value()) {
      const auto value = values.find(p.name);
      const std::string empty;
      const std::string& text = value == values.end() ? empty : value->second;
      if (text.empty()) {
        if (p.optional) return;  // the whole line is left out
        problem = "the value " + p.name + " is empty";
        return;
      }
      auto escaped = base::xml_escaped(text, p.name);
      if (!escaped.ok()) {
        problem = escaped.error().message;
        return;
      }
      rendered.append(line.substr(from, p.begin - from));
      rendered += escaped.value();
      from = p.end;
    }
    rendered.append(line.substr(from));
    out += rendered;
  });
  if (!problem.empty()) return base::Error{problem};
  if (!sjis) return out;
  auto converted = base::utf8_to_cp932(out);
  if (!converted.ok()) {
    return base::Error{"the request cannot be written in Shift_JIS (CP932): " +
                       converted.error().message};
  }
  return std::move(converted).value();
}

}  // namespace kakunin::online
