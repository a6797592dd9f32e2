#include <kakunin/base/clock.h>

namespace kakunin::base {

UnixSeconds SystemClock::wall_now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SteadyTime SystemClock::steady_now() const { return std::chrono::steady_clock::now(); }

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace kakunin::base
