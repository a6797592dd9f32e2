// Taking a URL apart, inside the library: libcurl's URL API, the same parser the
// transfers use, so what is checked is what curl will fetch.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kakunin::net::detail {

struct ParsedUrl {
  std::string scheme;  // lower case
  std::string host;    // "" for file:// without a host; IPv6 in brackets
  std::string path;    // percent-decoded
  bool has_credentials = false;
};

// nullopt for text that is not an absolute URL: no "://", white space or control
// characters, or what curl cannot parse. Any scheme is taken apart.
std::optional<ParsedUrl> parse_url(std::string_view text);

// "scheme://" at the start, in any case.
bool has_scheme(std::string_view url, std::string_view scheme);

// 127.0.0.0/8, [::1] or localhost.
bool is_loopback_host(const std::string& host);

}  // namespace kakunin::net::detail
