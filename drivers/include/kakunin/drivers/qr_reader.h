// The QR reader every capture path shares: ZBar first, then the preprocessing and
// second-opinion decoders (zxing-cpp, OpenCV's WeChat reader) that lift the read
// rate on phone screens and photographs, only when the cheaper passes found
// nothing. docs/decoding.md gives the order and the measured gain of each pass.
//
//   QrReader reader;                       // one per camera: it follows the QR
//   for (...) for (const Decoded& qr : reader.read(frame.view())) use(qr.text);
//
// decode() in qr_decode.h is the same pipeline without the region that follows
// the last QR (for single images).
#pragma once

#include <kakunin/drivers/qr_decode.h>

#include <memory>
#include <string_view>
#include <vector>

namespace kakunin::drivers {

// The decoders the pipeline can ask. The bench also runs each on its own.
enum class QrDecoder { zbar, zxing, wechat };
std::string_view decoder_name(QrDecoder decoder);  // "zbar", "zxing-cpp", "wechat"

struct QrReaderOptions {
  bool try_inverted = true;   // light modules on a dark screen (dark mode pages)
  bool try_mirrored = true;   // front cameras and mirrors flip the symbol
  bool follow_region = true;  // look first where the last QR was (QrReader only)
  bool use_zxing = true;      // zxing-cpp as the second opinion
  // An empty counter (nothing read or even located in the last frames) costs
  // every pass on every frame, about 0.1 s of a core per 720p frame. While it
  // stays empty only every this many frames runs the dear passes (ZBar, mirror,
  // WeChat); the cheap zxing-cpp passes run on every frame and bring the full
  // search back the moment they locate anything. 1: every pass on every frame.
  int idle_full_search_every = 4;
  // OpenCV's WeChat reader as the last opinion. It reads symbols the others miss
  // but costs 0.3 s on a plain 720p frame and up to 15 s on a noisy one, so by
  // default it looks only where zxing-cpp located a symbol it could not decode.
  enum class WeChat { off, where_located };
  WeChat wechat = WeChat::where_located;
  // read() also runs the dear passes (read_dear_pass) when the others read
  // nothing: a single image. A camera stream runs them in the background instead,
  // one at a time (DecodeStage).
  bool dear_passes_inline = false;
};

// The options decode() uses for a single image: no region to follow, every
// dear pass inline (a second or more on a very noisy photograph).
QrReaderOptions still_image_options();

// The dear passes: ZBar and the mirror (which the empty-counter pacing skips),
// WeChat on the whole frame (at most a megapixel), WeChat at half that scale,
// then each edge band of the frame (a third of it) enlarged twice, WeChat and
// zxing-cpp.
// Each is one step of bounded work: 0.1-0.5 s of a core on a 720p frame.
std::size_t dear_pass_count();

// A reader with the state that makes reading a video stream cheaper: the region
// where the last QR was, and the decoders' working objects. Not thread-safe: one
// per thread (each decode stage owns one).
class QrReader {
 public:
  explicit QrReader(QrReaderOptions options = {});
  ~QrReader();
  QrReader(QrReader&&) noexcept;
  QrReader& operator=(QrReader&&) noexcept;

  // Every QR found in the frame, exactly the symbols' bytes. Where two passes
  // read different texts at the same place, neither is returned: no text is
  // better than a wrong one.
  std::vector<Decoded> read(const FrameView& frame);

  // Dear pass `pass` (0 .. dear_pass_count() - 1) on the frame, alone: what a
  // still image gets that a camera frame has no time for on every frame.
  std::vector<Decoded> read_dear_pass(const FrameView& frame, std::size_t pass);

  // The last read() found no text but located a symbol it could not decode:
  // worth the dear passes.
  bool located_unread() const;

  // Forgets the region of the last QR (a new camera, a scene change).
  void forget_region();

  // Nothing was read or located in the last frames: a camera with no phone in
  // front of it (the decode stage then reads fewer frames a second).
  bool counter_looks_empty() const;

  // One decoder alone on the whole grayscale frame, no preprocessing: the
  // baseline the bench compares the pipeline with.
  std::vector<Decoded> read_with(QrDecoder decoder, const FrameView& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::drivers
