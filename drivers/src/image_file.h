// Private: the one still-image loader of the drivers, for files nobody vouches for
// (a USB stick, a field tester's folder) and for a camera's MJPEG buffers.
//
//   base::Result<Frame> image = read_image_file(path, FrameView::Format::bgr24);
//   if (!image.ok()) return SourceOffline{image.error().message};  // English, one line
//
//   base::Result<Frame> frame = decode_jpeg(buffer, FrameView::Format::bgr24);  // MJPEG
//
// The format is told by the first bytes, not the name: JPEG (libturbojpeg), PNG
// (libpng), WebP (libwebp), TIFF (libtiff), BMP and binary PGM/PPM (read here; both
// are a header and raw rows). Without OpenCV's imgcodecs, which maps GDAL and gdcm.
// Every decoder reads the header first and refuses dimensions beyond ImageLimits
// before it allocates pixels; corrupt data gives a reason, never a crash.
//
// The pixels are the ones cv::imread gives for IMREAD_COLOR / IMREAD_GRAYSCALE
// (the same libraries with the same settings; tests/drivers/image_file_test.cpp
// compares them), except that EXIF orientation is not applied: the QR readers find
// a symbol at any rotation, so turning the photo upright would buy nothing.
#pragma once

#include <kakunin/base/result.h>
#include <kakunin/frame/frame.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace kakunin::drivers {

struct ImageLimits {
  int max_side = 8192;                     // pixels, width and height each
  std::int64_t max_pixels = 40'000'000;    // width × height
  std::size_t max_file_bytes = 64u << 20;  // what is read from disk at most
};

// The image in `bytes` as `format` (gray8 or bgr24, stride = width × channels).
base::Result<frame::Frame> decode_image(std::span<const std::uint8_t> bytes,
                                        frame::FrameView::Format format,
                                        const ImageLimits& limits = {});

// decode_image for JPEG only: the camera's MJPEG frames go through the same decoder.
base::Result<frame::Frame> decode_jpeg(std::span<const std::uint8_t> bytes,
                                       frame::FrameView::Format format,
                                       const ImageLimits& limits = {});

// Reads at most limits.max_file_bytes of a regular file, then decode_image. The
// message names the file: "cannot read image 'PATH' (REASON)".
base::Result<frame::Frame> read_image_file(const std::filesystem::path& path,
                                           frame::FrameView::Format format,
                                           const ImageLimits& limits = {});

}  // namespace kakunin::drivers
