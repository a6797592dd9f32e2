#include "qr_png.h"

#include <qrencode.h>
#include <opencv2/imgcodecs.hpp>

#include <memory>
#include <sstream>
#include <stdexcept>

namespace kakunin::sample {

QrModules encode_qr(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) throw std::runtime_error("the text does not fit in a QR code");
  QrModules qr;
  qr.width = code->width;
  qr.dark.resize(static_cast<std::size_t>(qr.width) * static_cast<std::size_t>(qr.width));
  for (std::size_t i = 0; i < qr.dark.size(); ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

cv::Mat render_qr(const QrModules& qr, int module_pixels) {
  const int size = (qr.width + 2 * kQuietZoneModules) * module_pixels;
  cv::Mat image(size, size, CV_8UC1, cv::Scalar(255));
  for (int y = 0; y < qr.width; ++y) {
    for (int x = 0; x < qr.width; ++x) {
      if (!qr.at(x, y)) continue;
      image(cv::Rect((x + kQuietZoneModules) * module_pixels,
                     (y + kQuietZoneModules) * module_pixels, module_pixels, module_pixels))
          .setTo(0);
    }
  }
  return image;
}

std::string qr_svg(const QrModules& qr) {
  const int size = qr.width + 2 * kQuietZoneModules;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << size << ' ' << size
      << "\" shape-rendering=\"crispEdges\"><rect width=\"" << size << "\" height=\"" << size
      << "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One horizontal run per sequence of dark modules keeps the path short.
  for (int y = 0; y < qr.width; ++y) {
    for (int x = 0; x < qr.width;) {
      if (!qr.at(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < qr.width && qr.at(x + run, y)) ++run;
      svg << 'M' << x + kQuietZoneModules << ' ' << y + kQuietZoneModules << 'h' << run << "v1h-"
          << run << 'z';
      x += run;
    }
  }
  svg << "\"/></svg>";
  return svg.str();
}

void write_qr_png(const std::string& text, const std::string& path, int module_pixels) {
  if (!cv::imwrite(path, render_qr(encode_qr(text), module_pixels))) {
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace kakunin::sample
