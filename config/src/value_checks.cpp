#include "value_checks.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace kakunin::config::detail {
namespace {

// URLs are taken apart with libcurl's URL API, the same parser the trust-list sync
// and the hand-off POST use, so what is checked here is what curl will fetch.
struct ParsedUrl {
  std::string scheme;
  std::string host;  // "" for file:// without a host; IPv6 in brackets
  std::string path;
  bool has_credentials = false;
};

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) return {};
  std::string value(text);
  curl_free(text);
  return value;
}

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
  parsed.scheme = url_part(url.get(), CURLUPART_SCHEME);
  parsed.host = url_part(url.get(), CURLUPART_HOST);
  parsed.path = url_part(url.get(), CURLUPART_PATH);
  parsed.has_credentials = !url_part(url.get(), CURLUPART_USER).empty() ||
                           !url_part(url.get(), CURLUPART_PASSWORD).empty();
  return parsed;
}

bool starts_with_scheme(std::string_view url, std::string_view scheme) {
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

// Optimal string alignment distance: edits plus swaps of neighbours, so the
// common typo "kisok" is one step from "kiosk".
std::size_t typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

Problem check_absolute_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return "must be an absolute path (starting with /)";
  if (path.find('\0') != std::string_view::npos) return "must not contain a NUL character";
  return std::nullopt;
}

Problem check_list_url(std::string_view url) {
  if (starts_with_scheme(url, "http")) {
    return "http:// is refused for trust lists: signatures stop forged lists, but without TLS "
           "anyone on the network can silently withhold or replay old lists (and so hide a "
           "revocation); use https:// or file://";
  }
  const auto parsed = parse_url(url);
  if (!parsed && starts_with_scheme(url, "file")) {
    return "a file:// URL must name a local file (file:///PATH)";
  }
  if (!parsed)
    return "'" + std::string(url) + "' is not a URL; use https://HOST/PATH or file:///PATH";
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

Problem check_proxy_url(std::string_view url) {
  const auto parsed = parse_url(url);
  const bool known_scheme = parsed && (parsed->scheme == "http" || parsed->scheme == "https" ||
                                       parsed->scheme == "socks5" || parsed->scheme == "socks5h");
  if (!known_scheme || parsed->host.empty()) {
    return "must be a proxy URL: http://HOST:PORT, https://, socks5:// or socks5h://";
  }
  return std::nullopt;
}

Problem check_loopback_url(std::string_view url) {
  const auto parsed = parse_url(url);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https")) {
    return "must be an http:// or https:// URL on this machine, e.g. http://127.0.0.1:8080/kakunin";
  }
  if (!is_loopback_host(parsed->host)) {
    return "the host '" + parsed->host +
           "' is not this machine; the hand-off carries personal data and may only go to "
           "127.0.0.1, [::1] or localhost";
  }
  return std::nullopt;
}

Problem check_public_key_pin(std::string_view pin) {
  constexpr std::string_view kPrefix = "sha256//";
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  Problem wrong =
      "must be sha256//BASE64 (the base64 SHA-256 of the server's public key, "
      "44 characters), several joined by ';'";
  std::size_t start = 0;
  while (start <= pin.size()) {
    const std::size_t end = std::min(pin.find(';', start), pin.size());
    const std::string_view one = pin.substr(start, end - start);
    if (!one.starts_with(kPrefix)) return wrong;
    const std::string_view digest = one.substr(kPrefix.size());
    if (digest.size() != 44 || digest.back() != '=' ||
        digest.substr(0, 43).find_first_not_of(kAlphabet) != std::string_view::npos) {
      return wrong;
    }
    start = end + 1;
  }
  return std::nullopt;
}

Problem check_kiosk_id(std::string_view id) {
  constexpr std::string_view kAllowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
  if (id.empty() || id.size() > 64 || id.find_first_not_of(kAllowed) != std::string_view::npos) {
    return "must be 1 to 64 characters from A-Z a-z 0-9 . _ - (it names audit rows and hand-off "
           "files)";
  }
  return std::nullopt;
}

std::string mask_credentials(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find('/', authority), url.size());
  const std::size_t at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + "***" + std::string(url.substr(at));
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              const std::vector<std::string_view>& candidates) {
  const std::size_t allowed = word.size() >= 5 ? 2 : 1;
  std::optional<std::string_view> best;
  std::size_t best_distance = allowed + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = typo_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace kakunin::config::detail
