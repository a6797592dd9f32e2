// The two hand-over points between capture threads and the kiosk's main thread
// (scrcpy style: capture and decode threads hand over, the main thread decides
// and draws; Counter in counter.h is the main thread's side).
//
//   FramePump ──push()──▶ LatestFrame ──take()──▶ the preview on screen
//   decoder / scanner ──qr_text()──▶ ScannedTexts ──take()──▶ Counter::step()
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_rate.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/drivers/newest_frame.h>
#include <kakunin/kiosk/state_machine.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace kakunin::kiosk {

// Keeps only the newest frame (lowest latency, no queue) and the camera's state
// and frame rate. push() and status() on the capture thread, the rest anywhere.
class LatestFrame final : public drivers::FrameSink {
 public:
  void push(const frame::Frame& frame) override;
  void status(const drivers::SourceStatus& status) override;

  // Moves the newest frame into `out` when one arrived since the last take().
  bool take(frame::Frame& out);
  frame::SourceState camera_state() const;
  // Why the camera is not running (English, from the source); empty while it runs.
  std::string capture_reason() const;
  // Frames per second over the last second of arrivals; 0 when none.
  double fps() const;

 private:
  mutable std::mutex mutex_;
  drivers::NewestFrame newest_;                              // protected by mutex_
  drivers::FrameRate rate_{std::chrono::seconds(1)};         // protected by mutex_
  frame::SourceState state_ = frame::SourceState::starting;  // protected by mutex_
  std::string reason_;                                       // protected by mutex_
};

// QR texts from the decode stage or a handheld scanner, for the main thread.
// Bounded: if the main thread stalls, the oldest texts are dropped (a QR in
// front of the camera is read again on the next frame anyway).
class ScannedTexts final : public drivers::QrTextSink {
 public:
  static constexpr std::size_t kCapacity = 16;
  void qr_text(const drivers::ScannedText& scanned) override;
  void status(const drivers::SourceStatus& status) override;

  std::vector<drivers::ScannedText> take();
  frame::SourceState scanner_state() const;
  // Why the scanner is not running (English, from the scanner); empty while it runs.
  std::string capture_reason() const;

 private:
  mutable std::mutex mutex_;
  std::deque<drivers::ScannedText> queue_;                   // protected by mutex_
  frame::SourceState state_ = frame::SourceState::starting;  // protected by mutex_
  std::string reason_;                                       // protected by mutex_
};

}  // namespace kakunin::kiosk
