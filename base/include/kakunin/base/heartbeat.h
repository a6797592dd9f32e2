// A worker thread's sign of life, for the kiosk's systemd watchdog
// (kakunin/kiosk/watchdog.h). The thread says when it waits for work and when
// it begins a piece of work; another thread asks whether it is alive. Waiting,
// however long, is alive (a decoder with no new frame, sync between rounds);
// working is alive only until `stuck_after` has passed since that piece began,
// so a thread stuck inside a call (a decoder that never returns, a transfer past
// every timeout) is found, and an idle one never is.
//
//   base::Heartbeat heartbeat(clock);        // starts waiting
//   heartbeat.waiting();                     // before the condition-variable wait
//   heartbeat.working();                     // a frame taken, a download begun
//   if (!heartbeat.alive(10s)) stop_pinging();  // the watchdog, on another thread
//
// Thread-safe: one atomic, written by the worker, read by anyone. Steady time
// from the given Clock, so tests move a FakeClock instead of sleeping.
#pragma once

#include <kakunin/base/clock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

namespace kakunin::base {

class Heartbeat {
 public:
  explicit Heartbeat(const Clock& clock = system_clock()) : clock_(clock) {}
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  // The thread waits for work (or is not running): alive however long.
  void waiting() { working_since_ = kWaiting; }
  // The thread begins a piece of work now; also called again between the pieces
  // of a longer job (each transfer attempt) so each piece has its own limit.
  void working() { working_since_ = clock_.steady_now().time_since_epoch().count(); }

  // How long the current piece of work has taken; nullopt while waiting.
  std::optional<std::chrono::milliseconds> working_for() const {
    const std::int64_t since = working_since_.load();
    if (since == kWaiting) return std::nullopt;
    const SteadyTime began{SteadyTime::duration(since)};
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - began);
  }
  bool alive(std::chrono::milliseconds stuck_after) const {
    const auto busy = working_for();
    return !busy || *busy <= stuck_after;
  }

 private:
  static constexpr std::int64_t kWaiting = std::numeric_limits<std::int64_t>::min();
  const Clock& clock_;
  std::atomic<std::int64_t> working_since_{kWaiting};  // steady ticks, or kWaiting
};

}  // namespace kakunin::base
