// How a person sees a screen's colours, for the screen tests: hue classes, luma
// (what a greyscale photo keeps) and a deuteranope's view.
#pragma once

#include <kakunin/ui/screen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace kakunin::testing {

inline int distance(ui::Rgb a, ui::Rgb b) {
  return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

inline bool is_green(ui::Rgb c) { return c.g > c.r + 20 && c.g > c.b + 20; }
inline bool is_red(ui::Rgb c) { return c.r > 150 && c.r > c.g + 80 && c.r > c.b + 80; }
inline bool is_amber(ui::Rgb c) { return c.r > 200 && c.g > 140 && c.g < 220 && c.b < 80; }

// Luma (Rec. 709) of a colour, 0..255: what a greyscale photo of the screen keeps.
inline int luma(ui::Rgb c) { return (2126 * c.r + 7152 * c.g + 722 * c.b) / 10000; }

// How a deuteranope sees a colour: Viénot, Brettel and Mollon (1999), the
// projection onto the plane a red-green dichromat distinguishes, in linear RGB.
inline ui::Rgb as_deuteranope_sees(ui::Rgb c) {
  const auto linear = [](std::uint8_t v) {
    const double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  const auto encoded = [](double x) {
    x = std::clamp(x, 0.0, 1.0);
    const double v = x <= 0.0031308 ? x * 12.92 : 1.055 * std::pow(x, 1 / 2.4) - 0.055;
    return static_cast<std::uint8_t>(std::lround(v * 255));
  };
  const double r = linear(c.r), g = linear(c.g), b = linear(c.b);
  const double rg = 0.29275 * r + 0.70725 * g;
  return {encoded(rg), encoded(rg), encoded(-0.02234 * r + 0.02234 * g + b)};
}

}  // namespace kakunin::testing
