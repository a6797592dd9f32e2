// The still-image loader (image_file.h): the format by its first bytes, then one
// decoder per format, each checking the header's dimensions before it allocates.
#include "image_file.h"

#include "image_formats.h"

#include <kakunin/base/read_file.h>

#include <opencv2/imgproc.hpp>

#include <turbojpeg.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

namespace kakunin::drivers {

using frame::Frame;
using Format = frame::FrameView::Format;

Frame bgr_as(Frame bgr, Format format) {
  if (format == Format::bgr24) return bgr;
  // cvtColor, as cv::imread does for the decoders that only give colour (WebP).
  Frame gray = blank_frame(bgr.width, bgr.height, Format::gray8);
  const cv::Mat from(bgr.height, bgr.width, CV_8UC3, bgr.pixels.data(),
                     static_cast<std::size_t>(bgr.stride));
  cv::Mat to(gray.height, gray.width, CV_8UC1, gray.pixels.data(),
             static_cast<std::size_t>(gray.stride));
  cv::cvtColor(from, to, cv::COLOR_BGR2GRAY);
  return gray;
}

namespace {

struct TjDestroy {
  void operator()(void* handle) const { tjDestroy(handle); }
};

// A progressive JPEG decodes the whole image once per scan, so a small file with
// thousands of scans costs minutes (libjpeg-turbo 3 added a scan limit for this;
// Debian 12 has 2.1). FF DA starts a scan and cannot occur inside entropy-coded
// data (FF is stuffed there), so counting it bounds the scans from above; 500 is
// libjpeg-turbo's own suggested limit, and real files have at most a few dozen.
constexpr std::size_t kMaxJpegScans = 500;

std::size_t jpeg_scan_markers(std::span<const std::uint8_t> bytes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == 0xff && bytes[i + 1] == 0xda) ++count;
  }
  return count;
}

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic, std::size_t at = 0) {
  if (bytes.size() < at + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char m, std::uint8_t b) { return static_cast<std::uint8_t>(m) == b; });
}

}  // namespace

base::Result<Frame> decode_jpeg(std::span<const std::uint8_t> bytes, Format format,
                                const ImageLimits& limits) {
  if (jpeg_scan_markers(bytes) > kMaxJpegScans) {
    return base::Error{"the JPEG has more than " + std::to_string(kMaxJpegScans) + " scans"};
  }
  const std::unique_ptr<void, TjDestroy> handle(tjInitDecompress());
  if (!handle) return base::Error{"cannot start the JPEG decoder"};
  auto* data = const_cast<unsigned char*>(bytes.data());  // turbojpeg 2.1 is not const-correct
  const auto size = static_cast<unsigned long>(bytes.size());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle.get(), data, size, &width, &height, &subsampling, &colorspace) !=
      0) {
    return base::Error{std::string("not a readable JPEG (") + tjGetErrorStr2(handle.get()) + ")"};
  }
  if (auto refused = check_dimensions(width, height, limits)) return *refused;
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
    return base::Error{"a CMYK JPEG (a print file, not a photo or a screenshot)"};
  }
  Frame frame = blank_frame(width, height, format);
  // Flags 0: the accurate DCT and fancy upsampling, libjpeg's defaults, which
  // cv::imread uses too. A warning (a truncated or slightly corrupt stream) still
  // gives the whole image, the missing part grey, as imread accepts it.
  const int pixel_format = format == Format::gray8 ? TJPF_GRAY : TJPF_BGR;
  if (tjDecompress2(handle.get(), data, size, frame.pixels.data(), width, frame.stride, height,
                    pixel_format, 0) != 0 &&
      tjGetErrorCode(handle.get()) != TJERR_WARNING) {
    return base::Error{std::string("a corrupt JPEG (") + tjGetErrorStr2(handle.get()) + ")"};
  }
  return frame;
}

base::Result<Frame> decode_image(std::span<const std::uint8_t> bytes, Format format,
                                 const ImageLimits& limits) {
  if (starts_with(bytes, "\xff\xd8\xff")) return decode_jpeg(bytes, format, limits);
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return decode_png(bytes, format, limits);
  if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) {
    return decode_webp(bytes, format, limits);
  }
  if (starts_with(bytes, std::string_view("II*\0", 4)) ||
      starts_with(bytes, std::string_view("MM\0*", 4))) {
    return decode_tiff(bytes, format, limits);
  }
  if (starts_with(bytes, "BM")) return decode_bmp(bytes, format, limits);
  if (starts_with(bytes, "P5") || starts_with(bytes, "P6")) {
    return decode_pnm(bytes, format, limits);
  }
  return base::Error{"not a PNG, JPEG or WebP image (nor a TIFF, BMP, PGM or PPM)"};
}

base::Result<Frame> read_image_file(const std::filesystem::path& path, Format format,
                                    const ImageLimits& limits) {
  auto bytes = base::read_file_bytes(path, limits.max_file_bytes);
  if (!bytes.ok()) return base::Error{"cannot read image: " + bytes.error().message};
  auto image = decode_image(bytes.value(), format, limits);
  if (!image.ok()) {
    return base::Error{"cannot read image '" + path.string() + "' (" + image.error().message + ")"};
  }
  return image;
}

}  // namespace kakunin::drivers
