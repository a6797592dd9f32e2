// Hands out frames at a source's own rate (a video file's, a synthetic camera's):
// frame n is due n periods after the first, so time spent between grabs does not
// add up to drift, and a late frame goes out at once.
//
//   FramePacer pacer(30);        // frames per second; 0 or less: no pacing
//   pacer.restart();             // at open(): the next frame is the first
//   pacer.wait_for_next();       // in grab(), before handing the frame over
//
// Real time (it sleeps on std::chrono::steady_clock): for sources that stand in
// for a camera, never for code that a test drives with a FakeClock.
#pragma once

#include <chrono>
#include <cstdint>

namespace kakunin::drivers {

class FramePacer {
 public:
  explicit FramePacer(double frames_per_second);

  void restart() { frames_ = 0; }
  // Returns at once for the first frame after restart(), which starts the count.
  void wait_for_next();

 private:
  std::chrono::steady_clock::duration period_{};  // zero: no pacing
  std::chrono::steady_clock::time_point first_{};
  std::uint64_t frames_ = 0;
};

}  // namespace kakunin::drivers
