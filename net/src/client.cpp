// The one HTTP client (GET of a list, POST of a hand-off) and file:// reads.
#include <kakunin/base/read_file.h>
#include <kakunin/net/net.h>

#include <cerrno>

#include "curl_transfer.h"
#include "file_reads.h"
#include "url_parts.h"

namespace kakunin::net {
namespace {

bool retryable_status(long status) { return status >= 500 || status == 408 || status == 429; }

std::string status_text(long status) { return "HTTP status " + std::to_string(status); }

// A read error that a share coming back may cure; a missing file, a folder or a
// FIFO in its place, a file too large stay what they are.
bool retryable_read_error(int os_error) {
  return os_error == EIO || os_error == ETIMEDOUT || os_error == EHOSTDOWN || os_error == ESTALE ||
         os_error == EAGAIN || os_error == EINTR;
}

GetResult failed(std::string error, bool retryable = false) {
  GetResult r;
  r.error = std::move(error);
  r.retryable = retryable;
  return r;
}

GetResult cancelled() {
  GetResult r;
  r.status = GetResult::Status::cancelled;
  r.error = "cancelled (stopping)";
  return r;
}

std::string hung_share_text(const TransferSettings& s) {
  return "timeout: reading the file took longer than " + std::to_string(s.total_timeout.count()) +
         " ms (a hung share or a failing USB stick?); the read is left to finish on its own";
}

GetResult read_file_url(detail::FileReads& reads, const std::string& path,
                        const TransferSettings& s, const std::atomic<bool>& cancel,
                        const base::Clock& clock) {
  using Kind = detail::FileReadOutcome::Kind;
  const std::size_t max_bytes = static_cast<std::size_t>(std::max<std::int64_t>(0, s.max_bytes));
  detail::FileReadOutcome read = reads.read(path, max_bytes, s.total_timeout, cancel, clock);
  switch (read.kind) {
    case Kind::cancelled:
      return cancelled();
    case Kind::timed_out:
      return failed(hung_share_text(s), true);
    case Kind::still_stuck:
      return failed(
          "timeout: an earlier read of this file has not returned yet "
          "(a hung share or a failing USB stick?)",
          true);
    case Kind::no_thread:
      return failed("cannot start a thread to read the file", true);
    case Kind::done:
      break;
  }
  if (!read.result.ok()) {
    return failed(read.result.error().message, retryable_read_error(read.result.error().os_error));
  }
  GetResult r;
  r.status = GetResult::Status::fetched;
  r.body = std::move(read.result).value();
  r.received_at = clock.wall_now();
  return r;
}

}  // namespace

Client::Client(TransferSettings settings, UrlUse use, const base::Clock& clock)
    : settings_(std::move(settings)),
      use_(use),
      clock_(clock),
      file_reads_(detail::FileReads::make(&base::read_file_bytes)) {}

Client::~Client() = default;

GetResult Client::get(std::string_view url, const Validators& validators,
                      const std::atomic<bool>& cancel) const {
  if (auto bad = check_url(url, use_)) return failed(*bad);
  if (cancel.load()) return cancelled();  // nothing new starts once stopping
  if (detail::has_scheme(url, "file")) {
    const auto parsed = detail::parse_url(url);
    if (!parsed) return failed("a file:// URL must name a local file (file:///PATH)");
    return read_file_url(*file_reads_, parsed->path, settings_, cancel, clock_);
  }
  detail::CurlRequest request;
  request.url = std::string(url);
  request.keep_body = true;
  if (!validators.etag.empty()) request.headers.push_back("If-None-Match: " + validators.etag);
  if (!validators.last_modified.empty()) {
    request.headers.push_back("If-Modified-Since: " + validators.last_modified);
  }
  detail::CurlResponse response = detail::perform(settings_, use_, request, cancel, clock_);

  GetResult result;
  result.server_date = response.server_date;
  result.received_at = response.received_at;
  if (response.cancelled) {
    result.status = GetResult::Status::cancelled;
    result.error = std::move(response.error);
    return result;
  }
  if (!response.completed) {
    result.error = std::move(response.error);
    result.retryable = response.retryable;
    return result;
  }
  if (response.status == 200 || response.status == 304) {
    result.status =
        response.status == 200 ? GetResult::Status::fetched : GetResult::Status::not_modified;
    result.body = std::move(response.body);
    result.validators = std::move(response.validators);
    return result;
  }
  result.error = status_text(response.status);
  result.retryable = retryable_status(response.status);
  return result;
}

PostResult Client::post_json(const PostRequest& request, const std::atomic<bool>& cancel) const {
  if (auto bad = check_url(request.url, use_)) return {0, *bad};
  if (request.idempotency_key.find_first_of("\r\n") != std::string_view::npos) {
    return {0, "the Idempotency-Key must be one line"};
  }
  if (cancel.load()) return {0, "cancelled (stopping)"};
  detail::CurlRequest post;
  post.url = std::string(request.url);
  post.post_body = request.body;
  post.headers = {
      "Content-Type: application/json; charset=utf-8",
      "Idempotency-Key: " + std::string(request.idempotency_key),
      "Expect:",  // no 100-continue round trip
  };
  const detail::CurlResponse response = detail::perform(settings_, use_, post, cancel, clock_);
  if (!response.completed) return {0, response.error};
  PostResult result{response.status, {}};
  if (!result.delivered()) result.error = status_text(response.status);
  return result;
}

}  // namespace kakunin::net
