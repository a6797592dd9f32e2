// Fuzzes the still-image loader (drivers/src/image_file.h) on bytes from memory:
// JPEG, PNG, WebP, TIFF, BMP and PGM/PPM, chosen by the first bytes as for a file
// on a USB stick. Each input is decoded as gray8 and as bgr24 with small limits, so
// a header that claims a giant image must be refused before the allocation that
// -malloc_limit_mb would catch. A decoded image always has its promised layout.
#include "image_file.h"

#include <cstdint>
#include <span>

namespace {

using kakunin::drivers::ImageLimits;
using Format = kakunin::frame::FrameView::Format;

// 2 megapixels, 2048 a side: a BGR frame of 6 MiB and libjpeg's coefficient buffers
// for a progressive image of that size stay far below the 64 MiB malloc limit.
constexpr ImageLimits kLimits{2048, 2'000'000, 1u << 20};

void check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void decode_as(std::span<const std::uint8_t> bytes, Format format) {
  const auto image = kakunin::drivers::decode_image(bytes, format, kLimits);
  if (!image.ok()) {
    check(!image.error().message.empty());  // every refusal has a reason
    return;
  }
  const auto& frame = image.value();
  const int channels = format == Format::gray8 ? 1 : 3;
  check(frame.format == format);
  check(frame.width > 0 && frame.height > 0 && frame.width <= kLimits.max_side &&
        frame.height <= kLimits.max_side &&
        std::int64_t{frame.width} * frame.height <= kLimits.max_pixels);
  check(frame.stride == frame.width * channels);
  check(frame.pixels.size() == static_cast<std::size_t>(frame.stride) * frame.height);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  decode_as(bytes, Format::gray8);
  decode_as(bytes, Format::bgr24);
  return 0;
}
