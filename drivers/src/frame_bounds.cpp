// check_dimensions and blank_frame (image_formats.h): the bounds every decoder of
// untrusted pixels checks before it allocates. Compiled into kakunin_drivers and
// into the video module (drivers/video/), which links no kakunin library.
#include "image_formats.h"

#include <string>

namespace kakunin::drivers {

using frame::Frame;
using Format = frame::FrameView::Format;

std::optional<base::Error> check_dimensions(std::int64_t width, std::int64_t height,
                                            const ImageLimits& limits) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width <= 0 || height <= 0) return base::Error{"the image has no pixels (" + size + ")"};
  if (width > limits.max_side || height > limits.max_side || width * height > limits.max_pixels) {
    return base::Error{"the image is " + size + ", more than the " +
                       std::to_string(limits.max_side) + " pixels a side or " +
                       std::to_string(limits.max_pixels / 1'000'000) +
                       " megapixels this kiosk reads"};
  }
  return std::nullopt;
}

Frame blank_frame(int width, int height, Format format) {
  Frame frame;
  frame.width = width;
  frame.height = height;
  frame.format = format;
  frame.stride = width * (format == Format::gray8 ? 1 : 3);
  frame.pixels.resize(static_cast<std::size_t>(frame.stride) * static_cast<std::size_t>(height));
  return frame;
}

}  // namespace kakunin::drivers
