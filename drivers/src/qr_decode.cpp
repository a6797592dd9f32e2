// QR decoding with ZBar: the single decode step every capture path shares.
#include <kakunin/drivers/qr_decode.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zbar.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace kakunin::drivers {

// zbar.h puts its C API in namespace zbar when compiled as C++.
using namespace zbar;
namespace {

struct ScannerDeleter {
  void operator()(zbar_image_scanner_t* scanner) const { zbar_image_scanner_destroy(scanner); }
};
struct ImageDeleter {
  void operator()(zbar_image_t* image) const { zbar_image_destroy(image); }
};
using ScannerPtr = std::unique_ptr<zbar_image_scanner_t, ScannerDeleter>;
using ZbarImagePtr = std::unique_ptr<zbar_image_t, ImageDeleter>;

// A scanner per call: ZBar scanners hold per-image state and are not thread-safe,
// and creating one costs microseconds against milliseconds of scanning, so there
// is no shared instance to guard.
ScannerPtr make_qr_scanner() {
  ScannerPtr scanner(zbar_image_scanner_create());
  zbar_image_scanner_set_config(scanner.get(), ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  // Binary mode returns the symbol's bytes as they are: no guessing of a text
  // encoding, which could alter a JHC1 text.
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  return scanner;
}

void scan_gray(const cv::Mat& gray, std::vector<Decoded>& found) {
  ScannerPtr scanner = make_qr_scanner();
  ZbarImagePtr image(zbar_image_create());
  zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image.get(), static_cast<unsigned>(gray.cols), static_cast<unsigned>(gray.rows));
  // ZBar reads the buffer in place; no cleanup handler since cv::Mat owns it.
  zbar_image_set_data(image.get(), gray.data, gray.total(), nullptr);
  if (zbar_scan_image(scanner.get(), image.get()) <= 0) return;
  for (const zbar_symbol_t* symbol = zbar_image_first_symbol(image.get()); symbol;
       symbol = zbar_symbol_next(symbol)) {
    Decoded decoded;
    decoded.text.assign(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
    const unsigned points = zbar_symbol_get_loc_size(symbol);
    for (unsigned i = 0; i < points; ++i) {
      decoded.corners.emplace_back(zbar_symbol_get_loc_x(symbol, i), zbar_symbol_get_loc_y(symbol, i));
    }
    const bool seen = std::any_of(found.begin(), found.end(),
                                  [&](const Decoded& d) { return d.text == decoded.text; });
    if (!seen) found.push_back(std::move(decoded));
  }
}

cv::Mat to_gray(const FrameView& frame) {
  const int type = frame.format == FrameView::Format::gray8 ? CV_8UC1 : CV_8UC3;
  const cv::Mat view(frame.height, frame.width, type, const_cast<std::uint8_t*>(frame.data),
                     static_cast<std::size_t>(frame.stride));
  cv::Mat gray;
  if (type == CV_8UC1) {
    view.copyTo(gray);  // continuous, and ZBar must not see a caller's stride
  } else {
    cv::cvtColor(view, gray, cv::COLOR_BGR2GRAY);
  }
  return gray;
}

}  // namespace

std::vector<Decoded> decode(const FrameView& frame, const DecodeOptions& options) {
  std::vector<Decoded> found;
  if (!frame.data || frame.width <= 0 || frame.height <= 0) return found;
  cv::Mat gray = to_gray(frame);
  scan_gray(gray, found);
  if (found.empty() && options.try_inverted) {
    cv::Mat inverted;
    cv::bitwise_not(gray, inverted);
    scan_gray(inverted, found);
  }
  if (found.empty() && options.try_mirrored) {
    cv::Mat mirrored;
    cv::flip(gray, mirrored, 1);
    scan_gray(mirrored, found);
  }
  return found;
}

std::optional<Image> load_image(const std::string& path, std::string* error) {
  cv::Mat gray;
  std::error_code no_throw;
  if (!std::filesystem::is_regular_file(path, no_throw)) {
    if (error) *error = "cannot read image " + path + " (no such file)";
    return std::nullopt;
  }
  try {
    gray = cv::imread(path, cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception&) {
    gray.release();
  }
  if (gray.empty()) {
    if (error) *error = "cannot read image " + path + " (missing, or not PNG/JPEG/WebP)";
    return std::nullopt;
  }
  Image image;
  image.width = gray.cols;
  image.height = gray.rows;
  if (!gray.isContinuous()) gray = gray.clone();
  image.pixels.assign(gray.data, gray.data + gray.total());
  return image;
}

}  // namespace kakunin::drivers
