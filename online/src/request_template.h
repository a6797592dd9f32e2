// The OQSsiquc01req request, rendered from a template a vendor can adjust
// (online/oqs-request-template.xml is the built-in one; online.request_template
// names a copy). Written by hand rather than with an XML library because the
// request is the vendor's text with values put in: the template keeps their
// layout byte for byte, and the values are escaped here.
#pragma once

#include <kakunin/base/result.h>
#include <kakunin/config/config.h>

#include <map>
#include <string>
#include <string_view>

namespace kakunin::online {

// The built-in template (compiled in from online/oqs-request-template.xml).
std::string_view default_request_template();

// The names a template may use, in the order docs/online.md lists them.
const std::vector<std::string_view>& request_template_names();

class RequestTemplate {
 public:
  // Checks `text`: UTF-8, only known names, and that it renders to well-formed XML
  // (parsed with libxml2 on sample values). The error is English and names the
  // line.
  static base::Result<RequestTemplate> parse(std::string_view text);

  // The request as bytes in `encoding` (UTF-8, or CP932 for Shift_JIS). `values`
  // maps every name to its UTF-8 value ("encoding" and "character_code" are filled
  // in from `encoding`). Fails, naming the value (never its text), when a value
  // cannot be carried (CP932, XML control characters) or a required one is empty.
  base::Result<std::string> render(const std::map<std::string, std::string>& values,
                                   config::XmlEncoding encoding) const;

 private:
  explicit RequestTemplate(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace kakunin::online
