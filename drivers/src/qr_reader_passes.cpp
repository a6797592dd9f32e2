// ZBar, zxing-cpp and OpenCV's WeChat reader behind one shape (see
// qr_reader_passes.h). Each is a well-kept Debian library; this file only adapts
// their images, results and corner orders.
#include "qr_reader_passes.h"

#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>

// zbar.h first: zxing-cpp 1.4's Error.h defines macros that break ZBar's C++ headers.
#include <zbar.h>
// zxing-cpp 1.4 returns std::string (UTF-8) from Result::text() with this set;
// without it a std::wstring, which 2.x drops.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/wechat_qrcode.hpp>

#include <algorithm>
#include <cerrno>
#include <optional>

namespace kakunin::drivers::passes {

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

bool is_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The guess ZBar and zxing-cpp make for a symbol without ECI.
std::string guess_utf8(const std::string& bytes) {
  if (base::is_valid_utf8(bytes)) return bytes;
  if (auto text = base::convert_encoding(bytes, "UTF-8", "SHIFT_JIS"); text.ok()) {
    return std::move(text).value();
  }
  auto latin1 = base::convert_encoding(bytes, "UTF-8", "ISO-8859-1");
  return latin1.ok() ? std::move(latin1).value() : bytes;
}

std::vector<cv::Point2f> corners_of(const ZXing::Result& result, const Placement& where) {
  std::vector<cv::Point2f> corners;
  const auto& p = result.position();
  for (const auto& corner : {p.topLeft(), p.topRight(), p.bottomRight(), p.bottomLeft()}) {
    corners.push_back(where.to_frame({static_cast<float>(corner.x), static_cast<float>(corner.y)}));
  }
  return corners;
}

std::vector<Found> zxing_read(const cv::Mat& gray, const Placement& where, bool with_text,
                              std::vector<cv::Rect>* located = nullptr) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode)
      .setTryHarder(true)
      .setTryRotate(false)
      .setTryDownscale(true);
  // Symbols found but not decoded come back too (invalid): where to look harder.
  hints.setReturnErrors(located != nullptr);
  const ZXing::ImageView image(gray.data, gray.cols, gray.rows, ZXing::ImageFormat::Lum,
                               static_cast<int>(gray.step));
  std::vector<Found> found;
  for (const ZXing::Result& result : ZXing::ReadBarcodes(image, hints)) {
    if (!result.isValid()) {
      if (located && result.format() == ZXing::BarcodeFormat::QRCode) {
        located->push_back(cv::boundingRect(corners_of(result, where)));
      }
      continue;
    }
    Found f;
    f.bytes.assign(result.bytes().begin(), result.bytes().end());
    if (with_text) f.utf8 = result.text();
    f.corners = corners_of(result, where);
    found.push_back(std::move(f));
  }
  return found;
}

}  // namespace

struct Decoders::State {
  ScannerPtr scanner = make_qr_scanner();
  // Made on first use: most frames never need it. Without the optional CNN
  // model files it uses its traditional detector, which is what we measured.
  std::unique_ptr<cv::wechat_qrcode::WeChatQRCode> wechat;
  std::vector<cv::Rect> located;
};

Decoders::Decoders() : state_(std::make_unique<State>()) {}
Decoders::~Decoders() = default;
Decoders::Decoders(Decoders&&) noexcept = default;
Decoders& Decoders::operator=(Decoders&&) noexcept = default;

std::vector<Found> Decoders::zbar(const cv::Mat& gray, const Placement& where) {
  std::vector<Found> found;
  ZbarImagePtr image(zbar_image_create());
  zbar_image_set_format(image.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image.get(), static_cast<unsigned>(gray.cols),
                      static_cast<unsigned>(gray.rows));
  // ZBar reads the buffer in place; no cleanup handler since cv::Mat owns it.
  zbar_image_set_data(image.get(), gray.data, gray.total(), nullptr);
  if (zbar_scan_image(state_->scanner.get(), image.get()) <= 0) return found;
  for (const zbar_symbol_t* symbol = zbar_image_first_symbol(image.get()); symbol;
       symbol = zbar_symbol_next(symbol)) {
    Found f;
    f.bytes.assign(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
    // ZBar lists a QR's corners top-left, bottom-left, bottom-right, top-right in
    // the symbol's own orientation; we promise clockwise from top-left. (A
    // mirrored symbol's walk is anticlockwise in the frame; ZBar reports it so
    // too when it reads one directly, and the mirrored pass keeps that.)
    const unsigned points = zbar_symbol_get_loc_size(symbol);
    for (unsigned i = 0; i < points; ++i) {
      const unsigned k = points == 4 ? (4 - i) % 4 : i;
      f.corners.push_back(where.to_frame({static_cast<float>(zbar_symbol_get_loc_x(symbol, k)),
                                          static_cast<float>(zbar_symbol_get_loc_y(symbol, k))}));
    }
    found.push_back(std::move(f));
  }
  return found;
}

std::vector<Found> Decoders::zxing(const cv::Mat& gray, const Placement& where) {
  return zxing_read(gray, where, /*with_text=*/true, &state_->located);
}

const std::vector<cv::Rect>& Decoders::located() const { return state_->located; }
void Decoders::clear_located() { state_->located.clear(); }

std::vector<Found> Decoders::wechat(const cv::Mat& gray, const Placement& where) {
  std::vector<Found> found;
  try {
    if (!state_->wechat) state_->wechat = std::make_unique<cv::wechat_qrcode::WeChatQRCode>();
    std::vector<cv::Mat> points;
    const std::vector<std::string> texts = state_->wechat->detectAndDecode(gray, points);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (texts[i].empty()) continue;
      Found f;
      f.bytes = texts[i];
      if (i < points.size() && points[i].rows == 4 && points[i].type() == CV_32FC1) {
        for (int r = 0; r < 4; ++r) {
          f.corners.push_back(
              where.to_frame({points[i].at<float>(r, 0), points[i].at<float>(r, 1)}));
        }
      }
      found.push_back(std::move(f));
    }
  } catch (const cv::Exception&) {
    found.clear();  // an OpenCV assertion on an odd image is "nothing read", not a crash
  }
  return found;
}

void Decoders::fill_utf8(const cv::Mat& gray, const Placement& where, std::vector<Found>& found,
                         bool ask_zxing) {
  std::vector<Found> zxing_view;
  bool zxing_asked = false;
  for (Found& f : found) {
    if (!f.utf8.empty()) continue;  // zxing-cpp's own reading
    if (is_ascii(f.bytes)) {
      f.utf8 = f.bytes;
      continue;
    }
    if (!zxing_asked && ask_zxing) {
      zxing_view = zxing_read(gray, where, /*with_text=*/true);
      zxing_asked = true;
    }
    const auto same = std::find_if(zxing_view.begin(), zxing_view.end(),
                                   [&](const Found& z) { return z.bytes == f.bytes; });
    f.utf8 = same != zxing_view.end() ? same->utf8 : guess_utf8(f.bytes);
  }
}

}  // namespace kakunin::drivers::passes
