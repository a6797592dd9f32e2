// The one libcurl set-up, inside the library: every transfer, GET or POST, goes
// through perform(), which sets the options that make it safe against a hostile
// network (verified TLS, the use's schemes only, no proxy from the environment,
// bounded in time, speed and size, cancellable).
#pragma once

#include <kakunin/net/net.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::net::detail {

struct CurlRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  bool keep_body = false;            // keep a 200's body (GET); otherwise it is counted and dropped
  std::optional<std::string_view> post_body;  // a POST with this body
};

struct CurlResponse {
  bool completed = false;  // an HTTP answer arrived whole; then `status` holds its code
  long status = 0;
  bool cancelled = false;
  std::vector<std::uint8_t> body;  // a 200's, when kept
  Validators validators;
  std::optional<base::UnixSeconds> server_date;
  base::UnixSeconds received_at = 0;
  std::string error;       // English, one line, when !completed
  bool retryable = false;  // when !completed: a later attempt may succeed
};

// Blocks for at most about settings.total_timeout, or about a second after
// `cancel` turns true.
CurlResponse perform(const TransferSettings& settings, UrlUse use, const CurlRequest& request,
                     const std::atomic<bool>& cancel, const base::Clock& clock);

}  // namespace kakunin::net::detail
