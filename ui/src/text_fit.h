// Fonts for the painter: opens the Noto CJK collections once and measures text.
// Lines are broken by ui::break_lines (line_break.h): Japanese has no spaces, so
// SDL_ttf's own wrapping, which breaks only at whitespace, cannot be used.
#pragma once

#include <kakunin/ui/screen.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::ui::detail {

class Fonts {
 public:
  Fonts() = default;
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  bool open(const FontFiles& files, std::string* error);
  // The face at this pixel size (one TTF_Font per face, resized on demand).
  TTF_Font* at(Face face, int pixel_size);
  bool has_glyph(Face face, char32_t codepoint);

 private:
  std::array<TTF_Font*, 4> fonts_{};
  std::array<int, 4> sizes_{};
  bool ttf_initialised_ = false;
};

int text_width(TTF_Font* font, const std::string& text);

}  // namespace kakunin::ui::detail
