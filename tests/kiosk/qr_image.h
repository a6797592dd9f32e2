// A clean QR image of a text (libqrencode, 4 px a module, quiet zone), for tests
// that feed the kiosk image files.
#pragma once

#include <qrencode.h>
#include <opencv2/core.hpp>

#include <memory>
#include <string>

namespace kakunin::testing {

inline cv::Mat qr_image(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  const int scale = 4, size = (code->width + 8) * scale;
  cv::Mat image(size, size, CV_8UC1, cv::Scalar(255));
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        image(cv::Rect((x + 4) * scale, (y + 4) * scale, scale, scale)).setTo(0);
      }
    }
  }
  return image;
}

}  // namespace kakunin::testing
