// Where the counter's QR texts come from, wired once for every loop (kakunin
// run, kakunin-demo, the e2e benchmark): a camera — or an image folder, a video,
// a fake source — through the decode stage, or a handheld scanner that decodes
// by itself. Both end in the ScannedTexts the Counter takes from.
//
//   FrameSource ─▶ FramePump ─┬─▶ DecodeStage ─▶ texts()  (QR texts)
//                             └─▶ frames()               (preview, camera state, fps)
//   serial / HID scanner ────────────────────▶ texts()
//
//   std::string error;
//   auto capture = kiosk::Capture::from_settings(config.capture, &error);  // or
//   from_frames(source) capture->start();  ...  capture->stop();
#pragma once

#include <kakunin/base/heartbeat.h>
#include <kakunin/config/config.h>
#include <kakunin/drivers/decode_stage.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/kiosk/screen_feed.h>

#include <memory>
#include <optional>
#include <string>

namespace kakunin::drivers {
class FramePump;
class HidScanner;
class SerialScanner;
}  // namespace kakunin::drivers

namespace kakunin::kiosk {

class Capture {
 public:
  // The source the [capture] settings name; nullptr with `error` (English) when
  // it cannot be made (an image folder that does not exist, ...).
  static std::unique_ptr<Capture> from_settings(const config::CaptureSettings& settings,
                                                std::string* error);
  // Any frame source through the decode stage.
  static std::unique_ptr<Capture> from_frames(std::unique_ptr<drivers::FrameSource> source);
  // Frames for the preview only, nothing decoded: the floor the benchmark measures
  // the kiosk's idle cost against (the same capture and preview, no reading).
  static std::unique_ptr<Capture> preview_only(std::unique_ptr<drivers::FrameSource> source);
  ~Capture();  // stop()
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  void start();
  void stop();
  ScannedTexts& texts() { return texts_; }
  // The camera's newest frame and state; nullptr for a scanner (no preview: the
  // scanner's state is the capture state).
  LatestFrame* frames() { return camera_ ? &frames_ : nullptr; }
  // Staff pressed "read again": the decoder passes on a QR still in view once more.
  void reset_reader();
  // An image folder or video read to its end, every frame decoded.
  bool ended();
  // For the fleet metrics, from any thread: the camera's or scanner's state, and
  // the decode stage's figures (nullopt for a scanner).
  bool is_scanner() const { return !camera_; }
  frame::SourceState state() const;
  std::optional<drivers::DecodeFigures> decode_figures() const;
  // The decode stage's heartbeat for the watchdog; nullptr for a scanner (it
  // decodes by itself).
  const base::Heartbeat* decode_heartbeat() const;

 private:
  Capture();
  // The sinks first: they outlive the threads that push into them.
  ScannedTexts texts_;
  LatestFrame frames_;
  std::unique_ptr<drivers::DecodeStage> decoder_;  // before the pump, which feeds it
  std::unique_ptr<drivers::FramePump> camera_;
  std::unique_ptr<drivers::SerialScanner> serial_;
  std::unique_ptr<drivers::HidScanner> hid_;
};

}  // namespace kakunin::kiosk
