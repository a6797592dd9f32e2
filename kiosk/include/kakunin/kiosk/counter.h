// The counter: where capture meets verification and the screen. Capture threads
// (the frame pump, the decode stage, a scanner) hand frames and QR texts to a
// LatestFrame and a ScannedTexts; the main loop calls Counter::step(), which
// verifies each new QR once with the trust source's verifier, feeds the state
// machine, and pushes the verdict to its verdict sinks (verdict_sink.h). All
// decisions happen on the main thread (scrcpy style); the two hand-over points
// of screen_feed.h are the only things shared with other threads. kiosk::Kiosk
// (kiosk.h) wires it; tests build one alone.
//
//   camera ─▶ FramePump ─▶ DecodeStage ─▶ ScannedTexts ─▶ Counter::step() ─▶ StateMachine ─▶ screen
//                      └──▶ LatestFrame (preview, fps)        │   ▲ TrustSource
//   scanner ───────────────────────────▶ ScannedTexts          ├─▶ verdict sinks: audit, tones,
//   headless line
//                                                              └─▶ hand-off sinks (results sent to
//                                                              the レセコン)
//
//   kiosk::Counter counter(machine, texts, &frames, trust, clock, log);
//   counter.add_sink(audit_sink);
//   counter.step();  // each turn of the main loop
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/kiosk/health_source.h>
#include <kakunin/kiosk/screen_feed.h>
#include <kakunin/kiosk/state_machine.h>
#include <kakunin/kiosk/trust_source.h>
#include <kakunin/kiosk/verdict_sink.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kakunin::kiosk {

class Counter {
 public:
  // `frames` is nullptr on a scanner-only kiosk (the scanner's state is then
  // the capture state). `log` gets English lines, no personal data.
  Counter(StateMachine& machine, ScannedTexts& texts, LatestFrame* frames, const TrustSource& trust,
          const Clock& clock, base::Logger log = {});

  // Every verification goes to these, in the order added.
  void add_sink(VerdictSink& sink) { sinks_.push_back(&sink); }
  // A valid result sent to the receipt computer (staff pressed S, or every valid
  // one when the hand-off is automatic) goes here, once per result; its progress
  // is shown on the valid card. Without a target nothing is handed off.
  void set_handoff(HandoffTarget& target) { handoff_ = &target; }
  // Each valid result announced is asked about online here (docs/online.md); its
  // state is shown on the valid card, and its hand-off waits for the answer.
  void set_online(online::OnlineAsker& asker) { online_ = &asker; }
  // Recording and hand-off health, asked once a second with the trust state.
  void set_health(const HealthSource& health) { health_ = &health; }
  // Called when staff press "read again", so the decoder passes on a QR still in
  // view once more.
  void on_read_again(std::function<void()> reset_reader) {
    reset_reader_ = std::move(reset_reader);
  }

  // One turn of the main loop: capture state, new QR texts (verified once each),
  // timeouts, hand-offs.
  void step();
  void staff(ui::StaffAction action);

  // The newest camera frame for the preview; nullptr before the first.
  const frame::Frame* preview() const { return preview_.pixels.empty() ? nullptr : &preview_; }
  // Whether `model` (what the machine shows now) must be drawn: a new camera
  // frame came in the last step, or the model differs from the one last asked
  // about. The same picture is not drawn again: an idle screen without a camera
  // costs nothing, and with one it is drawn at the camera's rate, not the loop's.
  bool screen_changed(const ui::ScreenModel& model);
  StateMachine& machine() { return machine_; }
  // A hand-off is held until its online check is final (set_online).
  bool handoffs_waiting() const { return !waiting_handoffs_.empty(); }

 private:
  void take_capture_state();
  void poll_trust_and_clock();
  void verify_scanned(const drivers::ScannedText& scanned);
  void send_handoffs();
  void follow_handoff();
  void ask_online();
  void follow_online();
  // The online check of online request `id`, if it was asked (and still known).
  std::optional<std::uint64_t> online_ticket(std::uint64_t id) const;

  StateMachine& machine_;
  ScannedTexts& texts_;
  LatestFrame* frames_;
  const TrustSource& trust_;
  const Clock& clock_;
  base::Logger log_;
  std::function<void()> reset_reader_;
  std::vector<VerdictSink*> sinks_;
  HandoffTarget* handoff_ = nullptr;
  online::OnlineAsker* online_ = nullptr;
  // Online request id -> ticket, the newest few (a hand-off asks after its own).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> online_tickets_;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> following_online_;
  // Hand-offs held until their online check is final, oldest first.
  std::vector<HandoffRequest> waiting_handoffs_;
  const HealthSource* health_ = nullptr;
  // The hand-off on the valid card, followed until it is sent or failed.
  struct Following {
    std::uint64_t request = 0;
    std::uint64_t ticket = 0;
  };
  std::optional<Following> following_;
  frame::Frame preview_;
  bool preview_is_new_ = false;                // step() took a newer frame
  std::optional<ui::ScreenModel> last_shown_;  // as of the last screen_changed()
  std::optional<SteadyTime> last_poll_;
  // The capture state last written to the log, so a change is logged once.
  std::optional<std::pair<frame::SourceState, std::string>> logged_capture_;
};

}  // namespace kakunin::kiosk
