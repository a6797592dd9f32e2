#include "qr_png.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace kakunin::sample {

void write_qr_png(const std::string& text, const std::string& path, int module_pixels) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) throw std::runtime_error("the text does not fit in a QR code");
  constexpr int kQuietZone = 4;
  const int size = (code->width + 2 * kQuietZone) * module_pixels;
  cv::Mat image(size, size, CV_8UC1, cv::Scalar(255));
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        image(cv::Rect((x + kQuietZone) * module_pixels, (y + kQuietZone) * module_pixels,
                       module_pixels, module_pixels))
            .setTo(0);
      }
    }
  }
  if (!cv::imwrite(path, image)) throw std::runtime_error("cannot write " + path);
}

}  // namespace kakunin::sample
