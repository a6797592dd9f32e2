// Private to the still-image loader (image_file.h): one decoder per format, and the
// pieces they share. Callers use decode_image(), which picks the decoder by the
// file's first bytes; these assume that check was made.
//
//   if (auto refused = check_dimensions(width, height, limits)) return *refused;
//   Frame frame = blank_frame(width, height, Format::bgr24);  // then fill the rows
//   return bgr_as(std::move(frame), format);                  // gray8 when asked
#pragma once

#include "image_file.h"

#include <optional>

namespace kakunin::drivers {

// Refuses an empty image or one beyond `limits`, before any pixel is allocated.
std::optional<base::Error> check_dimensions(std::int64_t width, std::int64_t height,
                                            const ImageLimits& limits);
// Zeroed pixels, stride = width × channels.
frame::Frame blank_frame(int width, int height, frame::FrameView::Format format);
// `bgr` itself, or its grey version (OpenCV's BGR2GRAY weights, as imread's).
frame::Frame bgr_as(frame::Frame bgr, frame::FrameView::Format format);

// Through Debian's libraries (image_formats.cpp).
base::Result<frame::Frame> decode_png(std::span<const std::uint8_t> bytes,
                                      frame::FrameView::Format format, const ImageLimits& limits);
base::Result<frame::Frame> decode_webp(std::span<const std::uint8_t> bytes,
                                       frame::FrameView::Format format, const ImageLimits& limits);
base::Result<frame::Frame> decode_tiff(std::span<const std::uint8_t> bytes,
                                       frame::FrameView::Format format, const ImageLimits& limits);

// A header and raw rows, read here (image_formats_raw.cpp): uncompressed BMP of 1,
// 4, 8, 24 or 32 bits, and binary PGM (P5) / PPM (P6).
base::Result<frame::Frame> decode_bmp(std::span<const std::uint8_t> bytes,
                                      frame::FrameView::Format format, const ImageLimits& limits);
base::Result<frame::Frame> decode_pnm(std::span<const std::uint8_t> bytes,
                                      frame::FrameView::Format format, const ImageLimits& limits);

}  // namespace kakunin::drivers
