// A FrameSource that films a phone held up to the camera, without a camera: a
// phone-shaped bright screen showing a QR code, drawn into 1280x720 BGR frames
// with the faults a real camera adds (perspective, blur, moire, glare, exposure,
// JPEG noise, a hand that shakes between frames). Everything follows from a seed,
// so a test or a benchmark sees the same frames every run.
//
//   SyntheticPhoneOptions options;
//   options.seed = 7;
//   options.difficulty = 0.5;
//   SyntheticPhoneSource phone(options, [&](std::uint64_t n) { return make_qr_text(n); });
#pragma once

#include <kakunin/drivers/frame_source.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace kakunin::drivers {

struct SyntheticPhoneOptions {
  int width = 1280;
  int height = 720;
  std::uint64_t seed = 1;
  // 0: a steady, sharp, well-lit phone square to the camera; 1: as bad as a
  // member's phone at a busy front desk gets (strong tilt, blur, glare, moire,
  // under/over-exposure, JPEG artefacts, shake). Each fault is drawn at random
  // between none and `difficulty` times its worst.
  double difficulty = 0.3;
  // A fresh presentation (a new QR text and a new pose) every this many frames;
  // 0: one presentation for the whole stream.
  int frames_per_presentation = 30;
  // >0: the phone's pose (and the faults drawn with it) changes only every this
  // many frames, while the text may change each presentation (a page that redraws
  // its QR in a hand held still); 0: a new pose with each presentation.
  int frames_per_pose = 0;
  double fps = 0;                 // >0: grab() paces frames at this rate; 0: as fast as pulled
  std::uint64_t frame_count = 0;  // >0: EndOfStream after this many frames
  bool allow_dark_mode = true;    // some presentations show light modules on dark
};

// The text a presentation shows; called once per presentation (0, 1, 2, ...).
// An empty text shows the phone without a QR (the member still unlocking it).
using PresentationText = std::function<std::string(std::uint64_t presentation)>;

class SyntheticPhoneSource final : public FrameSource {
 public:
  SyntheticPhoneSource(SyntheticPhoneOptions options, PresentationText text);
  ~SyntheticPhoneSource() override;

  std::string describe() const override;
  bool open(std::string& reason) override;  // restarts the stream at frame 0
  GrabResult grab() override;
  void close() override;

  // The frame `index` of the stream, as grab() would give it (no pacing).
  Frame render(std::uint64_t index);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kakunin::drivers
