// One download with libcurl, locked down: verified TLS, https (or file) only, also
// on redirects, bounded in time, speed and size.
#include <kakunin/sync/sync.h>

#include <curl/curl.h>
#include <csignal>
#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>

namespace kakunin::sync {
namespace {

constexpr long kMaxRedirects = 5;

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool is_file_url(std::string_view url) { return starts_with_ci(url, "file://"); }

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

// State shared with libcurl's callbacks during one transfer.
struct Transfer {
  CURL* curl = nullptr;
  std::int64_t max_bytes = 0;
  const std::atomic<bool>* cancel = nullptr;
  const base::Clock* clock = nullptr;
  crypto::Bytes body;
  bool too_large = false;
  Validators validators;
  std::optional<UnixSeconds> server_date;
  UnixSeconds received_at = 0;

  long status() const {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
  }
};

// Headers of every response in a redirect chain arrive here; a new status line
// starts afresh so only the final response's validators and Date count.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (starts_with_ci(line, "http/")) {
    t->validators = {};
    t->server_date.reset();
    t->received_at = t->clock->wall_now();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string_view name = line.substr(0, colon);
  const std::string value = trim(line.substr(colon + 1));
  auto is = [&](std::string_view wanted) {
    return name.size() == wanted.size() && starts_with_ci(name, wanted);
  };
  if (is("etag")) t->validators.etag = value;
  if (is("last-modified")) t->validators.last_modified = value;
  if (is("date")) {
    const time_t parsed = curl_getdate(value.c_str(), nullptr);
    if (parsed != -1) t->server_date = static_cast<UnixSeconds>(parsed);
  }
  return size * count;
}

// Counts as it goes and stops the transfer past max_bytes, so an endless or huge
// body is never held in memory. Bodies of non-200 responses are not kept.
size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->status() != 200 && t->status() != 0) return n;
  if (static_cast<std::int64_t>(t->body.size() + n) > t->max_bytes) {
    t->too_large = true;
    return 0;  // fewer bytes than offered: libcurl aborts with CURLE_WRITE_ERROR
  }
  t->body.insert(t->body.end(), data, data + n);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* t = static_cast<const Transfer*>(user);
  return t->cancel->load() ? 1 : 0;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

bool retryable_code(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;  // TLS verification, protocol, size: the next attempt would fail too
  }
}

bool retryable_status(long status) { return status >= 500 || status == 408 || status == 429; }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  curl_easy_setopt(curl, option, value);
}

