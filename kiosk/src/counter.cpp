#include <kakunin/kiosk/counter.h>

#include <kakunin/audit/audit_log.h>
#include <kakunin/ui/tones.h>

#include <chrono>

namespace kakunin::kiosk {

// ---------------------------------------------------------------- counter --

namespace {

const char* camera_state_name(ui::CameraState state) {
  switch (state) {
    case ui::CameraState::starting:
      return "starting";
    case ui::CameraState::running:
      return "running";
    case ui::CameraState::offline:
      return "offline";
  }
  return "offline";
}

// Trust and clock states change slowly; no need to ask every frame.
constexpr auto kPollInterval = std::chrono::seconds(1);

}  // namespace

Counter::Counter(StateMachine& machine, ScannedTexts& texts, LatestFrame* frames, CounterParts parts,
                 const Clock& clock)
    : machine_(machine), texts_(texts), frames_(frames), parts_(std::move(parts)), clock_(clock) {}

void Counter::step() {
  take_capture_state();
  poll_trust_and_clock();
  for (const drivers::ScannedText& scanned : texts_.take()) verify_scanned(scanned);
  machine_.tick();
  act_on_events();
  if (frames_) frames_->take(preview_);
}

void Counter::staff(ui::StaffAction action) {
  machine_.staff(action);
  if (action == ui::StaffAction::read_again && parts_.reset_reader) parts_.reset_reader();
  act_on_events();
}

void Counter::take_capture_state() {
  const ui::CameraState state = frames_ ? frames_->camera_state() : texts_.scanner_state();
  machine_.camera_state(state);
  if (frames_) machine_.camera_fps(frames_->fps());
  // An IT vendor reads the journal: every change of the capture state, with the
  // source's reason ("no such device /dev/video0", "camera stalled"), once.
  auto now = std::make_pair(state, frames_ ? frames_->capture_reason() : texts_.capture_reason());
  if (logged_capture_ == now) return;
  const bool first = !logged_capture_;
  logged_capture_ = now;
  if (first && state == ui::CameraState::starting) return;
  const bool lost = state == ui::CameraState::offline;
  parts_.log.log(lost ? base::LogLevel::warn : base::LogLevel::info,
                 "capture: " + std::string(camera_state_name(state)) + (now.second.empty() ? "" : ": " + now.second));
}

void Counter::poll_trust_and_clock() {
  const SteadyTime now = clock_.steady_now();
  if (last_poll_ && now - *last_poll_ < kPollInterval) return;
  last_poll_ = now;
  if (parts_.trust_status) machine_.trust_status(parts_.trust_status(clock_.wall_now()));
  if (parts_.clock_state) machine_.clock_state(parts_.clock_state());
}

void Counter::verify_scanned(const drivers::ScannedText& scanned) {
  if (!scanned.corners.empty()) machine_.qr_outline(scanned.corners);
  // A repeat of the QR already announced is not verified again (no second tone,
  // audit row or hand-off).
  if (!machine_.qr_seen(scanned.text, scanned.corners)) return;
  const crypto::UnixSeconds now = clock_.wall_now();
  const auto verifier = parts_.verifier ? parts_.verifier() : nullptr;
  // Without usable lists every QR that parses is no_trust_list: a verifier with no
  // lists says exactly that, in the spec's precedence (not_jhc1, malformed first).
  const crypto::VerifyResult result =
      verifier ? verifier->verify(scanned.text, now)
               : crypto::Verifier(nullptr, nullptr, crypto::Mode::production).verify(scanned.text, now);
  machine_.verified(scanned.text, result);
  if (parts_.audit) {
    auto recorded = parts_.audit->record(result, now, parts_.kiosk_id);
    if (!recorded.ok()) {
      parts_.log.error("audit: could not record a verdict: " + recorded.error().message);
    }
  }
  if (parts_.on_verdict) parts_.on_verdict({scanned, result, now});
}

void Counter::act_on_events() {
  for (const KioskEvent& event : machine_.take_events()) {
    switch (event.kind) {
      case KioskEvent::Kind::play_valid_tone:
        if (parts_.tones) parts_.tones->play(ui::Tone::valid);
        break;
      case KioskEvent::Kind::play_refused_tone:
        if (parts_.tones) parts_.tones->play(ui::Tone::refused);
        break;
      case KioskEvent::Kind::record_audit:
        break;  // recorded with the full result in verify_scanned()
      case KioskEvent::Kind::handoff_requested:
        if (parts_.hand_off && event.presentation) parts_.hand_off(event.presentation, event.at);
        break;
    }
  }
}

}  // namespace kakunin::kiosk
