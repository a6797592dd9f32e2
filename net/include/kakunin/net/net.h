// Kakunin's one network library: one libcurl set-up, one client for the two
// transfers the kiosk makes (GET of a signed list, POST of a hand-off), one URL
// check, and file:// reads held to the same timeout and cancellation as https.
//
//   net::TransferSettings settings;                    // timeouts, size cap, CA, pin, proxy
//   settings.total_timeout = std::chrono::seconds(60);
//   net::Client lists(settings, net::UrlUse::list_source);
//   std::atomic<bool> stopping{false};                 // another thread sets it to cancel
//   net::GetResult got = lists.get(url, held_validators, stopping);
//   if (got.status == net::GetResult::Status::fetched) take(got.body, got.validators);
//
//   net::Client receiver(post_settings, net::UrlUse::local_endpoint);
//   net::PostResult sent = receiver.post_json({url, json_body, "desk-1-42"}, stopping);
//   if (!sent.delivered()) retry_later(sent.error);    // "HTTP status 500", "timeout: ..."
//
//   if (auto problem = net::check_url(url, net::UrlUse::list_source)) refuse(*problem);
//   log.info("from " + net::url_for_log(url));          // no user, password, query, fragment
//
// Always, with no setting to change it: TLS is verified (peer and host name, TLS
// 1.2 or later); proxy environment variables are ignored (the configured proxy or
// none); a transfer uses only the schemes its UrlUse allows, also after a
// redirect; a body larger than max_bytes stops the transfer as soon as it passes
// the limit and is never held whole. Every call returns within about the total
// timeout, or within about a second of `cancel` turning true, whatever the
// network or a file:// share does: a file:// read that hangs in the kernel (a
// hung NFS/SMB share, a failing USB stick) is left on a worker thread of its own.
// Nothing here throws; failures are values with one English line.
#pragma once

#include <kakunin/base/clock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::net {

namespace detail {
class FileReads;
}

// ------------------------------------------------------------------ URLs --

// Which URLs a transfer may use, and so which schemes curl may speak.
enum class UrlUse {
  list_source,      // GET https://HOST/PATH (redirects: https only, at most 5) or file:///PATH
  local_endpoint,   // POST http(s):// on this machine (127.0.0.0/8, [::1], localhost); no redirects
  remote_endpoint,  // POST http(s):// anywhere; no redirects
};

// What is wrong with `url` for `use` (English, one line, naming no key), or
// nullopt when it may be used. A list URL must not carry a user name or password.
std::optional<std::string> check_url(std::string_view url, UrlUse use);
// The same for a proxy: http://, https://, socks5:// or socks5h:// with a host.
std::optional<std::string> check_proxy_url(std::string_view url);

// The URL as logged: without user name, password, query or fragment.
std::string url_for_log(std::string_view url);
// The URL with a user name and password replaced by "***" (`config show`).
std::string url_with_masked_credentials(std::string_view url);

// An HTTP Date header (all three forms of RFC 7231 7.1.1.1), or nullopt.
std::optional<base::UnixSeconds> parse_http_date(std::string_view text);

// -------------------------------------------------------------- transfers --

struct TransferSettings {
  std::chrono::milliseconds connect_timeout{10'000};  // TCP + TLS set-up
  std::chrono::milliseconds total_timeout{60'000};    // the whole transfer, redirects included
  // A transfer slower than low_speed_bytes_per_second for low_speed_time is
  // abandoned, so a server that drips a byte now and then cannot hold a caller
  // until total_timeout. Whole seconds (curl's unit); 0 turns the limit off.
  long low_speed_bytes_per_second = 1024;
  std::chrono::seconds low_speed_time{20};
  // A body (a file://, a GET's, or a POST's answer) past this stops the transfer.
  std::int64_t max_bytes = 64LL * 1024 * 1024;
  std::filesystem::path ca_file;  // empty: the system CAs
  std::string public_key_pin;     // curl's "sha256//BASE64[;sha256//...]"; empty: none
  std::string proxy;              // empty: no proxy (environment variables are ignored)
  std::string no_proxy;           // curl's list: "127.0.0.1,.clinic.local"
  std::string user_agent = "kakunin";
};

// What a server said about the representation held, sent back as If-None-Match /
// If-Modified-Since so an unchanged file costs one 304.
struct Validators {
  std::string etag;
  std::string last_modified;
  bool empty() const { return etag.empty() && last_modified.empty(); }
};

struct GetResult {
  enum class Status { fetched, not_modified, failed, cancelled };
  Status status = Status::failed;
  std::vector<std::uint8_t> body;                // when fetched
  Validators validators;                         // from the final response (https)
  std::optional<base::UnixSeconds> server_date;  // its Date header (https)
  base::UnixSeconds received_at = 0;             // the client's wall clock when it came
  bool retryable = false;                        // a later attempt may succeed (5xx, timeout, ...)
  std::string error;                             // English, one line, unless fetched / not_modified
};

struct PostRequest {
  std::string_view url;
  std::string_view body;             // sent as Content-Type: application/json; charset=utf-8
  std::string_view idempotency_key;  // the Idempotency-Key header; header-safe characters only
};

struct PostResult {
  long http_status = 0;  // 0 when no HTTP answer came
  std::string error;     // English, one line, unless delivered
  bool delivered() const { return http_status >= 200 && http_status < 300; }
};

// Cheap to keep, thread-safe; the clock must outlive it. A file:// read still
// stuck in the kernel when the client is destroyed ends on its own later and
// touches nothing of the client's.
class Client {
 public:
  Client(TransferSettings settings, UrlUse use, const base::Clock& clock = base::system_clock());
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A GET of an http(s) URL (a 200 is fetched, a 304 not_modified, any other
  // status failed), or a read of a file:// URL (a regular file only: a FIFO or a
  // device is refused). The URL must suit the client's UrlUse.
  GetResult get(std::string_view url, const Validators& validators,
                const std::atomic<bool>& cancel) const;
  // A POST of a JSON body; redirects are not followed (a 3xx is not delivered).
  PostResult post_json(const PostRequest& request, const std::atomic<bool>& cancel) const;

  const TransferSettings& settings() const { return settings_; }
  UrlUse use() const { return use_; }

 private:
  TransferSettings settings_;
  UrlUse use_;
  const base::Clock& clock_;
  std::shared_ptr<detail::FileReads> file_reads_;  // shared with reads left behind
};

}  // namespace kakunin::net
