// The kiosk's main loop on the main thread: staff input, QR texts, verification,
// the state machine, tones and events, and drawing — everything docs/screens.md
// describes, wired in one place so `kakunin run` / `kakunin demo` only build the
// parts (capture, trust sync, audit, hand-off) and call run_kiosk_loop().
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/kiosk/screen_feed.h>
#include <kakunin/kiosk/state_machine.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <atomic>
#include <functional>
#include <memory>

namespace kakunin::kiosk {

struct KioskLoopParts {
  ui::KioskWindow* window = nullptr;  // required
  StateMachine* machine = nullptr;    // required
  const Clock* clock = nullptr;       // required; the machine's clock
  ScannedTexts* texts = nullptr;      // required: decoder and/or scanner output
  LatestFrame* frames = nullptr;      // camera frames; nullptr for a scanner-only kiosk
  ui::TonePlayer* tones = nullptr;    // nullptr: silent

  // The verifier for the lists held now (trust sync swaps it); nullptr while no
  // lists are loaded (every QR is then refused as no_trust_list or not_jhc1).
  std::function<std::shared_ptr<const crypto::Verifier>()> verifier;
  // Polled every turn; unset: the machine keeps what it was last told.
  std::function<TrustStatus()> trust_status;
  std::function<ui::ClockState()> clock_state;
  // Audit records and hand-off requests (tones are played here already).
  std::function<void(const KioskEvent&)> on_event;

  // The loop's own state: the frame on screen, kept across turns so the preview
  // does not blink when the camera is slower than the loop.
  drivers::Frame preview;
};

struct LoopTurn {
  bool keep_running = true;  // false once the window was closed
  ui::ScreenKind screen = ui::ScreenKind::idle;
};

// One turn: waits at most `wait_ms` for input, then does everything once.
LoopTurn kiosk_loop_turn(KioskLoopParts& parts, int wait_ms);

// Turns until the window is closed or `stop` is set (e.g. from a signal handler).
// Returns 0, or 2 when a required part is missing.
int run_kiosk_loop(KioskLoopParts& parts, const std::atomic<bool>& stop);

}  // namespace kakunin::kiosk
