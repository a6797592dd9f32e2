// A blocking frame read (a camera driver's) turned into a bounded grab.
//
// cv::VideoCapture::read() and friends block until the device hands over a frame,
// and a stalled device can hold them for seconds. A ReaderThread calls such a read
// over and over on its own thread and keeps only the newest frame; take() waits at
// most its timeout. A frame not taken before the next one arrives is dropped, so
// the consumer always sees what the camera sees now, never a queue of old frames
// (scrcpy's frame_buffer does the same).
//
//   drivers::ReaderThread reader([&capture]() -> drivers::BlockingReadResult {
//     return read_one(capture);  // a Frame, or SourceOffline when the device is gone
//   });
//   drivers::GrabResult next = reader.take(std::chrono::milliseconds(200));  // in grab()
#pragma once

#include <kakunin/drivers/frame_source.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <variant>

namespace kakunin::drivers {

// One blocking read: a frame, or the device is gone (the thread then stops).
using BlockingReadResult = std::variant<Frame, SourceOffline>;
using BlockingRead = std::function<BlockingReadResult()>;

class ReaderThread {
 public:
  // Starts calling `read` on a new thread. `read` is owned by that thread's state
  // and destroyed when the thread is done with it (releasing a device it holds).
  explicit ReaderThread(BlockingRead read);
  ~ReaderThread();  // stop(1 s)
  ReaderThread(const ReaderThread&) = delete;
  ReaderThread& operator=(const ReaderThread&) = delete;

  // The newest frame not taken yet, waiting at most `timeout`: GrabbedFrame,
  // NoFrameYet, or SourceOffline once the read said the device is gone.
  GrabResult take(std::chrono::milliseconds timeout);

  // Asks the thread to stop after its current read and waits up to `timeout`.
  // False when it is still stuck in the read: it is then left to finish by itself.
  bool stop(std::chrono::milliseconds timeout);

  // Frames overwritten by a newer one before anyone took them.
  std::uint64_t dropped_frames() const;

  struct State;  // opaque; shared with the thread

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace kakunin::drivers
