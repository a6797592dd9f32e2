// What a capture source hands over: pixels, owned (Frame) or borrowed (FrameView),
// and the source's state. The drivers make frames, the screens draw them and the
// camera's state; this header is all either needs of the other.
//
//   frame::Frame frame = ...;                        // from a FrameSource (drivers)
//   const frame::FrameView view = frame.view();      // borrowed: no copy, no ownership
//   screen.draw(model, &view);
//   if (frame::shows_as_offline(status.state)) ...   // offline, or a file at its end
//   log.info(std::string("capture: ") + std::string(frame::source_state_name(state)));
//
// Value types only; nothing here locks, allocates on its own or throws.
#pragma once

#include <kakunin/base/clock.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace kakunin::frame {

// A borrowed 8-bit grayscale or BGR image: no copy, no ownership.
struct FrameView {
  enum class Format { gray8, bgr24 };
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;  // bytes per row
  Format format = Format::gray8;
};

// A frame that owns its pixels (a source's buffer may be reused after grab()).
struct Frame {
  std::vector<std::uint8_t> pixels;
  int width = 0;
  int height = 0;
  int stride = 0;  // bytes per row
  FrameView::Format format = FrameView::Format::bgr24;
  std::uint64_t sequence = 0;      // per source, increasing
  base::SteadyTime captured_at{};  // when the source had it (for latency figures)

  FrameView view() const { return {pixels.data(), width, height, stride, format}; }
};

// A capture source's state, as its pump or scanner reports it and the status
// page shows it.
enum class SourceState {
  starting,  // not opened yet
  running,   // frames (or scanner lines) arrive
  offline,   // the device is lost or stalled; it is re-opened by itself
  ended,     // a file, folder or video has no more frames
};

// "starting", "running", "offline", "ended" (logs).
constexpr std::string_view source_state_name(SourceState state) {
  switch (state) {
    case SourceState::starting:
      return "starting";
    case SourceState::running:
      return "running";
    case SourceState::offline:
      return "offline";
    case SourceState::ended:
      return "ended";
  }
  return "unknown";
}

// No frame comes without someone acting: staff see "camera offline" for both a
// lost device and a file at its end.
constexpr bool shows_as_offline(SourceState state) {
  return state == SourceState::offline || state == SourceState::ended;
}

}  // namespace kakunin::frame
