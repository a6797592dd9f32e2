#include <kakunin/sync/clock.h>

#include <sys/timex.h>

#include <algorithm>
#include <chrono>
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

ClockCheck::ClockCheck(config::ClockSettings settings, KernelProbe probe, const base::Clock& clock)
    : settings_(settings), probe_(std::move(probe)), clock_(clock) {}

void ClockCheck::observe_server_date(crypto::UnixSeconds server_date,
                                     crypto::UnixSeconds local_time, std::string_view server) {
  // The Date arrived at `local_time` (wall); the steady time then is now minus what
  // the wall clock says has passed since (never more than the round took).
  const std::int64_t since = std::max<std::int64_t>(0, clock_.wall_now() - local_time);
  std::lock_guard lock(mutex_);
  server_time_ = server_date;
  server_time_at_ = clock_.steady_now() - std::chrono::seconds(since);
  server_ = std::string(server);
}

ClockReport ClockCheck::report() const {
  ClockReport r;
  {
    std::lock_guard lock(mutex_);
    if (server_time_) {
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::seconds>(clock_.steady_now() - server_time_at_)
              .count();
      r.offset_seconds = clock_.wall_now() - (*server_time_ + elapsed);
      r.offset_source = server_;
    }
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
    r.message =
        "clock not synchronised: the kernel reports no time synchronisation (NTP); " + offset_text;
  } else if (r.kernel_max_error_microseconds && *r.kernel_max_error_microseconds > allowed_us) {
    // Synchronised once, but not lately: the kernel's error bound grows while NTP
    // is silent and no longer vouches for the allowed offset.
    r.state = base::ClockState::not_synchronised;
    r.message = "clock not synchronised: the kernel's maximum error is " +
                std::to_string(*r.kernel_max_error_microseconds / 1000) +
                " ms, more than the allowed " + std::to_string(settings_.max_offset_seconds) +
                " s; " + offset_text;
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
