#include "scene_change.h"

#include <cstdlib>

namespace kakunin::drivers {
namespace {

constexpr int kSamplesPerSide = 8;
// A cell whose mean moved by more than this many grey levels has changed:
// several times the noise of a cell mean (sigma / 8 for 64 samples) even for a
// camera in a dim room (sigma about 6), well under what an object brings.
constexpr int kCellThreshold = 8;
// So many changed cells make a changed scene (one or two cells flicker with a
// fluorescent tube or a screen in view; a phone covers dozens).
constexpr int kChangedCells = 3;

}  // namespace

SceneThumbnail SceneThumbnail::of(const frame::FrameView& frame) {
  SceneThumbnail thumbnail;
  if (!frame.data || frame.width < kColumns || frame.height < kRows) return thumbnail;
  const bool gray = frame.format == frame::FrameView::Format::gray8;
  const int bytes_per_pixel = gray ? 1 : 3;
  const int channel = gray ? 0 : 1;
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) {
      int sum = 0;
      for (int sy = 0; sy < kSamplesPerSide; ++sy) {
        const int y = (row * kSamplesPerSide + sy) * frame.height / (kRows * kSamplesPerSide);
        const std::uint8_t* line = frame.data + static_cast<std::ptrdiff_t>(y) * frame.stride;
        for (int sx = 0; sx < kSamplesPerSide; ++sx) {
          const int x =
              (column * kSamplesPerSide + sx) * frame.width / (kColumns * kSamplesPerSide);
          sum += line[static_cast<std::ptrdiff_t>(x) * bytes_per_pixel + channel];
        }
      }
      thumbnail
          .cells_[static_cast<std::size_t>(row) * kColumns + static_cast<std::size_t>(column)] =
          static_cast<std::uint8_t>(sum / (kSamplesPerSide * kSamplesPerSide));
    }
  }
  thumbnail.width_ = frame.width;
  thumbnail.height_ = frame.height;
  return thumbnail;
}

bool SceneThumbnail::differs_from(const SceneThumbnail& before) const {
  if (width_ == 0 || width_ != before.width_ || height_ != before.height_) return true;
  int changed = 0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (std::abs(cells_[i] - before.cells_[i]) > kCellThreshold && ++changed >= kChangedCells)
      return true;
  }
  return false;
}

}  // namespace kakunin::drivers
