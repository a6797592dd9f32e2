#include <kakunin/kiosk/capture.h>

#include <kakunin/drivers/decode_stage.h>
#include <kakunin/drivers/frame_pump.h>
#include <kakunin/drivers/scanner.h>
#include <kakunin/drivers/sources.h>

namespace kakunin::kiosk {

Capture::Capture() = default;

Capture::~Capture() { stop(); }

std::unique_ptr<Capture> Capture::from_settings(const config::CaptureSettings& settings,
                                                std::string* error) {
  if (settings.kind == config::CaptureKind::serial_scanner) {
    auto capture = std::unique_ptr<Capture>(new Capture());
    capture->serial_ = std::make_unique<drivers::SerialScanner>(
        drivers::serial_scanner_options(settings), capture->texts_);
    return capture;
  }
  if (settings.kind == config::CaptureKind::hid_scanner) {
    auto capture = std::unique_ptr<Capture>(new Capture());
    capture->hid_ = std::make_unique<drivers::HidScanner>(drivers::hid_scanner_options(settings),
                                                          capture->texts_);
    return capture;
  }
  std::string reason;
  auto source = drivers::make_frame_source(settings, reason);
  if (!source) {
    *error = reason;
    return nullptr;
  }
  return from_frames(std::move(source));
}

std::unique_ptr<Capture> Capture::from_frames(std::unique_ptr<drivers::FrameSource> source) {
  auto capture = std::unique_ptr<Capture>(new Capture());
  capture->decoder_ = std::make_unique<drivers::DecodeStage>(capture->texts_);
  capture->camera_ = std::make_unique<drivers::FramePump>(std::move(source));
  capture->camera_->add_sink(*capture->decoder_);
  capture->camera_->add_sink(capture->frames_);
  return capture;
}

std::unique_ptr<Capture> Capture::preview_only(std::unique_ptr<drivers::FrameSource> source) {
  auto capture = std::unique_ptr<Capture>(new Capture());
  capture->camera_ = std::make_unique<drivers::FramePump>(std::move(source));
  capture->camera_->add_sink(capture->frames_);
  return capture;
}

void Capture::start() {
  if (camera_) camera_->start();
  if (serial_) serial_->start();
  if (hid_) hid_->start();
}

void Capture::stop() {
  if (camera_) camera_->stop();
  if (serial_) serial_->stop();
  if (hid_) hid_->stop();
}

void Capture::reset_reader() {
  if (decoder_) decoder_->reset();
}

bool Capture::ended() {
  return camera_ && camera_->stats().status.state == frame::SourceState::ended &&
         (!decoder_ || decoder_->drain(std::chrono::milliseconds(0)));
}

frame::SourceState Capture::state() const {
  return camera_ ? frames_.camera_state() : texts_.scanner_state();
}

std::optional<drivers::DecodeFigures> Capture::decode_figures() const {
  if (!decoder_) return std::nullopt;
  return decoder_->figures();
}

const base::Heartbeat* Capture::decode_heartbeat() const {
  return decoder_ ? &decoder_->heartbeat() : nullptr;
}

}  // namespace kakunin::kiosk