// Every option that makes the transfer safe to run against a hostile network.
void configure(CURL* curl, const TransportSettings& s, const std::string& url, Transfer& t,
               char* error_buffer) {
  set(curl, CURLOPT_URL, url.c_str());
  set(curl, CURLOPT_ERRORBUFFER, error_buffer);
  set(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  set(curl, CURLOPT_USERAGENT, "kakunin-sync");
  // file:// only where the operator asked for a file (a USB stick); an https URL
  // can never be redirected to http://, file:// or anything else.
  const char* protocols = is_file_url(url) ? "file" : "https";
  set(curl, CURLOPT_PROTOCOLS_STR, protocols);
  set(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  set(curl, CURLOPT_FOLLOWLOCATION, 1L);
  set(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
  // TLS: always verified. There is deliberately no setting to turn this off.
  set(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  set(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  set(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!s.ca_file.empty()) set(curl, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.public_key_pin.empty()) set(curl, CURLOPT_PINNEDPUBLICKEY, s.public_key_pin.c_str());
  // The configured proxy or none: an inherited https_proxy variable must not
  // silently route the kiosk's trust material elsewhere.
  set(curl, CURLOPT_PROXY, s.proxy.c_str());
  if (!s.no_proxy.empty()) set(curl, CURLOPT_NOPROXY, s.no_proxy.c_str());

  set(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout.count()));
  set(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(s.total_timeout.count()));
  set(curl, CURLOPT_LOW_SPEED_LIMIT, s.low_speed_bytes_per_second);
  set(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(s.low_speed_time.count()));
  // Refuses early when Content-Length says too much; on_body enforces it anyway.
  set(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(s.max_bytes));
  set(curl, CURLOPT_ACCEPT_ENCODING, "");  // on_body counts decoded bytes

  set(curl, CURLOPT_HEADERFUNCTION, on_header);
  set(curl, CURLOPT_HEADERDATA, &t);
  set(curl, CURLOPT_WRITEFUNCTION, on_body);
  set(curl, CURLOPT_WRITEDATA, &t);
  set(curl, CURLOPT_NOPROGRESS, 0L);
  set(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  set(curl, CURLOPT_XFERINFODATA, &t);
}

std::string describe_failure(CURLcode code, const char* error_buffer, const Transfer& t,
                             const TransportSettings& s) {
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return "larger than the limit of " + std::to_string(s.max_bytes) + " bytes";
  }
  std::string text = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "refused a URL or redirect that is not https: " + text;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return "TLS certificate not trusted: " + text;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return "TLS public key does not match the configured pin: " + text;
    default:
      return text;
  }
}

// With CURLOPT_NOSIGNAL (needed in a threaded program) libcurl leaves SIGPIPE to
// the application, and OpenSSL writing to a connection the server closed raises
// it: the default action would kill the kiosk. SIGPIPE is blocked for this thread
// only during the transfer and a pending one is consumed before unblocking, so no
// process-wide signal disposition is changed behind the program's back.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeBlock() {
    if (sigismember(&previous_, SIGPIPE) == 1) return;  // the caller had it blocked
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      const timespec no_wait{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &no_wait) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
};

}  // namespace

Fetcher::Fetcher(TransportSettings settings, const base::Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {
  init_curl_once();
}

FetchResult Fetcher::fetch(const std::string& url, const Validators& validators,
                           const std::atomic<bool>& cancel) const {
  FetchResult result;
  if (auto bad = check_url(url)) {
    result.error = *bad;
    return result;
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    result.error = "libcurl could not start a transfer";
    result.retryable = true;
    return result;
  }
  Transfer t;
  t.curl = curl.get();
  t.max_bytes = settings_.max_bytes;
  t.cancel = &cancel;
  t.clock = &clock_;
  char error_buffer[CURL_ERROR_SIZE] = {};
  configure(curl.get(), settings_, url, t, error_buffer);

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown) {
      (void)headers.release();
      headers.reset(grown);
    }
  };
  if (!validators.etag.empty()) add_header("If-None-Match: " + validators.etag);
  if (!validators.last_modified.empty()) add_header("If-Modified-Since: " + validators.last_modified);
  if (headers) set(curl.get(), CURLOPT_HTTPHEADER, headers.get());

  CURLcode code;
  {
    const SigpipeBlock no_sigpipe;
    code = curl_easy_perform(curl.get());
  }
  result.server_date = t.server_date;
  result.received_at = t.received_at;
  if (code == CURLE_ABORTED_BY_CALLBACK && cancel.load()) {
    result.status = FetchResult::Status::cancelled;
    result.error = "cancelled (stopping)";
    return result;
  }
  if (code != CURLE_OK) {
    result.error = describe_failure(code, error_buffer, t, settings_);
    result.retryable = !t.too_large && retryable_code(code);
    return result;
  }
  const long status = t.status();
  if (is_file_url(url) || status == 200) {
    result.status = FetchResult::Status::fetched;
    result.body = std::move(t.body);
    result.validators = std::move(t.validators);
    return result;
  }
  if (status == 304) {
    result.status = FetchResult::Status::not_modified;
    result.validators = std::move(t.validators);
    return result;
  }
  result.error = "HTTP status " + std::to_string(status);
  result.retryable = retryable_status(status);
  return result;
}

std::optional<std::string> check_url(std::string_view url) {
  if (url.empty()) return "no URL given";
  if (starts_with_ci(url, "https://") || is_file_url(url)) {
    if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "URL contains white space";
    return std::nullopt;
  }
  return "only https:// and file:// URLs are allowed (TLS is always verified): " +
         url_for_log(url);
}

std::string url_for_log(std::string_view url) {
  const auto cut = url.find_first_of("?#");
  if (cut != std::string_view::npos) url = url.substr(0, cut);
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto authority_start = scheme_end + 3;
  const auto authority_end = std::min(url.find('/', authority_start), url.size());
  const auto at = url.substr(authority_start, authority_end - authority_start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start)) +
         std::string(url.substr(authority_start + at + 1));
}

}  // namespace kakunin::sync
