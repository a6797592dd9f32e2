// The one URL check: which schemes are allowed where, and URLs as logged.
#include <kakunin/net/net.h>

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "url_parts.h"

namespace kakunin::net {
namespace detail {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

std::optional<std::string> url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string value(text);
  curl_free(text);
  return value;
}

}  // namespace

std::optional<ParsedUrl> parse_url(std::string_view text) {
  // No scheme guessing: "example.org/x" is an error, not http://example.org/x.
  if (text.find("://") == std::string_view::npos) return std::nullopt;
  if (std::any_of(text.begin(), text.end(),
                  [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); })) {
    return std::nullopt;
  }
  std::unique_ptr<CURLU, CurlUrlDeleter> url(curl_url());
  if (!url) return std::nullopt;
  const std::string copy(text);
  if (curl_url_set(url.get(), CURLUPART_URL, copy.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return std::nullopt;
  }
  ParsedUrl parsed;
  parsed.scheme = url_part(url.get(), CURLUPART_SCHEME).value_or("");
  parsed.host = url_part(url.get(), CURLUPART_HOST).value_or("");
  const auto path = url_part(url.get(), CURLUPART_PATH, CURLU_URLDECODE);
  // A path curl cannot decode, or one that decodes to a NUL, names no file.
  if (!path || path->find('\0') != std::string::npos) return std::nullopt;
  parsed.path = *path;
  parsed.has_credentials = !url_part(url.get(), CURLUPART_USER).value_or("").empty() ||
                           !url_part(url.get(), CURLUPART_PASSWORD).value_or("").empty();
  return parsed;
}

bool has_scheme(std::string_view url, std::string_view scheme) {
  if (url.size() < scheme.size() + 3) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
  }
  return url.substr(scheme.size(), 3) == "://";
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "[::1]") return true;
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

}  // namespace detail

namespace {

using detail::has_scheme;
using detail::parse_url;

std::optional<std::string> check_list_source(std::string_view url) {
  if (has_scheme(url, "http")) {
    return "http:// is refused for trust lists: signatures stop forged lists, but without TLS "
           "anyone on the network can silently withhold or replay old lists (and so hide a "
           "revocation); use https:// or file://";
  }
  const auto parsed = parse_url(url);
  if (!parsed && has_scheme(url, "file"))
    return "a file:// URL must name a local file (file:///PATH)";
  if (!parsed)
    return "'" + url_for_log(url) + "' is not a URL; use https://HOST/PATH or file:///PATH";
  if (parsed->scheme == "https") {
    if (parsed->host.empty()) return "an https:// URL needs a host";
    if (parsed->has_credentials) {
      return "must not contain a user name or password (they would show in logs)";
    }
    return std::nullopt;
  }
  if (parsed->scheme == "file") {
    if (!parsed->host.empty() && parsed->host != "localhost") {
      return "a file:// URL must name a local file (file:///PATH)";
    }
    return std::nullopt;
  }
  return "the scheme '" + parsed->scheme + "' is not allowed; use https:// or file://";
}

std::optional<std::string> check_endpoint(std::string_view url, bool on_this_machine) {
  const auto parsed = parse_url(url);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https") || parsed->host.empty()) {
    return on_this_machine ? "must be an http:// or https:// URL on this machine, e.g. "
                             "http://127.0.0.1:8080/kakunin"
                           : "must be an http:// or https:// URL";
  }
  if (on_this_machine && !detail::is_loopback_host(parsed->host)) {
    return "the host '" + parsed->host +
           "' is not this machine; the hand-off carries personal data and may only go to "
           "127.0.0.1, [::1] or localhost";
  }
  return std::nullopt;
}

// Where the authority (user:password@host:port) of `url` starts and ends, or
// nullopt for text without "://".
struct Authority {
  std::size_t start;
  std::size_t end;
};
std::optional<Authority> authority_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::size_t start = scheme_end + 3;
  return Authority{start, std::min(url.find_first_of("/?#", start), url.size())};
}

}  // namespace

std::optional<std::string> check_url(std::string_view url, UrlUse use) {
  if (url.empty()) return "no URL given";
  switch (use) {
    case UrlUse::list_source:
      return check_list_source(url);
    case UrlUse::local_endpoint:
      return check_endpoint(url, true);
    case UrlUse::remote_endpoint:
      return check_endpoint(url, false);
  }
  return "unknown use of a URL";
}

std::optional<std::string> check_proxy_url(std::string_view url) {
  const auto parsed = parse_url(url);
  const bool known_scheme = parsed && (parsed->scheme == "http" || parsed->scheme == "https" ||
                                       parsed->scheme == "socks5" || parsed->scheme == "socks5h");
  if (!known_scheme || parsed->host.empty()) {
    return "must be a proxy URL: http://HOST:PORT, https://, socks5:// or socks5h://";
  }
  return std::nullopt;
}

std::string url_for_log(std::string_view url) {
  url = url.substr(0, std::min(url.find_first_of("?#"), url.size()));
  const auto authority = authority_of(url);
  if (!authority) return std::string(url);
  const std::string_view inside = url.substr(authority->start, authority->end - authority->start);
  const auto at = inside.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority->start)) +
         std::string(url.substr(authority->start + at + 1));
}

std::string url_with_masked_credentials(std::string_view url) {
  const auto authority = authority_of(url);
  if (!authority) return std::string(url);
  const std::string_view inside = url.substr(authority->start, authority->end - authority->start);
  const auto at = inside.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority->start)) + "***" +
         std::string(url.substr(authority->start + at));
}

std::optional<base::UnixSeconds> parse_http_date(std::string_view text) {
  // curl_getdate() parses all three forms HTTP/1.1 allows and needs a terminated
  // string. It also takes looser forms; a Date header is only ever compared with
  // the kiosk's own clock, so leniency cannot cause harm.
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string terminated(text);
  const time_t parsed = curl_getdate(terminated.c_str(), nullptr);
  if (parsed == -1) return std::nullopt;
  return static_cast<base::UnixSeconds>(parsed);
}

}  // namespace kakunin::net
