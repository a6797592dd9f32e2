// The decoders behind QrReader, each wrapped to take a grayscale image and give
// symbols with their corners placed back in the caller's frame. Private to
// kakunin_drivers.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace kakunin::drivers::passes {

// A symbol as one decoder read it.
struct Found {
  std::string bytes;                 // the symbol's bytes as they are
  std::string utf8;                  // the text as the symbol's character set says (filled later)
  std::vector<cv::Point2f> corners;  // frame pixels, clockwise from top-left
};

// Where a scanned image sits in the frame: frame = offset + mirror(p) / scale.
struct Placement {
  cv::Point2f offset{0, 0};
  double scale = 1.0;      // scanned pixels per frame pixel
  int mirrored_width = 0;  // >0: the scanned image is the mirror of one this wide
  cv::Point2f to_frame(cv::Point2f p) const {
    if (mirrored_width > 0) p.x = static_cast<float>(mirrored_width - 1) - p.x;
    return offset + p * static_cast<float>(1.0 / scale);
  }
};

// The decoders' working objects for one reader (none is thread-safe).
class Decoders {
 public:
  Decoders();
  ~Decoders();
  Decoders(Decoders&&) noexcept;
  Decoders& operator=(Decoders&&) noexcept;

  std::vector<Found> zbar(const cv::Mat& gray, const Placement& where);
  // Also notes where it located symbols it could not decode (located()).
  std::vector<Found> zxing(const cv::Mat& gray, const Placement& where);
  // Frame rectangles of the symbols zxing-cpp located but could not decode since
  // the last clear_located().
  const std::vector<cv::Rect>& located() const;
  void clear_located();
  std::vector<Found> wechat(const cv::Mat& gray, const Placement& where);

  // Sets each symbol's UTF-8 text. ZBar (in binary mode) and WeChat give bytes
  // only; for a text that is not plain ASCII, zxing-cpp (which honours ECI and
  // Kanji segments) reads the same image again, and only if it finds no symbol
  // with the same bytes is the character set guessed (UTF-8, Shift_JIS, Latin-1).
  // `ask_zxing` false: guess only (a decoder measured alone).
  void fill_utf8(const cv::Mat& gray, const Placement& where, std::vector<Found>& found,
                 bool ask_zxing = true);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kakunin::drivers::passes
