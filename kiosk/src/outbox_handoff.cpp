#include "outbox_handoff.h"

namespace kakunin::kiosk {

OutboxHandoff::OutboxHandoff(handoff::Handoff& handoff, base::Logger log)
    : handoff_(handoff), log_(std::move(log)) {}

std::uint64_t OutboxHandoff::hand_off(const CounterVerdict& verdict) {
  const crypto::VerifiedPresentation* presentation = verdict.result.presentation();
  if (!presentation) return 0;  // only valid results are handed off
  std::optional<handoff::OnlineCheckResult> online;
  if (verdict.online) online = handoff::OnlineCheckResult{*verdict.online, verdict.national};
  const handoff::Outcome outcome =
      handoff_.send(*presentation, verdict.checked_at, online ? &*online : nullptr);
  if (outcome.kind == handoff::Outcome::Kind::failed ||
      outcome.kind == handoff::Outcome::Kind::partial) {
    log_.warn("hand-off #" + std::to_string(outcome.sequence) + " will not reach every channel" +
              (outcome.detail.empty() ? "" : ": " + outcome.detail));
  }
  return outcome.sequence;  // 0 when the outbox refused it: progress() says failed
}

ui::HandoffDisplay OutboxHandoff::progress(std::uint64_t ticket) const {
  if (ticket == 0) return ui::HandoffDisplay::failed;
  const auto outcome = handoff_.outcome(ticket);
  // Unknown: more than the last 64 hand-offs have passed since; the card that
  // showed it is long gone, so "sending" is never wrongly upgraded.
  return outcome ? handoff_display(*outcome) : ui::HandoffDisplay::sending;
}

ui::HandoffDisplay handoff_display(const handoff::Outcome& outcome) {
  using Kind = handoff::Outcome::Kind;
  switch (outcome.kind) {
    case Kind::queued:
      return ui::HandoffDisplay::sending;
    case Kind::sent:
      return ui::HandoffDisplay::sent;
    // A channel that will not deliver means the receipt computer may not get it:
    // staff type it in rather than trust half a hand-off.
    case Kind::partial:
    case Kind::failed:
    case Kind::disabled:
      return ui::HandoffDisplay::failed;
  }
  return ui::HandoffDisplay::failed;
}

}  // namespace kakunin::kiosk
