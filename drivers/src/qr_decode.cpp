// QR decoding with ZBar: the single decode step every capture path shares.
#include <kakunin/drivers/qr_decode.h>

#include <zbar.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

// A scanner per decode() call, shared by its passes: ZBar scanners keep per-image
// state and are not thread-safe, and creating one costs microseconds against
// milliseconds of scanning, so there is no shared instance to lock and any thread
// (camera, file folder, tests) may call decode() at once.
ScannerPtr make_qr_scanner() {
  ScannerPtr scanner(zbar_image_scanner_create());
  zbar_image_scanner_set_config(scanner.get(), ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  // Binary mode returns the symbol's bytes as they are. Without it ZBar 0.23
  // guesses a character set (Shift_JIS, ISO-8859-1) and converts to UTF-8, which
  // could alter a text; JHC1 texts are alphanumeric and must arrive byte for byte.
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  return scanner;
}

// How a scanned image relates to the caller's frame, to map corners back.
enum class Scanned { as_is, mirrored };

void scan_gray(zbar_image_scanner_t* scanner, const cv::Mat& gray, Scanned how,
               std::vector<Decoded>& found) {
  ZbarImagePtr image(zbar_image_create());
  zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image.get(), static_cast<unsigned>(gray.cols),
                      static_cast<unsigned>(gray.rows));
  // ZBar reads the buffer in place; no cleanup handler since cv::Mat owns it.
  zbar_image_set_data(image.get(), gray.data, gray.total(), nullptr);
  if (zbar_scan_image(scanner, image.get()) <= 0) return;
  for (const zbar_symbol_t* symbol = zbar_image_first_symbol(image.get()); symbol;
       symbol = zbar_symbol_next(symbol)) {
    Decoded decoded;
    decoded.text.assign(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
    // A phone showing the same QR twice (or a reflection) is one presentation.
    const bool seen = std::any_of(found.begin(), found.end(),
                                  [&](const Decoded& d) { return d.text == decoded.text; });
    if (seen) continue;
    // ZBar lists a QR's corners top-left, bottom-left, bottom-right, top-right in
    // the symbol's own orientation; the header promises clockwise from top-left.
    // (A mirrored symbol's walk is anticlockwise in the frame; ZBar reports it so
    // too when it reads one directly, and the mirrored pass keeps that.)
    const unsigned points = zbar_symbol_get_loc_size(symbol);
    for (unsigned i = 0; i < points; ++i) {
      const unsigned k = points == 4 ? (4 - i) % 4 : i;
      int x = zbar_symbol_get_loc_x(symbol, k);
      if (how == Scanned::mirrored) x = gray.cols - 1 - x;
      decoded.corners.emplace_back(x, zbar_symbol_get_loc_y(symbol, k));
    }
    found.push_back(std::move(decoded));
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

std::vector<Decoded> decode(const FrameView& given, const DecodeOptions& options) {
  std::vector<Decoded> found;
  FrameView frame = given;
  const int min_stride = frame.width * (frame.format == FrameView::Format::gray8 ? 1 : 3);
  if (frame.stride == 0) frame.stride = min_stride;  // the default: rows packed
  // A stride shorter than a row would make OpenCV read outside the caller's buffer.
  if (!frame.data || frame.width <= 0 || frame.height <= 0 || frame.stride < min_stride) {
    return found;
  }
  const ScannerPtr scanner = make_qr_scanner();
  const cv::Mat gray = to_gray(frame);
  scan_gray(scanner.get(), gray, Scanned::as_is, found);
  if (found.empty() && options.try_inverted) {
    cv::Mat inverted;
    cv::bitwise_not(gray, inverted);
    scan_gray(scanner.get(), inverted, Scanned::as_is, found);
  }
  // ZBar 0.23 already reads most mirrored symbols in the passes above; this pass
  // is for the ones it does not, and for readers added later behind this call.
  if (found.empty() && options.try_mirrored) {
    cv::Mat mirrored;
    cv::flip(gray, mirrored, 1);
    scan_gray(scanner.get(), mirrored, Scanned::mirrored, found);
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
    if (error) *error = "cannot read image " + path + " (not a PNG, JPEG or WebP image)";
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
