// Frames per second over a sliding window of arrival times: the one meter behind
// the pump's figures and the status page's 「動作中 30 fps」.
//
//   FrameRate rate(std::chrono::seconds(1));
//   rate.count(frame.captured_at);               // each frame, times in order
//   double shown = rate.per_second();            // over the frames of the last second
//   double live = rate.per_second(clock.steady_now());  // 0 once frames stop coming
//   rate.clear();                                // the camera went offline
//
// Keeps the frames of the last window, and always the last two, so a source
// slower than one frame a window still shows its rate. Not thread-safe: its owner
// holds it under its own mutex.
#pragma once

#include <kakunin/base/clock.h>

#include <chrono>
#include <deque>

namespace kakunin::drivers {

class FrameRate {
 public:
  explicit FrameRate(std::chrono::milliseconds window) : window_(window) {}

  void count(base::SteadyTime at);
  // (frames - 1) / time from the first to the last held; 0 with fewer than two.
  double per_second() const;
  // The same, or 0 when the newest frame is a window or more older than `now`.
  double per_second(base::SteadyTime now) const;
  void clear() { arrivals_.clear(); }

 private:
  std::chrono::milliseconds window_;
  std::deque<base::SteadyTime> arrivals_;
};

}  // namespace kakunin::drivers
