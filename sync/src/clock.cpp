#include <kakunin/sync/clock.h>

#include <curl/curl.h>
#include <sys/timex.h>

#include <cstdlib>
#include <string>

namespace kakunin::sync {

std::optional<KernelClock> read_kernel_clock() {
  timex tx{};
  tx.modes = 0;  // read only
  const int state = ::adjtimex(&tx);
  if (state == -1) return std::nullopt;
  KernelClock clock;
  clock.synchronised = state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  clock.max_error_microseconds = tx.maxerror;
  return clock;
}

std::optional<crypto::UnixSeconds> parse_http_date(std::string_view text) {
  // curl_getdate() parses all three forms HTTP/1.1 allows (RFC 7231 7.1.1.1) and
  // needs a terminated string. It also takes looser forms; a Date header is only
  // ever compared against our own clock, so leniency cannot cause harm.
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string terminated(text);
  const time_t parsed = curl_getdate(terminated.c_str(), nullptr);
  if (parsed == -1) return std::nullopt;
  return static_cast<crypto::UnixSeconds>(parsed);
}

ClockCheck::ClockCheck(config::ClockSettings settings, KernelProbe probe)
    : settings_(settings), probe_(std::move(probe)) {}

void ClockCheck::observe_server_date(crypto::UnixSeconds server_date,
                                     crypto::UnixSeconds local_time) {
  std::lock_guard lock(mutex_);
  offset_seconds_ = local_time - server_date;
}

ClockReport ClockCheck::report() const {
  ClockReport r;
  {
    std::lock_guard lock(mutex_);
    r.offset_seconds = offset_seconds_;
  }
  if (settings_.check_adjtimex && probe_) {
    if (const auto kernel = probe_()) {
      r.kernel_synchronised = kernel->synchronised;
      r.kernel_max_error_microseconds = kernel->max_error_microseconds;
    }
  }
  const std::string offset_text =
      r.offset_seconds ? "offset from the sync server " + std::to_string(*r.offset_seconds) + " s"
                       : "offset from the sync server not measured yet";
  const std::int64_t allowed_us = std::int64_t{settings_.max_offset_seconds} * 1'000'000;
  if (r.kernel_synchronised == false) {
    r.state = base::ClockState::not_synchronised;
    r.message = "clock not synchronised: the kernel reports no time synchronisation (NTP); " +
                offset_text;
  } else if (r.kernel_max_error_microseconds && *r.kernel_max_error_microseconds > allowed_us) {
    // Synchronised once, but not lately: the kernel's error bound grows while NTP
    // is silent and no longer vouches for the allowed offset.
    r.state = base::ClockState::not_synchronised;
    r.message = "clock not synchronised: the kernel's maximum error is " +
                std::to_string(*r.kernel_max_error_microseconds / 1000) + " ms, more than the allowed " +
                std::to_string(settings_.max_offset_seconds) + " s; " + offset_text;
  } else if (r.offset_seconds && std::llabs(*r.offset_seconds) > settings_.max_offset_seconds) {
    r.state = base::ClockState::offset_too_large;
    r.message = "clock not synchronised: " + offset_text + ", more than the allowed " +
                std::to_string(settings_.max_offset_seconds) + " s";
  } else if (r.kernel_synchronised || r.offset_seconds) {
    r.state = base::ClockState::ok;
    r.message = "clock ok: " + offset_text;
  } else {
    r.state = base::ClockState::unknown;
    r.message = "clock state unknown: " + offset_text;
  }
  return r;
}

}  // namespace kakunin::sync
