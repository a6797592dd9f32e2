// The kiosk's side of the hand-off: what the counter calls after a valid verdict.
// All threading lives in the handoff library now (one delivery thread per channel,
// started by Handoff::start()); submit() only makes the hand-off durable in the
// outbox on the kiosk's own disk and returns, so the screen never waits for a share
// or the receipt computer, and no personal data waits in memory.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/handoff/handoff.h>

#include <memory>
#include <string>

namespace kakunin::kiosk {

class HandoffWorker {
 public:
  // `log` gets English lines with sequence numbers and outcomes only.
  HandoffWorker(handoff::Handoff& handoff, base::Logger log);
  HandoffWorker(const HandoffWorker&) = delete;
  HandoffWorker& operator=(const HandoffWorker&) = delete;

  // Queues the hand-off; the outcome's sequence lets the screen follow it with
  // Handoff::outcome() (queued, then sent or failed per channel).
  handoff::Outcome submit(std::shared_ptr<const crypto::VerifiedPresentation> presentation,
                          crypto::UnixSeconds checked_at);

 private:
  handoff::Handoff& handoff_;
  base::Logger log_;
};

}  // namespace kakunin::kiosk
