// The counter: where capture meets verification and the screen. Capture threads
// (the frame pump, the decode stage, a scanner) hand frames and QR texts to a
// CounterInbox; the main loop calls Counter::step(), which verifies each new QR
// once, feeds the state machine, and acts on its events (tones, audit row,
// hand-off). All decisions happen on the main thread (scrcpy style); the inbox
// is the only thing shared with other threads.
//
//   camera ─▶ FramePump ─▶ DecodeStage ─▶ CounterInbox ─▶ Counter::step() ─▶ screen
//                      └──▶ CounterInbox (preview frame)          ├─▶ audit log
//   scanner ───────────────────────────▶ CounterInbox            └─▶ hand-off
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/kiosk/state_machine.h>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace kakunin::audit {
class AuditLog;
}
namespace kakunin::handoff {
class Handoff;
}
namespace kakunin::ui {
class TonePlayer;
}

namespace kakunin::kiosk {

// Thread-safe hand-over point: keeps only the newest preview frame (never a
// queue of frames) and a short queue of QR texts (oldest dropped past a few, so
// a burst can never build up latency).
class CounterInbox final : public drivers::FrameSink, public drivers::QrTextSink {
 public:
  static constexpr std::size_t kMaxPendingTexts = 8;

  void push(const drivers::Frame& frame) override;
  void qr_text(const drivers::ScannedText& scanned) override;
  void status(const drivers::SourceStatus& status) override;

  std::vector<drivers::ScannedText> take_texts();
  // Moves the newest frame into `out` when one arrived since the last call.
  bool take_frame(drivers::Frame& out);
  std::optional<drivers::SourceStatus> take_status();

 private:
  std::mutex mutex_;  // guards everything below
  std::optional<drivers::Frame> frame_;
  std::deque<drivers::ScannedText> texts_;
  std::optional<drivers::SourceStatus> status_;
};

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
  handoff::Handoff* handoff = nullptr;
  ui::TonePlayer* tones = nullptr;
  std::string kiosk_id;
  // Called for every verification, after the state machine has it.
  std::function<void(const CounterVerdict&)> on_verdict;
  // English log lines (no personal data).
  std::function<void(const std::string&)> log;
};

class Counter {
 public:
  Counter(StateMachine& machine, CounterInbox& inbox, CounterParts parts, const Clock& clock);

  // One turn of the main loop: statuses, new QR texts (verified once each),
  // timeouts, events. Returns the newest preview frame when one arrived.
  const drivers::Frame* step();
  void staff(ui::StaffAction action);

  const drivers::Frame* preview() const { return has_preview_ ? &preview_ : nullptr; }

 private:
  void take_status();
  void poll_trust_and_clock();
  void verify_scanned(const drivers::ScannedText& scanned);
  void act_on_events();

  StateMachine& machine_;
  CounterInbox& inbox_;
  CounterParts parts_;
  const Clock& clock_;
  drivers::Frame preview_;
  bool has_preview_ = false;
  std::optional<SteadyTime> last_poll_;
};

}  // namespace kakunin::kiosk
