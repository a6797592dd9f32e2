// A Clock for tests: time stands still until the test moves it.
//
//   base::FakeClock clock(1795568400);        // 2026-11-25 10:00:00 Japan time
//   StateMachine machine(settings, clock);
//   clock.advance(20s);                       // wall and steady time move together
//   clock.set_wall(clock.wall_now() + 3 * 365 * 86400);  // a clock jump; steady time stays
//
// Thread-safe: components may read it on their own threads while the test
// advances it. Steady time starts at an arbitrary point, not at the epoch, so
// "no time point yet" (a default time_point) is never mistaken for now.
#pragma once

#include <kakunin/base/clock.h>

#include <atomic>
#include <chrono>

namespace kakunin::base {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds wall_start = 1795568400) : wall_start_(wall_start) {}

  UnixSeconds wall_now() const override {
    return wall_start_.load() + std::chrono::duration_cast<std::chrono::seconds>(elapsed()).count();
  }
  SteadyTime steady_now() const override { return kSteadyStart + elapsed(); }

  void advance(std::chrono::milliseconds by) { elapsed_ms_ += by.count(); }
  // Moves wall time only, as an NTP step or a wrongly set clock does.
  void set_wall(UnixSeconds now) {
    wall_start_ = now - std::chrono::duration_cast<std::chrono::seconds>(elapsed()).count();
  }

 private:
  static constexpr SteadyTime kSteadyStart = SteadyTime{} + std::chrono::hours(1);
  std::chrono::milliseconds elapsed() const {
    return std::chrono::milliseconds(elapsed_ms_.load());
  }

  std::atomic<UnixSeconds> wall_start_;
  std::atomic<std::int64_t> elapsed_ms_{0};
};

}  // namespace kakunin::base
