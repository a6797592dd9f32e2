// Kakunin clock check: is the system clock trustworthy enough to judge a QR that
// is valid for 30 seconds? Two independent signals:
//   - the kernel's own view (adjtimex(2): STA_UNSYNC, maximum error), and
//   - the offset from the sync server's HTTP `Date` header.
// The screens show "clock not synchronised" (with the offset when known) while
// report().warn() is true. Details: docs/sync.md.
//
// No function here throws across this header; failures are values.
#pragma once

#include <kakunin/base/clock.h>
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
  bool synchronised = false;                // NTP (chrony, timesyncd) disciplines the clock
  std::int64_t max_error_microseconds = 0;  // the kernel's bound on the error
};

// The kernel's clock status (read-only adjtimex, no privilege needed); nullopt
// when the call fails.
std::optional<KernelClock> read_kernel_clock();

struct ClockReport {
  base::ClockState state = base::ClockState::unknown;
  std::optional<bool> kernel_synchronised;
  std::optional<std::int64_t> kernel_max_error_microseconds;
  std::optional<std::int64_t> offset_seconds;  // local minus server; positive: we are ahead
  std::string offset_source;                   // the server whose Date gave it (a host name)
  std::string message;                         // English, one line, for logs and the CLI
  // True when the screens must show the clock warning.
  bool warn() const { return base::clock_warns(state); }
};

class ClockCheck {
 public:
  using KernelProbe = std::function<std::optional<KernelClock>()>;

  // `probe` is the kernel query; tests pass a fake. `clock` carries the server's
  // time forward between sync rounds (tests pass a base::FakeClock); it must
  // outlive the check.
  explicit ClockCheck(config::ClockSettings settings, KernelProbe probe = read_kernel_clock,
                      const base::Clock& clock = base::system_clock());

  // The sync server's Date, the local time when it arrived and the server's host
  // name (Syncer calls this through its ServerDateObserver). Thread-safe.
  void observe_server_date(crypto::UnixSeconds server_date, crypto::UnixSeconds local_time,
                           std::string_view server = {});

  // Queries the kernel now and compares the wall clock with the server's time as
  // last observed, carried forward by the steady clock: a wall clock set wrong or
  // stepped between two sync rounds shows at the next report(), not an hour later.
  ClockReport report() const;

 private:
  config::ClockSettings settings_;
  KernelProbe probe_;
  const base::Clock& clock_;
  mutable std::mutex mutex_;
  // The server's time and the steady time it corresponds to, guarded by mutex_.
  std::optional<crypto::UnixSeconds> server_time_;
  base::SteadyTime server_time_at_{};
  std::string server_;
};

}  // namespace kakunin::sync
