// Checks on single values that several keys share: paths, URLs, names. Each
// returns what is wrong (English, for the CLI and logs) or nullopt when fine.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::config::detail {

using Problem = std::optional<std::string>;

Problem check_absolute_path(std::string_view path);
// A trust-list or revocation-list source: https:// or file:///absolute/path.
Problem check_list_url(std::string_view url);
// A proxy: http://, https://, socks5:// or socks5h:// with a host.
Problem check_proxy_url(std::string_view url);
// The hand-off POST target: http(s) on this machine only (127.0.0.0/8, ::1, localhost).
Problem check_loopback_url(std::string_view url);
// curl's pinned public key: one or more "sha256//BASE64" (32-byte digests) joined by ';'.
Problem check_public_key_pin(std::string_view pin);
// node_exporter's textfile collector reads only absolute files named *.prom.
Problem check_prom_file(std::string_view path);
// The kiosk id: 1 to 64 of A-Z a-z 0-9 . _ - (it names files and audit rows).
Problem check_kiosk_id(std::string_view id);

// The candidate closest to `word` by edit distance when close enough to be a typo.
std::optional<std::string_view> closest_match(std::string_view word,
                                              const std::vector<std::string_view>& candidates);

}  // namespace kakunin::config::detail
