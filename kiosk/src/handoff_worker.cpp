#include "handoff_worker.h"

namespace kakunin::kiosk {

HandoffWorker::HandoffWorker(handoff::Handoff& handoff, base::Logger log)
    : handoff_(handoff), log_(log), thread_([this] { run(); }) {}

HandoffWorker::~HandoffWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void HandoffWorker::submit(std::shared_ptr<const crypto::VerifiedPresentation> presentation,
                           crypto::UnixSeconds checked_at) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back({std::move(presentation), checked_at});
  }
  wake_.notify_one();
}

void HandoffWorker::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, nothing left to hand over
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    const handoff::SendStatus status = handoff_.send(*job.presentation, job.checked_at);
    if (status.kind == handoff::SendStatus::Kind::failed ||
        status.kind == handoff::SendStatus::Kind::partial) {
      log_.warn("hand-off #" + std::to_string(status.sequence) + " did not reach every channel: " + status.detail);
    }
  }
}

}  // namespace kakunin::kiosk
