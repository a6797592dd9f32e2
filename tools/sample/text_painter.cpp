#include "text_painter.h"

#include <kakunin/ui/line_break.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include <memory>
#include <stdexcept>

namespace kakunin::sample {

TextPainter::TextPainter(std::string regular_font, std::string bold_font)
    : regular_path_(std::move(regular_font)), bold_path_(std::move(bold_font)) {
  // TTF_Init counts its callers; each painter balances its own call.
  if (TTF_Init() != 0)
    throw std::runtime_error(std::string("cannot start SDL2_ttf: ") + TTF_GetError());
  try {
    font({24, false, {}});
    font({24, true, {}});
  } catch (...) {
    for (auto& [key, f] : fonts_) TTF_CloseFont(f);
    TTF_Quit();
    throw;
  }
}

TextPainter::~TextPainter() {
  for (auto& [key, f] : fonts_) TTF_CloseFont(f);
  TTF_Quit();
}

TTF_Font* TextPainter::font(const TextStyle& style) {
  const auto key = std::make_pair(style.bold, style.pixel_size);
  if (auto it = fonts_.find(key); it != fonts_.end()) return it->second;
  const std::string& path = style.bold ? bold_path_ : regular_path_;
  // Face 0 of the Noto CJK collection is the Japanese one (JP glyph shapes).
  TTF_Font* opened = TTF_OpenFontIndex(path.c_str(), style.pixel_size, 0);
  if (!opened) {
    throw std::runtime_error("cannot open font " + path +
                             " (Debian package fonts-noto-cjk): " + TTF_GetError());
  }
  fonts_.emplace(key, opened);
  return opened;
}

int TextPainter::width(const std::string& utf8, const TextStyle& style) {
  if (utf8.empty()) return 0;
  int w = 0, h = 0;
  if (TTF_SizeUTF8(font(style), utf8.c_str(), &w, &h) != 0) return 0;
  return w;
}

int TextPainter::line_height(const TextStyle& style) { return TTF_FontHeight(font(style)); }

cv::Mat TextPainter::coverage(const std::string& utf8, const TextStyle& style) {
  if (utf8.empty()) return {};
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> rendered(
      TTF_RenderUTF8_Blended(font(style), utf8.c_str(), SDL_Color{255, 255, 255, 255}),
      SDL_FreeSurface);
  if (!rendered) return {};
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> argb(
      SDL_ConvertSurfaceFormat(rendered.get(), SDL_PIXELFORMAT_ARGB8888, 0), SDL_FreeSurface);
  if (!argb) return {};
  cv::Mat mask(argb->h, argb->w, CV_8UC1);
  for (int y = 0; y < argb->h; ++y) {
    const auto* row =
        reinterpret_cast<const std::uint32_t*>(static_cast<const std::uint8_t*>(argb->pixels) +
                                               static_cast<std::ptrdiff_t>(y) * argb->pitch);
    for (int x = 0; x < argb->w; ++x)
      mask.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(row[x] >> 24);
  }
  return mask;
}

int TextPainter::draw(cv::Mat& bgr, const std::string& utf8, cv::Point at, const TextStyle& style) {
  blend_coverage(bgr, coverage(utf8, style), at, style.colour);
  return line_height(style);
}

int TextPainter::draw_centred(cv::Mat& bgr, const std::string& utf8, int centre_x, int top,
                              const TextStyle& style) {
  return draw(bgr, utf8, {centre_x - width(utf8, style) / 2, top}, style);
}

std::vector<std::string> TextPainter::wrap(const std::string& utf8, int max_width,
                                           const TextStyle& style) {
  std::vector<std::string> lines =
      ui::break_lines(utf8, max_width, [&](const std::string& line) { return width(line, style); });
  if (lines.size() == 1 && lines.front().empty()) lines.clear();  // nothing to draw takes no line
  return lines;
}

int TextPainter::draw_wrapped(cv::Mat& bgr, const std::string& utf8, cv::Point at, int max_width,
                              const TextStyle& style, int max_lines) {
  auto lines = wrap(utf8, max_width, style);
  if (static_cast<int>(lines.size()) > max_lines) {
    lines.resize(static_cast<std::size_t>(max_lines));
    lines.back() += "…";
  }
  const int step = line_height(style);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    draw(bgr, lines[i], {at.x, at.y + static_cast<int>(i) * step}, style);
  }
  return static_cast<int>(lines.size()) * step;
}

void blend_coverage(cv::Mat& bgr, const cv::Mat& coverage, cv::Point at, const cv::Scalar& colour,
                    double opacity) {
  if (coverage.empty()) return;
  const cv::Rect target = cv::Rect(at, coverage.size()) & cv::Rect(0, 0, bgr.cols, bgr.rows);
  for (int y = target.y; y < target.y + target.height; ++y) {
    auto* out = bgr.ptr<cv::Vec3b>(y);
    const auto* a = coverage.ptr<std::uint8_t>(y - at.y);
    for (int x = target.x; x < target.x + target.width; ++x) {
      const double alpha = opacity * a[x - at.x] / 255.0;
      if (alpha <= 0) continue;
      for (int c = 0; c < 3; ++c) {
        out[x][c] = cv::saturate_cast<std::uint8_t>(out[x][c] * (1 - alpha) + colour[c] * alpha);
      }
    }
  }
}

}  // namespace kakunin::sample
