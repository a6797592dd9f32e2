#include <kakunin/kiosk/counter.h>

#include <kakunin/audit/audit_log.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/ui/tones.h>

#include <chrono>

namespace kakunin::kiosk {

// ------------------------------------------------------------------ inbox --

void CounterInbox::push(const drivers::Frame& frame) {
  std::lock_guard lock(mutex_);
  frame_ = frame;  // replaces an undrawn older frame: the screen shows the newest
}

void CounterInbox::qr_text(const drivers::ScannedText& scanned) {
  std::lock_guard lock(mutex_);
  texts_.push_back(scanned);
  while (texts_.size() > kMaxPendingTexts) texts_.pop_front();
}

void CounterInbox::status(const drivers::SourceStatus& status) {
  std::lock_guard lock(mutex_);
  status_ = status;
}

std::vector<drivers::ScannedText> CounterInbox::take_texts() {
  std::lock_guard lock(mutex_);
  std::vector<drivers::ScannedText> texts(std::make_move_iterator(texts_.begin()),
                                          std::make_move_iterator(texts_.end()));
  texts_.clear();
  return texts;
}

bool CounterInbox::take_frame(drivers::Frame& out) {
  std::lock_guard lock(mutex_);
  if (!frame_) return false;
  out = std::move(*frame_);
  frame_.reset();
  return true;
}

std::optional<drivers::SourceStatus> CounterInbox::take_status() {
  std::lock_guard lock(mutex_);
  auto status = std::move(status_);
  status_.reset();
  return status;
}

// ---------------------------------------------------------------- counter --

namespace {

ui::CameraState camera_state_for(drivers::SourceState state) {
  switch (state) {
    case drivers::SourceState::starting:
      return ui::CameraState::starting;
    case drivers::SourceState::running:
      return ui::CameraState::running;
    case drivers::SourceState::offline:
    case drivers::SourceState::ended:  // a file or video that ran out: nothing to read
      return ui::CameraState::offline;
  }
  return ui::CameraState::offline;
}

// Trust and clock states change slowly; no need to ask every frame.
constexpr auto kPollInterval = std::chrono::seconds(1);

}  // namespace

Counter::Counter(StateMachine& machine, CounterInbox& inbox, CounterParts parts, const Clock& clock)
    : machine_(machine), inbox_(inbox), parts_(std::move(parts)), clock_(clock) {}

const drivers::Frame* Counter::step() {
  take_status();
  poll_trust_and_clock();
  for (const drivers::ScannedText& scanned : inbox_.take_texts()) verify_scanned(scanned);
  machine_.tick();
  act_on_events();
  if (inbox_.take_frame(preview_)) {
    has_preview_ = true;
    return &preview_;
  }
  return nullptr;
}

void Counter::staff(ui::StaffAction action) {
  machine_.staff(action);
  act_on_events();
}

void Counter::take_status() {
  if (auto status = inbox_.take_status()) {
    machine_.camera_state(camera_state_for(status->state));
    if (parts_.log && !status->reason.empty()) parts_.log("capture: " + status->reason);
  }
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
    if (!recorded.ok() && parts_.log) {
      parts_.log("audit: could not record a verdict: " + recorded.error().message);
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
        if (parts_.handoff && event.presentation) {
          const auto sent = parts_.handoff->send(*event.presentation, event.at);
          (void)sent;  // the hand-off logs its own outcome (sequence numbers only)
        }
        break;
    }
  }
}

}  // namespace kakunin::kiosk
