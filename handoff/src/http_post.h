// One POST of a hand-off record to the receipt computer's local endpoint (libcurl).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

namespace kakunin::handoff {

// Checks a configured endpoint URL: http or https, and on this machine (127.0.0.0/8,
// ::1, localhost) unless `allow_remote`. Returns an English error or empty.
std::string check_endpoint_url(std::string_view url, bool allow_remote);

struct PostResult {
  long http_status = 0;  // 0 when no HTTP response arrived
  std::string error;     // English: "HTTP 500", "connection refused ...", "stopped"
  bool delivered() const { return http_status >= 200 && http_status < 300; }
};

struct PostRequest {
  std::string_view url;
  std::string_view body;  // JSON
  std::string_view idempotency_key;
  std::chrono::seconds timeout;
  bool loopback_only = true;  // then proxies from the environment are bypassed
};

// Blocks for at most `timeout` plus a little; returns early with "stopped" once
// `abort` becomes true. TLS is always verified; redirects are not followed.
PostResult post_json(const PostRequest& request, const std::atomic<bool>& abort);

}  // namespace kakunin::handoff
