// Has the camera's picture changed since the last frame the decoder read? A
// thumbnail of cell means, sampled sparsely, answers in a few microseconds,
// so an empty counter — the same desk frame after frame, but for sensor noise —
// costs no decoder run at all, and a phone coming into view is read on the
// first frame that shows it.
//
//   SceneThumbnail now = SceneThumbnail::of(frame);
//   if (now.differs_from(last_read)) { read it; last_read = now; }
#pragma once

#include <kakunin/frame/frame.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace kakunin::drivers {

class SceneThumbnail {
 public:
  static constexpr int kColumns = 32;
  static constexpr int kRows = 18;

  // Means of kColumns x kRows cells, each from an 8 x 8 grid of samples (the
  // green channel of a BGR frame: what a camera's luminance mostly is).
  static SceneThumbnail of(const frame::FrameView& frame);

  // True when enough cells changed brightness by more than sensor noise does.
  // Noise of a few grey levels averages out over a cell's 64 samples; a phone, a
  // hand or a light switched on moves many cells by far more. An empty thumbnail
  // (none taken yet, or a frame of another size) differs from everything.
  bool differs_from(const SceneThumbnail& before) const;

 private:
  std::array<std::uint8_t, std::size_t{kColumns} * kRows> cells_{};
  int width_ = 0;
  int height_ = 0;
};

}  // namespace kakunin::drivers
