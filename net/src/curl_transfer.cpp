#include "curl_transfer.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <time.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <memory>
#include <mutex>

namespace kakunin::net::detail {
namespace {

constexpr long kMaxRedirects = 5;

// OpenSSL must not free its global state from its atexit handler: a hand-off or
// sync thread whose endpoint does not answer is left behind by stop() (handoff.h,
// sync.h) and can still be inside libcurl and OpenSSL when the process exits, so
// exit() freed OpenSSL's locks and tables under it (TSan: OPENSSL_cleanup against
// the post channel's thread, HandoffFaults.EndpointThatNeverAnswersDelaysOnlyThePost).
// The process hands the memory back anyway. The first initialisation of OpenSSL
// decides whether it registers that handler, hence the call before main below.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
}
// Before main: before any other code touched OpenSSL, and before any thread exists.
// call_once throws only when the system cannot run threads at all; ending the
// program before main is then the right outcome.
// NOLINTNEXTLINE(cert-err58-cpp)
[[maybe_unused]] const bool kLibrariesReadyBeforeMain = (init_curl_once(), true);

bool starts_with_ci(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_prefix[i]) return false;
  }
  return true;
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

// State shared with libcurl's callbacks during one transfer.
struct Transfer {
  CURL* curl = nullptr;
  std::int64_t max_bytes = 0;
  bool keep_body = false;
  const std::atomic<bool>* cancel = nullptr;
  const base::Clock* clock = nullptr;
  std::int64_t body_bytes = 0;  // of the current response, kept or not
  bool too_large = false;
  CurlResponse response;

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
    t->response.validators = {};
    t->response.server_date.reset();
    t->response.received_at = t->clock->wall_now();
    t->body_bytes = 0;
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string_view name = line.substr(0, colon);
  const std::string value = trim(line.substr(colon + 1));
  auto is = [&](std::string_view wanted) {
    return name.size() == wanted.size() && starts_with_ci(name, wanted);
  };
  if (is("etag")) t->response.validators.etag = value;
  if (is("last-modified")) t->response.validators.last_modified = value;
  if (is("date")) t->response.server_date = parse_http_date(value);
  return size * count;
}

// Counts as it goes and stops the transfer past max_bytes, so an endless or huge
// body is never held in memory. Only a 200's body is kept, and only when asked.
size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->body_bytes += static_cast<std::int64_t>(n);
  if (t->body_bytes > t->max_bytes) {
    t->too_large = true;
    return 0;  // fewer bytes than offered: libcurl aborts with CURLE_WRITE_ERROR
  }
  if (t->keep_body && t->status() == 200)
    t->response.body.insert(t->response.body.end(), data, data + n);
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

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  curl_easy_setopt(curl, option, value);
}

// The schemes curl may speak for a use: a list URL is https (file:// never goes
// through curl), and can never be redirected to http://, file:// or anything else;
// an endpoint is answered where it is, never redirected.
void set_schemes(CURL* curl, UrlUse use) {
  if (use == UrlUse::list_source) {
    set(curl, CURLOPT_PROTOCOLS_STR, "https");
    set(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    set(curl, CURLOPT_FOLLOWLOCATION, 1L);
    set(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
  } else {
    set(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    set(curl, CURLOPT_FOLLOWLOCATION, 0L);
  }
}

// Every option that makes the transfer safe to run against a hostile network.
void configure(CURL* curl, const TransferSettings& s, UrlUse use, const CurlRequest& request,
               Transfer& t, char* error_buffer) {
  set(curl, CURLOPT_URL, request.url.c_str());
  set(curl, CURLOPT_ERRORBUFFER, error_buffer);
  set(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  set(curl, CURLOPT_USERAGENT, s.user_agent.c_str());
  set_schemes(curl, use);
  // TLS: always verified. There is deliberately no setting to turn this off.
  set(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  set(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  set(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!s.ca_file.empty()) set(curl, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.public_key_pin.empty()) set(curl, CURLOPT_PINNEDPUBLICKEY, s.public_key_pin.c_str());
  // The configured proxy or none ("" turns the environment's off): an inherited
  // https_proxy variable must not silently route trust material or personal data
  // elsewhere.
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

  if (request.post_body) {
    set(curl, CURLOPT_POST, 1L);
    set(curl, CURLOPT_POSTFIELDS, request.post_body->data());
    set(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.post_body->size()));
  }
}

std::string describe_failure(CURLcode code, const char* error_buffer, const Transfer& t,
                             const TransferSettings& s, UrlUse use) {
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return "larger than the limit of " + std::to_string(s.max_bytes) + " bytes";
  }
  std::string text = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      return use == UrlUse::list_source ? "refused a URL or redirect that is not https: " + text
                                        : "refused a URL that is not http or https: " + text;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return "TLS certificate not trusted: " + text;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return "TLS public key does not match the configured pin: " + text;
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout: " + text;  // the total timeout, or slower than the low-speed limit
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

CurlResponse failed(std::string error, bool retryable) {
  CurlResponse r;
  r.error = std::move(error);
  r.retryable = retryable;
  return r;
}

}  // namespace

CurlResponse perform(const TransferSettings& settings, UrlUse use, const CurlRequest& request,
                     const std::atomic<bool>& cancel, const base::Clock& clock) {
  init_curl_once();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return failed("libcurl could not start a transfer", true);
  Transfer t;
  t.curl = curl.get();
  t.max_bytes = settings.max_bytes;
  t.keep_body = request.keep_body;
  t.cancel = &cancel;
  t.clock = &clock;
  char error_buffer[CURL_ERROR_SIZE] = {};
  configure(curl.get(), settings, use, request, t, error_buffer);

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& line : request.headers) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) return failed("out of memory for the request headers", true);
    (void)headers.release();
    headers.reset(grown);
  }
  if (headers) set(curl.get(), CURLOPT_HTTPHEADER, headers.get());

  CURLcode code;
  {
    const SigpipeBlock no_sigpipe;
    code = curl_easy_perform(curl.get());
  }
  CurlResponse response = std::move(t.response);
  if (code == CURLE_ABORTED_BY_CALLBACK && cancel.load()) {
    response.cancelled = true;
    response.error = "cancelled (stopping)";
    return response;
  }
  if (code != CURLE_OK) {
    response.error = describe_failure(code, error_buffer, t, settings, use);
    response.retryable = !t.too_large && retryable_code(code);
    response.body.clear();
    return response;
  }
  response.completed = true;
  response.status = t.status();
  return response;
}

}  // namespace kakunin::net::detail
