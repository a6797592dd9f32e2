// The counter: where capture meets verification and the screen. Capture threads
// (the frame pump, the decode stage, a scanner) hand frames and QR texts to a
// LatestFrame and a ScannedTexts; the main loop calls Counter::step(), which verifies each new QR
// once, feeds the state machine, and acts on its events (tones, audit row,
// hand-off). All decisions happen on the main thread (scrcpy style); the two
// sinks of screen_feed.h are the only things shared with other threads.
//
//   camera ─▶ FramePump ─▶ DecodeStage ─▶ ScannedTexts ─▶ Counter::step() ─▶ screen
//                      └──▶ LatestFrame (preview, fps)             ├─▶ audit log
//   scanner ───────────────────────────▶ ScannedTexts             └─▶ hand-off
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/kiosk/screen_feed.h>
#include <kakunin/kiosk/state_machine.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kakunin::audit {
class AuditLog;
}
namespace kakunin::ui {
class TonePlayer;
}

namespace kakunin::kiosk {

// One verification, as the main loop saw it (for the headless demo's JSON lines
// and the end-to-end benchmark).
struct CounterVerdict {
  drivers::ScannedText scanned;
  crypto::VerifyResult result;
  crypto::UnixSeconds checked_at = 0;
};

struct CounterParts {
  // The verifier for the lists held now (nullptr: none usable yet).
  std::function<std::shared_ptr<const crypto::Verifier>()> verifier;
  // Trust and clock state for warnings; polled once a second.
  std::function<TrustStatus(crypto::UnixSeconds now)> trust_status;
  std::function<ui::ClockState()> clock_state;
  audit::AuditLog* audit = nullptr;
  // Hands a verified certificate to the receipt computer; must not block (the
  // kiosk queues it for a worker thread).
  std::function<void(std::shared_ptr<const crypto::VerifiedPresentation>, crypto::UnixSeconds checked_at)>
      hand_off;
  ui::TonePlayer* tones = nullptr;
  std::string kiosk_id;
  // Called for every verification, after the state machine has it.
  std::function<void(const CounterVerdict&)> on_verdict;
  // Staff asked to read again: the decoder forgets which QR it has already
  // passed on, so a phone still in view is read once more.
  std::function<void()> reset_reader;
  // English log lines (no personal data); a default Logger drops them.
  base::Logger log;
};

class Counter {
 public:
  // `frames` is nullptr on a scanner-only kiosk (the scanner's state is then
  // the capture state).
  Counter(StateMachine& machine, ScannedTexts& texts, LatestFrame* frames, CounterParts parts,
          const Clock& clock);

  // One turn of the main loop: capture state, new QR texts (verified once each),
  // timeouts, events.
  void step();
  void staff(ui::StaffAction action);

  // The newest camera frame for the preview; nullptr before the first.
  const drivers::Frame* preview() const { return preview_.pixels.empty() ? nullptr : &preview_; }
  StateMachine& machine() { return machine_; }

 private:
  void take_capture_state();
  void poll_trust_and_clock();
  void verify_scanned(const drivers::ScannedText& scanned);
  void act_on_events();

  StateMachine& machine_;
  ScannedTexts& texts_;
  LatestFrame* frames_;
  CounterParts parts_;
  const Clock& clock_;
  drivers::Frame preview_;
  std::optional<SteadyTime> last_poll_;
  // The capture state last written to the log, so a change is logged once.
  std::optional<std::pair<ui::CameraState, std::string>> logged_capture_;
};

}  // namespace kakunin::kiosk
