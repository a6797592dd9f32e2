// Kakunin clock check: is the system clock trustworthy enough to judge a QR that
// is valid for 30 seconds? Two independent signals:
//   - the kernel's own view (adjtimex(2): STA_UNSYNC, maximum error), and
//   - the offset from the sync server's HTTP `Date` header.
// The screens show "clock not synchronised" (with the offset when known) while
// report().warn() is true. Details: docs/sync.md.
//
// No function here throws across this header; failures are values.
#pragma once

#include <kakunin/base/clock_state.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kakunin::sync {

struct KernelClock {
  bool synchronised = false;               // NTP (chrony, timesyncd) disciplines the clock
  std::int64_t max_error_microseconds = 0;  // the kernel's bound on the error
};

// The kernel's clock status (read-only adjtimex, no privilege needed); nullopt
// when the call fails.
std::optional<KernelClock> read_kernel_clock();

// An HTTP date (RFC 7231 IMF-fixdate, and the obsolete RFC 850 and asctime
// forms) as Unix time; nullopt when it is not a date.
std::optional<crypto::UnixSeconds> parse_http_date(std::string_view text);

struct ClockReport {
  base::ClockState state = base::ClockState::unknown;
  std::optional<bool> kernel_synchronised;
  std::optional<std::int64_t> kernel_max_error_microseconds;
  std::optional<std::int64_t> offset_seconds;  // local minus server; positive: we are ahead
  std::string message;                          // English, one line, for logs and the CLI
  // True when the screens must show the clock warning.
  bool warn() const { return base::clock_warns(state); }
};

class ClockCheck {
 public:
  using KernelProbe = std::function<std::optional<KernelClock>()>;

  // `probe` is the kernel query; tests pass a fake.
  explicit ClockCheck(config::ClockSettings settings, KernelProbe probe = read_kernel_clock);

  // The sync server's Date and the local time when it arrived (Syncer calls this
  // through its ServerDateObserver). Thread-safe.
  void observe_server_date(crypto::UnixSeconds server_date, crypto::UnixSeconds local_time);

  // Queries the kernel now and combines it with the last observed offset.
  ClockReport report() const;

 private:
  config::ClockSettings settings_;
  KernelProbe probe_;
  mutable std::mutex mutex_;
  std::optional<std::int64_t> offset_seconds_;
};

}  // namespace kakunin::sync
