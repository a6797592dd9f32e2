#include "text_fit.h"

#include <kakunin/base/utf8.h>

#include <algorithm>

namespace kakunin::ui::detail {
namespace {

int face_index(Face face) { return static_cast<int>(face); }

bool is_closing(char32_t c) {
  static constexpr std::u32string_view kClosing =
      U"、。，．・：；？！ー…）」』】〉》〕ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.;:!?)]}%";
  return kClosing.find(c) != std::u32string_view::npos;
}

bool is_opening(char32_t c) {
  static constexpr std::u32string_view kOpening = U"（「『【〈《〔([{";
  return kOpening.find(c) != std::u32string_view::npos;
}

bool is_word_char(char32_t c) { return c < 0x80 && c != U' ' && c != U'\n'; }

// Units that must not be split: a Latin word, one Japanese character with the
// punctuation bound to it, a space, or a forced line break.
std::vector<std::u32string> units_of(const std::u32string& text) {
  std::vector<std::u32string> units;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    const bool join_word = is_word_char(c) && !units.empty() && !units.back().empty() &&
                           is_word_char(units.back().back()) && !is_opening(units.back().back());
    const bool join_closing = is_closing(c) && !units.empty() && units.back() != U" " &&
                              units.back() != U"\n";
    const bool join_opening = !units.empty() && !units.back().empty() &&
                              is_opening(units.back().back()) && c != U' ' && c != U'\n';
    if (join_word || join_closing || join_opening) {
      units.back() += c;
    } else {
      units.emplace_back(1, c);
    }
  }
  return units;
}

void trim_trailing_spaces(std::u32string& line) {
  while (!line.empty() && line.back() == U' ') line.pop_back();
}

}  // namespace

Fonts::~Fonts() {
  for (TTF_Font*& font : fonts_) {
    if (font) TTF_CloseFont(font);
    font = nullptr;
  }
  if (ttf_initialised_) TTF_Quit();  // reference counted by SDL_ttf
}

bool Fonts::open(const FontFiles& files, std::string* error) {
  if (TTF_Init() != 0) {
    if (error) *error = std::string("SDL_ttf could not start: ") + TTF_GetError();
    return false;
  }
  ttf_initialised_ = true;
  struct Spec {
    Face face;
    const std::filesystem::path* file;
    int index;
  };
  const std::array<Spec, 4> specs{{{Face::regular, &files.regular, files.japanese_index},
                                   {Face::bold, &files.bold, files.japanese_index},
                                   {Face::mono, &files.regular, files.mono_japanese_index},
                                   {Face::mono_bold, &files.bold, files.mono_japanese_index}}};
  for (const Spec& spec : specs) {
    constexpr int kInitialSize = 24;
    TTF_Font* font = TTF_OpenFontIndex(spec.file->c_str(), kInitialSize, spec.index);
    if (!font) {
      if (error) {
        *error = "cannot open font " + spec.file->string() + " (install fonts-noto-cjk): " +
                 TTF_GetError();
      }
      return false;
    }
    fonts_[face_index(spec.face)] = font;
    sizes_[face_index(spec.face)] = kInitialSize;
  }
  return true;
}

TTF_Font* Fonts::at(Face face, int pixel_size) {
  const int index = face_index(face);
  if (sizes_[index] != pixel_size) {
    TTF_SetFontSize(fonts_[index], pixel_size);
    sizes_[index] = pixel_size;
  }
  return fonts_[index];
}

bool Fonts::has_glyph(Face face, char32_t codepoint) {
  return TTF_GlyphIsProvided32(fonts_[face_index(face)], static_cast<Uint32>(codepoint)) != 0;
}

int text_width(TTF_Font* font, const std::string& text) {
  int w = 0;
  int h = 0;
  if (text.empty() || TTF_SizeUTF8(font, text.c_str(), &w, &h) != 0) return 0;
  return w;
}

std::vector<std::string> break_lines(TTF_Font* font, std::string_view text, int max_width) {
  std::vector<std::string> lines;
  std::u32string line;
  for (const std::u32string& unit : units_of(base::decode_utf8_lossy(text))) {
    if (unit == U"\n") {
      trim_trailing_spaces(line);
      lines.push_back(base::encode_utf8(line));
      line.clear();
      continue;
    }
    if (line.empty() && unit == U" ") continue;
    const std::u32string candidate = line + unit;
    if (line.empty() || text_width(font, base::encode_utf8(candidate)) <= max_width) {
      line = candidate;
      continue;
    }
    trim_trailing_spaces(line);
    lines.push_back(base::encode_utf8(line));
    line = unit == U" " ? U"" : unit;
  }
  trim_trailing_spaces(line);
  if (!line.empty() || lines.empty()) lines.push_back(base::encode_utf8(line));
  return lines;
}

}  // namespace kakunin::ui::detail
