#include <kakunin/kiosk/state_machine.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kakunin::kiosk {

StateMachine::StateMachine(StateMachineSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {
  phase_since_ = clock_.steady_now();
  counts_day_ = crypto::CalendarDate::japan_date_at(clock_.wall_now());
}

bool StateMachine::qr_seen(std::string_view text, std::vector<std::pair<int, int>> corners) {
  if (!corners.empty()) qr_outline(std::move(corners));
  tick();  // a result past its time is gone, not held by the next QR
  // Staff pinned the result they are typing from: no QR replaces it (nor is
  // verified) until they unpin or clear it; 固定中 on screen says why.
  if (phase_ == Phase::result && pinned_) return false;
  if (suppressed_text_ && *suppressed_text_ == text) return false;
  if (phase_ == Phase::reading && current_text_ == text) return false;  // already verifying
  current_text_ = std::string(text);
  phase_ = Phase::reading;
  phase_since_ = clock_.steady_now();
  return true;
}

StateMachine::Shown StateMachine::verified(std::string_view text,
                                           const crypto::VerifyResult& result) {
  if (phase_ != Phase::reading || text != current_text_) return Shown::dropped;  // late, stray
  if (is_shown_again(result)) {
    // The phone redrew its QR: the result staff are reading stays, with its
    // hand-off state, and counts down from the start again.
    phase_ = Phase::result;
    phase_since_ = clock_.steady_now();
    suppressed_text_ = current_text_;
    return Shown::held;
  }
  show_result(result);
  return Shown::announced;
}

// Whether `result` is the result still held from before this reading (qr_seen
// keeps it until the verification comes back). Valid: the same verified
// presentation but for its iat and age (the strict reading: insurer, 記号・番号・
// 枝番, every certificate field, cti, profile and trust-list name; a field
// added later is compared too). A refusal carries no certificate, so only its
// verdict can be compared: the same refusal card again.
bool StateMachine::is_shown_again(const crypto::VerifyResult& result) const {
  if (const crypto::VerifiedPresentation* presentation = result.presentation()) {
    if (!valid_) return false;
    crypto::VerifiedPresentation shown = valid_->presentation;
    shown.presented_at = presentation->presented_at;
    shown.age_seconds = presentation->age_seconds;
    return shown == *presentation;
  }
  return refused_ && refused_->verdict == result.verdict();
}

void StateMachine::show_result(const crypto::VerifyResult& result) {
  const crypto::UnixSeconds now = clock_.wall_now();
  clear_result();
  phase_ = Phase::result;
  phase_since_ = clock_.steady_now();
  suppressed_text_ = current_text_;
  status_open_ = false;  // a new result is what staff need to see
  count(result.verdict());

  if (const crypto::VerifiedPresentation* presentation = result.presentation()) {
    valid_ = ui::ValidResult{*presentation, now, ui::HandoffDisplay::not_sent};
    valid_result_ = std::make_shared<const crypto::VerifyResult>(result);
    if (settings_.online_enabled) ask_online();
    if (settings_.handoff_enabled && settings_.handoff_automatic) {
      staff(StaffAction::send_to_receipt);
    }
  } else {
    refused_ = ui::RefusedResult{result.verdict()};
  }
}

// Only after a valid verdict, and once per result announced: a result held on
// screen again (the phone redrew its QR) is not asked about again.
void StateMachine::ask_online() {
  valid_->online = online::OnlineStatus{};  // pending
  valid_online_ = ++last_online_;
  online_requests_.push_back(
      {valid_online_, std::make_shared<const crypto::VerifiedPresentation>(valid_->presentation),
       valid_->checked_at});
}

void StateMachine::clear_result() {
  valid_.reset();  // the personal data goes with it
  valid_result_.reset();
  valid_request_ = 0;
  valid_online_ = 0;
  refused_.reset();
  pinned_ = false;
}

void StateMachine::toggle_pin() {
  const SteadyTime now = clock_.steady_now();
  if (pinned_) {
    pinned_ = false;
    phase_since_ = now;  // unpinned: the whole countdown again, not a result gone at once
  } else {
    pinned_ = true;
    pinned_since_ = now;
  }
}

bool StateMachine::result_on_screen(SteadyTime now) const {
  if (phase_ != Phase::result) return false;
  return pinned_ ? now - pinned_since_ < settings_.pin_limit
                 : now - phase_since_ < settings_.result_time;
}

ui::Countdown StateMachine::countdown(SteadyTime now) const {
  using std::chrono::milliseconds;
  ui::Countdown out;
  out.pinned = pinned_;
  out.total = pinned_ ? settings_.pin_limit : settings_.result_time;
  const milliseconds elapsed =
      std::chrono::floor<milliseconds>(now - (pinned_ ? pinned_since_ : phase_since_));
  const milliseconds left = std::clamp(out.total - elapsed, milliseconds{0}, out.total);
  // Rounded up to what the strip shows: the bar's step, or the whole seconds
  // of the pinned line, so the screen is drawn again only when it would change.
  const milliseconds step = pinned_ ? milliseconds{std::chrono::seconds(1)} : ui::kCountdownStep;
  out.remaining = std::min(out.total, (left + step - milliseconds{1}) / step * step);
  return out;
}

void StateMachine::qr_outline(std::vector<std::pair<int, int>> corners) {
  corners_ = std::move(corners);
  corners_seen_ = clock_.steady_now();
}

void StateMachine::staff(StaffAction action) {
  switch (action) {
    case StaffAction::clear:
      if (status_open_) {
        status_open_ = false;
        return;
      }
      clear_result();
      phase_ = Phase::idle;
      phase_since_ = clock_.steady_now();
      return;
    case StaffAction::read_again:
      clear_result();
      status_open_ = false;
      suppressed_text_.reset();
      current_text_.clear();
      phase_ = Phase::idle;
      phase_since_ = clock_.steady_now();
      return;
    case StaffAction::send_to_receipt: {
      if (phase_ != Phase::result || !valid_ || valid_->handoff != ui::HandoffDisplay::not_sent ||
          status_open_ || !settings_.handoff_enabled) {
        return;
      }
      // "Sending" until the hand-off itself says more: never "sent" on a key press.
      valid_->handoff = ui::HandoffDisplay::sending;
      valid_request_ = ++last_request_;
      handoff_requests_.push_back(
          {valid_request_,
           std::make_shared<const crypto::VerifiedPresentation>(valid_->presentation),
           valid_result_, valid_->checked_at, valid_online_});
      return;
    }
    case StaffAction::toggle_status:
      status_open_ = !status_open_;
      status_since_ = clock_.steady_now();
      return;
    case StaffAction::pin:
      if (phase_ == Phase::result && !status_open_) toggle_pin();
      return;
  }
}

void StateMachine::camera_state(frame::SourceState state) {
  camera_ = state;
  if (state != frame::SourceState::running) fps_ = 0;
}

void StateMachine::camera_fps(double fps) { fps_ = fps; }

void StateMachine::trust_status(const TrustStatus& status) { trust_ = status; }

void StateMachine::clock_state(base::ClockState state) { clock_state_ = state; }

void StateMachine::health(const ui::HealthInfo& health) { health_ = health; }

void StateMachine::status_facts(const ui::StatusFacts& facts) { facts_ = facts; }

void StateMachine::handoff_progress(std::uint64_t request_id, ui::HandoffDisplay progress) {
  if (valid_ && request_id != 0 && request_id == valid_request_) valid_->handoff = progress;
}

void StateMachine::online_progress(std::uint64_t request_id, const online::OnlineStatus& status) {
  if (valid_ && request_id != 0 && request_id == valid_online_) valid_->online = status;
}

void StateMachine::tick() {
  const SteadyTime now = clock_.steady_now();
  if (phase_ == Phase::result && !result_on_screen(now)) {
    clear_result();
    phase_ = Phase::idle;
    phase_since_ = now;
  }
  if (phase_ == Phase::reading && now - phase_since_ >= settings_.reading_timeout) {
    phase_ = Phase::idle;  // the verification never came back; let the QR be read again
    clear_result();        // nor is a result held for it any longer
    current_text_.clear();
    phase_since_ = now;
  }
  if (status_open_ && now - status_since_ >= settings_.status_time) status_open_ = false;
  const crypto::CalendarDate today = crypto::CalendarDate::japan_date_at(clock_.wall_now());
  if (today != counts_day_) {
    counts_day_ = today;
    counts_.fill(0);
  }
}

void StateMachine::count(crypto::Verdict verdict) {
  const crypto::CalendarDate today = crypto::CalendarDate::japan_date_at(clock_.wall_now());
  if (today != counts_day_) {
    counts_day_ = today;
    counts_.fill(0);
  }
  const auto index = static_cast<std::size_t>(verdict);
  if (index < counts_.size()) ++counts_[index];
}

std::vector<HandoffRequest> StateMachine::take_handoff_requests() {
  std::vector<HandoffRequest> out;
  out.swap(handoff_requests_);
  return out;
}

std::vector<OnlineRequest> StateMachine::take_online_requests() {
  std::vector<OnlineRequest> out;
  out.swap(online_requests_);
  return out;
}

ui::ScreenModel StateMachine::model() const {
  ui::ScreenModel model;
  model.language = settings_.language;
  model.now = clock_.wall_now();
  model.test_mode = settings_.test_mode;
  model.handoff_enabled = settings_.handoff_enabled && !settings_.handoff_automatic;
  model.camera = camera_;
  // To the tenth the status page shows: a rate that wobbles in its second decimal
  // does not redraw the screen.
  model.camera_fps = camera_ == frame::SourceState::running ? std::round(fps_ * 10) / 10 : 0;
  if (!corners_.empty() && clock_.steady_now() - corners_seen_ < settings_.outline_time) {
    model.qr_corners = corners_;
  }
  if (crypto::CalendarDate::japan_date_at(model.now) == counts_day_) model.counts = counts_;

  if (settings_.test_mode) model.warnings.push_back(ui::Warning::test_mode);
  if (settings_.test_mode && settings_.freshness_skipped) {
    model.warnings.push_back(ui::Warning::freshness_skipped);
  }
  if (trust_.usable && trust_.stale) model.warnings.push_back(ui::Warning::trust_list_stale);
  if (base::clock_warns(clock_state_)) {
    model.warnings.push_back(ui::Warning::clock_unsynchronised);
  }
  if (health_.recording == ui::RecordingDisplay::delayed) {
    model.warnings.push_back(ui::Warning::audit_delayed);
  } else if (health_.recording == ui::RecordingDisplay::not_recording) {
    model.warnings.push_back(ui::Warning::audit_not_recording);
  }
  if (health_.handoff_enabled && health_.handoff_not_answering) {
    model.warnings.push_back(ui::Warning::handoff_not_answering);
  }

  model.status.version = settings_.version;
  model.status.kiosk_id = settings_.kiosk_id;
  model.status.trust_list = trust_.trust_list;
  model.status.revocations = trust_.revocations;
  model.status.held_list_rolled_back = trust_.held_list_rolled_back;
  model.status.clock = clock_state_;
  model.status.health = health_;
  model.status.facts = facts_;

  // Even if the loop is late to tick(), a result is never drawn past its time.
  const bool result_shown = result_on_screen(clock_.steady_now());
  if (result_shown && !status_open_ && (valid_ || refused_)) {
    model.countdown = countdown(clock_.steady_now());
  }
  if (status_open_) {
    model.screen = ui::ScreenKind::status;
  } else if (result_shown && valid_) {
    model.screen = ui::ScreenKind::valid;
    model.valid = valid_;
  } else if (result_shown && refused_) {
    model.screen = ui::ScreenKind::refused;
    model.refused = refused_;
  } else if (phase_ == Phase::reading) {
    model.screen = ui::ScreenKind::reading;
  } else if (!trust_.usable) {
    model.screen = ui::ScreenKind::no_trust_list;
  } else if (frame::shows_as_offline(camera_)) {
    model.screen = ui::ScreenKind::camera_offline;
  } else {
    model.screen = ui::ScreenKind::idle;
  }
  return model;
}

}  // namespace kakunin::kiosk
