// A FrameSource that misbehaves on cue, for tests and demos of the fault model:
// frames, gaps with no frame, a disconnect, opens that fail, a grab that never
// returns, the end of a stream. The test keeps a FaultControl and steers it while
// a FramePump pulls the source on its own thread.
//
//   auto control = std::make_shared<drivers::FaultControl>();
//   drivers::FramePump pump(drivers::make_fault_source(control));
//   pump.add_sink(sink);
//   pump.start();
//   control->queue(drivers::fault::Disconnect{});  // the sink sees offline, then running again
#pragma once

#include <kakunin/drivers/frame_source.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

namespace kakunin::drivers {

namespace fault {
struct Frames {
  int count = 1;
};  // this many frames
struct Gap {
  int grabs = 1;
};  // this many NoFrameYet; a close() ends the gap (a reset unsticks the camera)
struct Disconnect {
  std::string reason = "camera unplugged";
};                // one SourceOffline
struct Stuck {};  // grab() blocks until FaultControl::release()
struct End {};    // EndOfStream from now on
}  // namespace fault

using FaultStep =
    std::variant<fault::Frames, fault::Gap, fault::Disconnect, fault::Stuck, fault::End>;

// Thread-safe: steered by the test, read by the source on the capture thread.
class FaultControl {
 public:
  // Appended to the script. With the script empty the source is a healthy camera.
  void queue(FaultStep step);
  // The next `count` open() calls fail with `reason` (count < 0: all, until
  // fail_next_opens(0, ...)).
  void fail_next_opens(int count, std::string reason = "no such device /dev/video9");
  // Lets a Stuck grab return (NoFrameYet).
  void release();

  int open_attempts() const;
  int opens() const;  // successful
  int closes() const;
  bool stuck() const;  // a grab is blocked in a Stuck step now

 private:
  friend class FaultSource;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::deque<FaultStep> script_;
  int failing_opens_ = 0;
  std::string open_failure_;
  bool released_flag_ = false;
  bool stuck_ = false;
  int open_attempts_ = 0;
  int opens_ = 0;
  int closes_ = 0;
};

struct FaultSourceOptions {
  std::chrono::milliseconds frame_interval{2};  // between healthy frames
  std::chrono::milliseconds grab_timeout{2};    // how long a NoFrameYet grab waits
  // A Stuck grab gives up after this long anyway, so a broken test cannot hang CI.
  std::chrono::milliseconds stuck_limit{30000};
  int width = 64;
  int height = 48;
};

// Frames are gray8, every pixel the frame's sequence number (mod 256).
std::unique_ptr<FrameSource> make_fault_source(std::shared_ptr<FaultControl> control,
                                               FaultSourceOptions options = {});

}  // namespace kakunin::drivers
