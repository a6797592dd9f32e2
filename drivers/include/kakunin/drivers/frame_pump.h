// The FramePump: the one capture thread. It pulls a FrameSource, pushes every
// frame to its FrameSinks, and turns faults into SourceStatus changes the moment
// they happen:
//
//   starting  -> running   the first frame after (re)opening
//   *         -> offline   open failed (camera missing), grab said offline
//                          (unplugged), or no frame for `stall_after` ("camera stalled")
//   *         -> ended     a file, folder or video has no more frames
//
// After offline it closes the source and re-opens it by itself, waiting
// reopen_initial, doubling up to reopen_max between attempts; a frame resets the
// wait. A grab that does not return at all (a driver stuck in the kernel) is seen
// by a watchdog thread and reported as stalled too. stop() returns within
// stop_timeout even then: the stuck capture thread is left to finish by itself
// and no sink hears from it again.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/drivers/frame_source.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace kakunin::drivers {

struct PumpTimings {
  std::chrono::milliseconds stall_after{3000};
  std::chrono::milliseconds reopen_initial{250};
  std::chrono::milliseconds reopen_max{5000};
  std::chrono::milliseconds stop_timeout{1000};
};

struct PumpStats {
  SourceStatus status;
  double fps = 0;             // frames per second over the last second or so; 0 when none
  std::uint64_t frames = 0;   // pushed since start()
  std::uint64_t reopens = 0;  // open attempts after the first
  std::string source;         // the source's describe()
};

class FramePump {
 public:
  // Stalls, backoff and fps are measured on `clock`'s steady time (tests pass a
  // base::FakeClock); the waits between re-opens are real waits of that length.
  // The clock must outlive a capture thread that stop() leaves stuck in the source.
  explicit FramePump(std::unique_ptr<FrameSource> source, PumpTimings timings = {},
                     const base::Clock& clock = base::system_clock());
  ~FramePump();  // stop()
  FramePump(const FramePump&) = delete;
  FramePump& operator=(const FramePump&) = delete;

  // Sinks are called on the capture thread (push, status) or the watchdog thread
  // (status), never two at once. Add them before start(); they must outlive the
  // pump or stop().
  void add_sink(FrameSink& sink);

  void start();

  // Stops the capture within stop_timeout. True when the capture thread has
  // finished; false when it is stuck inside the source and was left behind (it
  // ends when the source returns). Either way no sink is called after stop().
  bool stop();

  PumpStats stats() const;

  struct State;  // opaque; shared with the pump's threads

 private:
  std::shared_ptr<State> state_;
  std::thread capture_thread_;   // joined by stop(), or left behind when stuck in the source
  std::thread watchdog_thread_;  // always joined by stop()
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace kakunin::drivers
