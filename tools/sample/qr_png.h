// Drawing a QR text as an insurer's page would draw it: as pixels (PNG, sheet
// cells, phone frames) or as SVG (the served page).
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace kakunin::sample {

// Modules of a QR symbol, row by row, without quiet zone.
struct QrModules {
  int width = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                static_cast<std::size_t>(x)];
  }
};

inline constexpr int kQuietZoneModules = 4;

// Encodes `text` with libqrencode (8-bit mode, error correction M, smallest
// version that fits). Throws std::runtime_error when the text does not fit.
QrModules encode_qr(const std::string& text);

// The symbol with its 4-module quiet zone, black on white, `module_pixels` per
// module (8-bit grayscale).
cv::Mat render_qr(const QrModules& qr, int module_pixels);

// The symbol as a standalone SVG document (one path, crisp edges, quiet zone
// included) whose viewBox is in modules, for browsers to scale.
std::string qr_svg(const QrModules& qr);

// Encodes `text` at `module_pixels` per module with a 4-module quiet zone.
// Throws std::runtime_error when the text does not fit or the file cannot be written.
void write_qr_png(const std::string& text, const std::string& path, int module_pixels = 6);

}  // namespace kakunin::sample
