#include "handoff_worker.h"

namespace kakunin::kiosk {

HandoffWorker::HandoffWorker(handoff::Handoff& handoff, base::Logger log) : handoff_(handoff), log_(log) {}

handoff::Outcome HandoffWorker::submit(std::shared_ptr<const crypto::VerifiedPresentation> presentation,
                                       crypto::UnixSeconds checked_at) {
  handoff::Outcome outcome = handoff_.send(*presentation, checked_at);
  if (outcome.kind == handoff::Outcome::Kind::failed || outcome.kind == handoff::Outcome::Kind::partial) {
    log_.warn("hand-off #" + std::to_string(outcome.sequence) + " will not reach every channel" +
         (outcome.detail.empty() ? "" : ": " + outcome.detail));
  }
  return outcome;
}

}  // namespace kakunin::kiosk
