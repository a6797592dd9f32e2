// Kakunin QR decoding: the one function every capture path (camera, image file,
// video, synthetic phone screen) uses to turn pixels into QR texts.
//
//   std::optional<drivers::Image> image = drivers::load_image("sample.png", &error);
//   for (const drivers::Decoded& found : drivers::decode(image->view())) {
//     verify(found.text);  // the symbol's bytes; found.text_utf8 is for people
//   }
#pragma once

#include <kakunin/frame/frame.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::drivers {

using frame::FrameView;  // kakunin/frame/frame.h

struct DecodeOptions {
  bool try_inverted = true;  // light modules on a dark screen (dark mode pages)
  bool try_mirrored = false;
};

struct Decoded {
  std::string text;
  // Corners of the symbol in frame pixels, clockwise from top-left when known.
  std::vector<std::pair<int, int>> corners;
  // The text as the symbol's character set says (ECI, Kanji mode, or a guess:
  // UTF-8, Shift_JIS, ISO-8859-1), in UTF-8: for people and for comparing with
  // other readers. Equal to `text` for ASCII texts such as JHC1; verification
  // always uses `text`.
  std::string text_utf8;
};

// Every QR found in the frame, as decoded text (raw bytes of the symbol).
std::vector<Decoded> decode(const FrameView& frame, const DecodeOptions& options = {});

// An image read from a file (PNG, JPEG, WebP, ...), kept as 8-bit grayscale.
struct Image {
  std::vector<std::uint8_t> pixels;
  int width = 0;
  int height = 0;
  FrameView view() const { return {pixels.data(), width, height, width, FrameView::Format::gray8}; }
};

// Reads an image file; nullopt with `error` set when it cannot be read.
std::optional<Image> load_image(const std::string& path, std::string* error = nullptr);

}  // namespace kakunin::drivers
