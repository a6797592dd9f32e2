#include "handoff_worker.h"

namespace kakunin::kiosk {

HandoffWorker::HandoffWorker(handoff::Handoff& handoff, std::function<void(const std::string&)> log)
    : handoff_(handoff), log_(std::move(log)) {}

handoff::Outcome HandoffWorker::submit(std::shared_ptr<const crypto::VerifiedPresentation> presentation,
                                       crypto::UnixSeconds checked_at) {
  handoff::Outcome outcome = handoff_.send(*presentation, checked_at);
  if (log_ && (outcome.kind == handoff::Outcome::Kind::failed || outcome.kind == handoff::Outcome::Kind::partial)) {
    log_("hand-off #" + std::to_string(outcome.sequence) + " will not reach every channel" +
         (outcome.detail.empty() ? "" : ": " + outcome.detail));
  }
  return outcome;
}

}  // namespace kakunin::kiosk
