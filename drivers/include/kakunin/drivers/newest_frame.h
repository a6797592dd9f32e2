// Keeping only the newest frame (lowest latency, no queue: scrcpy's
// frame_buffer): the one slot the decode stage, a camera's reader thread and the
// kiosk's preview each hold.
//
//   NewestFrame slot;                      // guarded by its owner's mutex
//   if (slot.put(frame)) ++dropped;        // replaced a frame nobody took
//   Frame out;
//   if (slot.take(out)) show(out);         // false: nothing new since the last take
//
// Not thread-safe by itself: its owner keeps it under the mutex that guards the
// rest of its state (and signals its own condition variable).
#pragma once

#include <kakunin/frame/frame.h>

#include <utility>

namespace kakunin::drivers {

class NewestFrame {
 public:
  // Copies `frame` in (reusing the held pixel buffer when it is large enough).
  // True when it replaced a frame that was never taken.
  bool put(const frame::Frame& frame) {
    held_ = frame;
    return std::exchange(fresh_, true);
  }
  bool put(frame::Frame&& frame) {
    held_ = std::move(frame);
    return std::exchange(fresh_, true);
  }

  // Swaps the newest frame into `out` when one came since the last take; `out`'s
  // old buffer stays here for the next put. False, and `out` untouched, otherwise.
  bool take(frame::Frame& out) {
    if (!fresh_) return false;
    std::swap(out, held_);
    fresh_ = false;
    return true;
  }

  bool has_frame() const { return fresh_; }

 private:
  frame::Frame held_;
  bool fresh_ = false;
};

}  // namespace kakunin::drivers
