// The one clock seam: whatever reads the time takes a `const Clock&`, so a test
// drives time with a FakeClock (fake_clock.h) instead of sleeping and racing the
// real clock.
//
//   class Thing { public: explicit Thing(const base::Clock& clock = base::system_clock()); };
//   if (clock_.steady_now() - started_ > timeout) give_up();  // timeouts: steady time
//   record.checked_at = clock_.wall_now();                     // what a person reads: wall time
//
// Wall time (Unix seconds) can jump (NTP steps, a wrong RTC); steady time never
// does, so every timeout and backoff measures steady time. Waits on a condition
// variable take a duration computed from steady_now(), never a deadline on
// std::chrono::steady_clock, so a fake clock's time points are never mixed with
// the real one's.
#pragma once

#include <chrono>
#include <cstdint>

namespace kakunin::base {

using UnixSeconds = std::int64_t;  // the same type as crypto::UnixSeconds
using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds wall_now() const = 0;   // for verification, records and display
  virtual SteadyTime steady_now() const = 0;  // for timeouts (never jumps)
};

class SystemClock final : public Clock {
 public:
  UnixSeconds wall_now() const override;
  SteadyTime steady_now() const override;
};

// The process's SystemClock, the default for components given no clock.
const Clock& system_clock();

}  // namespace kakunin::base
