#include <kakunin/kiosk/counter.h>

#include <chrono>

namespace kakunin::kiosk {

namespace {

// Trust and clock states change slowly; no need to ask every frame.
constexpr auto kPollInterval = std::chrono::seconds(1);

}  // namespace

Counter::Counter(StateMachine& machine, ScannedTexts& texts, LatestFrame* frames,
                 const TrustSource& trust, const Clock& clock, base::Logger log)
    : machine_(machine),
      texts_(texts),
      frames_(frames),
      trust_(trust),
      clock_(clock),
      log_(std::move(log)) {}

void Counter::step() {
  take_capture_state();
  poll_trust_and_clock();
  for (const drivers::ScannedText& scanned : texts_.take()) verify_scanned(scanned);
  machine_.tick();
  ask_online();
  follow_online();
  send_handoffs();
  follow_handoff();
  preview_is_new_ = frames_ && frames_->take(preview_);
}

bool Counter::screen_changed(const ui::ScreenModel& model) {
  const bool changed = preview_is_new_ || !last_shown_ || *last_shown_ != model;
  preview_is_new_ = false;
  if (changed) last_shown_ = model;
  return changed;
}

void Counter::staff(ui::StaffAction action) {
  machine_.staff(action);
  if (action == ui::StaffAction::read_again && reset_reader_) reset_reader_();
  ask_online();
  send_handoffs();
}

void Counter::take_capture_state() {
  const frame::SourceState state = frames_ ? frames_->camera_state() : texts_.scanner_state();
  machine_.camera_state(state);
  if (frames_) machine_.camera_fps(frames_->fps());
  // An IT vendor reads the journal: every change of the capture state, with the
  // source's reason ("no such device /dev/video0", "camera stalled"), once.
  auto now = std::make_pair(state, frames_ ? frames_->capture_reason() : texts_.capture_reason());
  if (logged_capture_ == now) return;
  const bool first = !logged_capture_;
  logged_capture_ = now;
  if (first && state == frame::SourceState::starting) return;
  const bool lost = frame::shows_as_offline(state);
  log_.log(lost ? base::LogLevel::warn : base::LogLevel::info,
           "capture: " + std::string(frame::source_state_name(state)) +
               (now.second.empty() ? "" : ": " + now.second));
}

void Counter::poll_trust_and_clock() {
  const SteadyTime now = clock_.steady_now();
  if (last_poll_ && now - *last_poll_ < kPollInterval) return;
  last_poll_ = now;
  machine_.trust_status(trust_.status(clock_.wall_now()));
  machine_.clock_state(trust_.clock_state());
  if (health_) machine_.health(health_->health());
  ui::StatusFacts facts = trust_.status_facts();
  facts.capture = frames_ ? ui::CaptureKind::camera : ui::CaptureKind::scanner;
  facts.capture_reason = frames_ ? frames_->capture_reason() : texts_.capture_reason();
  machine_.status_facts(facts);
}

void Counter::verify_scanned(const drivers::ScannedText& scanned) {
  if (!scanned.corners.empty()) machine_.qr_outline(scanned.corners);
  // A repeat of the QR already announced is not verified again (no second tone,
  // audit row or hand-off).
  if (!machine_.qr_seen(scanned.text, scanned.corners)) return;
  const crypto::UnixSeconds now = clock_.wall_now();
  const auto verifier = trust_.verifier();
  // Without usable lists every QR that parses is no_trust_list: a verifier with no
  // lists says exactly that, in the spec's precedence (not_jhc1, malformed first).
  crypto::VerifyResult result =
      verifier
          ? verifier->verify(scanned.text, now)
          : crypto::Verifier(nullptr, nullptr, crypto::Mode::production).verify(scanned.text, now);
  // Every verification reaches the sinks (the audit records each one); only a
  // result new on screen is announced.
  const bool announced = machine_.verified(scanned.text, result) == StateMachine::Shown::announced;
  const CounterVerdict verdict{scanned, std::move(result), now, clock_.steady_now(), announced};
  for (VerdictSink* sink : sinks_) sink->verdict(verdict);
}

// A hand-off of a result asked about online waits (in memory, seconds at most:
// online.timeout_seconds) until the national answer is final, then carries it.
void Counter::send_handoffs() {
  for (HandoffRequest& request : machine_.take_handoff_requests())
    waiting_handoffs_.push_back(std::move(request));
  std::vector<HandoffRequest> still_waiting;
  for (HandoffRequest& request : waiting_handoffs_) {
    if (!handoff_) {
      machine_.handoff_progress(request.id, ui::HandoffDisplay::failed);
      continue;
    }
    CounterVerdict sent{{}, *request.result, request.checked_at, clock_.steady_now()};
    if (const auto ticket = online_ticket(request.online_request)) {
      online::OnlineStatus status = online_->status(*ticket);
      if (!status.final()) {
        machine_.handoff_progress(request.id, ui::HandoffDisplay::waiting_online);
        still_waiting.push_back(std::move(request));
        continue;
      }
      sent.online = std::move(status);
      sent.national = online_->answer(*ticket);
    }
    following_ = Following{request.id, handoff_->hand_off(sent)};
    follow_handoff();
  }
  waiting_handoffs_ = std::move(still_waiting);
}

void Counter::ask_online() {
  constexpr std::size_t kKeptTickets = 16;
  for (const OnlineRequest& request : machine_.take_online_requests()) {
    if (!online_) {
      machine_.online_progress(
          request.id, {online::OnlineState::unavailable, online::OnlineReason::not_asked, {}, {}});
      continue;
    }
    const std::uint64_t ticket = online_->ask(*request.presentation, request.checked_at);
    online_tickets_.emplace_back(request.id, ticket);
    if (online_tickets_.size() > kKeptTickets) online_tickets_.erase(online_tickets_.begin());
    following_online_ = {request.id, ticket};
  }
}

// Each turn while the result on screen waits for its national answer (status()
// only reads memory: no I/O on the main thread).
void Counter::follow_online() {
  if (!following_online_ || !online_) return;
  const online::OnlineStatus status = online_->status(following_online_->second);
  machine_.online_progress(following_online_->first, status);
  if (status.final()) following_online_.reset();
}

std::optional<std::uint64_t> Counter::online_ticket(std::uint64_t id) const {
  if (id == 0 || !online_) return std::nullopt;
  for (const auto& [request, ticket] : online_tickets_) {
    if (request == id) return ticket;
  }
  return std::nullopt;
}

// Each turn while the hand-off on screen is on its way (a progress() call only
// reads the hand-off's state: no I/O on the main thread).
void Counter::follow_handoff() {
  if (!following_ || !handoff_) return;
  const ui::HandoffDisplay progress = handoff_->progress(following_->ticket);
  machine_.handoff_progress(following_->request, progress);
  if (progress == ui::HandoffDisplay::sent || progress == ui::HandoffDisplay::failed)
    following_.reset();
}

}  // namespace kakunin::kiosk
