#include "http_post.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace kakunin::handoff {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string url_part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "[::1]") return true;
  return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

// The receiver's answer body is not used; it is read and dropped.
size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

int stop_when_aborted(void* abort_flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(abort_flag)->load() ? 1 : 0;
}

}  // namespace

std::string check_endpoint_url(std::string_view url, bool allow_remote) {
  global_init_once();
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) return "out of memory";
  if (curl_url_set(parsed.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return "handoff.post_url is not a valid URL";
  }
  const std::string scheme = url_part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") {
    return "handoff.post_url must start with http:// or https://";
  }
  const std::string host = url_part(parsed.get(), CURLUPART_HOST);
  if (!allow_remote && !is_loopback_host(host)) {
    return "handoff.post_url must point to this machine (127.0.0.1, ::1 or localhost): "
           "personal data is not sent across the network";
  }
  return {};
}

PostResult post_json(const PostRequest& request, const std::atomic<bool>& abort) {
  global_init_once();
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return {0, "cannot start libcurl"};
  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto add_header = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  add_header("Content-Type: application/json; charset=utf-8");
  add_header("Idempotency-Key: " + std::string(request.idempotency_key));
  add_header("Expect:");  // no 100-continue round trip

  const std::string url(request.url);
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (request.loopback_only) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, stop_when_aborted);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&abort));

  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_ABORTED_BY_CALLBACK) return {0, "stopped"};
  if (code != CURLE_OK) return {0, curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  PostResult result{status, {}};
  if (!result.delivered()) result.error = "HTTP " + std::to_string(status);
  return result;
}

}  // namespace kakunin::handoff
