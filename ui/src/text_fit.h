// Fonts and fitted text for the painter: opens the Noto CJK collections once,
// breaks lines (Japanese has no spaces, so SDL_ttf's own wrapping — which breaks
// only at whitespace — cannot be used), and shrinks text until it fits its box.
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

// Greedy line breaking: at spaces for Latin text, between any two characters in
// Japanese, never before closing punctuation (、。）」…) nor after an opening
// bracket (禁則処理). A single word wider than the box stays on its own line.
std::vector<std::string> break_lines(TTF_Font* font, std::string_view text, int max_width);

int text_width(TTF_Font* font, const std::string& text);

}  // namespace kakunin::ui::detail
