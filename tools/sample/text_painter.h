// Japanese and English text on OpenCV images. OpenCV's own putText knows only
// Hershey fonts (ASCII), so glyphs come from SDL2_ttf (FreeType + HarfBuzz) with
// the Noto Sans CJK JP face, rendered into an SDL_Surface (no window, no video
// subsystem) and blended into the image by coverage.
#pragma once

#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

// SDL_ttf's own name for its font type (TTF_Font is a typedef of it); declared here
// so users of this header need not include SDL_ttf.h.
struct _TTF_Font;  // NOLINT(bugprone-reserved-identifier)

namespace kakunin::sample {

inline constexpr const char* kRegularFont =
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
inline constexpr const char* kBoldFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

struct TextStyle {
  int pixel_size = 24;
  bool bold = false;
  cv::Scalar colour{0, 0, 0};  // BGR
};

class TextPainter {
 public:
  // Throws std::runtime_error naming the font file (package fonts-noto-cjk) when
  // a face cannot be opened.
  TextPainter(std::string regular_font = kRegularFont, std::string bold_font = kBoldFont);
  ~TextPainter();
  TextPainter(const TextPainter&) = delete;
  TextPainter& operator=(const TextPainter&) = delete;

  int width(const std::string& utf8, const TextStyle& style);
  int line_height(const TextStyle& style);

  // Coverage of the rendered text (255 = ink), one line, tight to the font's
  // line box. Empty for an empty text.
  cv::Mat coverage(const std::string& utf8, const TextStyle& style);

  // Draws one line with its top-left corner at `at` into a BGR image; returns
  // the line height.
  int draw(cv::Mat& bgr, const std::string& utf8, cv::Point at, const TextStyle& style);
  // Draws centred horizontally on `centre_x`.
  int draw_centred(cv::Mat& bgr, const std::string& utf8, int centre_x, int top,
                   const TextStyle& style);

  // Breaks a text into lines no wider than `max_width`, as the kiosk screens do
  // (ui::break_lines, kakunin/ui/line_break.h); no lines for an empty text.
  std::vector<std::string> wrap(const std::string& utf8, int max_width, const TextStyle& style);
  // Draws wrapped text, at most `max_lines` lines (the last one cut with "…");
  // returns the height drawn.
  int draw_wrapped(cv::Mat& bgr, const std::string& utf8, cv::Point at, int max_width,
                   const TextStyle& style, int max_lines = 3);

 private:
  _TTF_Font* font(const TextStyle& style);

  std::string regular_path_;
  std::string bold_path_;
  std::map<std::pair<bool, int>, _TTF_Font*> fonts_;
};

// Blends `colour` into a BGR image through an 8-bit coverage mask placed with its
// top-left corner at `at` (clipped to the image).
void blend_coverage(cv::Mat& bgr, const cv::Mat& coverage, cv::Point at, const cv::Scalar& colour,
                    double opacity = 1.0);

}  // namespace kakunin::sample
