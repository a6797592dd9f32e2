// The capture seam: every way pixels reach Kakunin (V4L2 camera, image file,
// folder of images, video file, synthetic phone screen, fault-injecting test
// source) is a FrameSource; everything that consumes frames (the decode stage,
// the preview on screen) is a FrameSink. Nothing above this seam knows where a
// frame came from, so tests feed frames instead of a camera.
//
// Sources are pulled (grab()) by one capture thread, the FramePump, which pushes
// each frame to its sinks and turns faults into status changes, re-opening a lost
// device by itself. A source never blocks longer than its own grab timeout.
//
//   struct Preview final : drivers::FrameSink {
//     void push(const frame::Frame& frame) override;         // copy or drop, never block
//     void status(const drivers::SourceStatus& s) override;  // offline, running, ...
//   };
//   drivers::FramePump pump(drivers::make_camera_source(config.capture));  // sources.h
//   pump.add_sink(preview);
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/drivers/qr_decode.h>
#include <kakunin/frame/frame.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kakunin::drivers {

// The drivers' own code names these unqualified; the rest of the tree spells
// them frame::Frame, frame::SourceState (kakunin/frame/frame.h).
using base::SteadyTime;  // kakunin/base/clock.h
using frame::Frame;
using frame::SourceState;

// What one grab() gives.
struct GrabbedFrame {
  Frame frame;
};
struct NoFrameYet {};  // nothing within the grab timeout; the device is still there
struct SourceOffline {
  std::string reason;  // English, for logs: "no such device /dev/video0", ...
};
struct EndOfStream {};  // a file, folder or video has no more frames
using GrabResult = std::variant<GrabbedFrame, NoFrameYet, SourceOffline, EndOfStream>;

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // A short description for logs and the status page ("camera /dev/video0").
  virtual std::string describe() const = 0;
  // (Re)opens the device or file. False, with `reason` set, when it cannot.
  virtual bool open(std::string& reason) = 0;
  // Waits at most the source's own timeout for the next frame.
  virtual GrabResult grab() = 0;
  virtual void close() = 0;
};

struct SourceStatus {
  SourceState state = SourceState::starting;
  std::string reason;  // English, for logs; empty while running
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Called on the capture thread; must return quickly (copy or drop, never queue).
  virtual void push(const Frame& frame) = 0;
  // The source's state changed (offline at once when a camera is lost).
  virtual void status(const SourceStatus& status) { (void)status; }
};

// A QR text, from the decode stage (camera frames) or from a handheld scanner
// (which decodes by itself). The stage that verifies it does not care which.
struct ScannedText {
  std::string text;  // the symbol's bytes as they are
  // Corners in frame pixels, clockwise from top-left; empty for scanners.
  std::vector<std::pair<int, int>> corners;
  std::uint64_t frame_sequence = 0;  // the frame it was read from (0 for scanners)
  SteadyTime captured_at{};          // when the frame (or the scanner's line) arrived
};

class QrTextSink {
 public:
  virtual ~QrTextSink() = default;
  // Called on the decoding or scanner thread; must return quickly.
  virtual void qr_text(const ScannedText& scanned) = 0;
  // The capture device's state changed (a scanner unplugged, ...).
  virtual void status(const SourceStatus& status) { (void)status; }
};

}  // namespace kakunin::drivers
