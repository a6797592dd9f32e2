// The kiosk's side of the hand-off: what the counter calls after a valid verdict
// staff send (or every valid one, when automatic). All threading lives in the
// handoff library (one delivery thread per channel, started by Handoff::start());
// hand_off() only makes the hand-off durable in the outbox on the kiosk's own disk
// and returns, so the screen never waits for a share or the receipt computer, and
// no personal data waits in memory. progress() reads the hand-off's own record of
// each channel: the valid card says "sent" only once every channel delivered.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/verdict_sink.h>

namespace kakunin::kiosk {

class OutboxHandoff final : public HandoffTarget {
 public:
  // `log` gets English lines with sequence numbers and outcomes only.
  OutboxHandoff(handoff::Handoff& handoff, base::Logger log);
  OutboxHandoff(const OutboxHandoff&) = delete;
  OutboxHandoff& operator=(const OutboxHandoff&) = delete;

  std::uint64_t hand_off(const CounterVerdict& verdict) override;
  ui::HandoffDisplay progress(std::uint64_t ticket) const override;

 private:
  handoff::Handoff& handoff_;
  base::Logger log_;
};

// What a hand-off's outcome means for staff at the counter.
ui::HandoffDisplay handoff_display(const handoff::Outcome& outcome);

}  // namespace kakunin::kiosk
