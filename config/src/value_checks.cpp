#include "value_checks.h"

#include <kakunin/net/net.h>

#include <algorithm>

namespace kakunin::config::detail {
namespace {

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

Problem check_prom_file(std::string_view path) {
  if (auto problem = check_absolute_path(path)) return problem;
  if (!path.ends_with(".prom") || path.ends_with("/.prom"))
    return "must end in .prom (node_exporter's textfile collector reads only those)";
  return std::nullopt;
}

// URLs are checked by kakunin_net, the library that fetches and posts them, so
// what is accepted here is what a transfer will accept.
Problem check_list_url(std::string_view url) {
  return net::check_url(url, net::UrlUse::list_source);
}

Problem check_proxy_url(std::string_view url) { return net::check_proxy_url(url); }

Problem check_loopback_url(std::string_view url) {
  return net::check_url(url, net::UrlUse::local_endpoint);
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
