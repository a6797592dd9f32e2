#include "text_fit.h"

namespace kakunin::ui::detail {
namespace {

int face_index(Face face) { return static_cast<int>(face); }

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
        *error = "cannot open font " + spec.file->string() +
                 " (install fonts-noto-cjk): " + TTF_GetError();
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

}  // namespace kakunin::ui::detail
