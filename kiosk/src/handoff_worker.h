// Hands verified certificates to the receipt computer off the main thread. The
// hand-off writes files (possibly to a folder the レセコン shares over the
// network, which can hang); the screen must never wait for that.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/handoff/handoff.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace kakunin::kiosk {

class HandoffWorker {
 public:
  // `log` gets English lines with sequence numbers and outcomes only.
  HandoffWorker(handoff::Handoff& handoff, base::Logger log);
  ~HandoffWorker();  // finishes what is queued, then stops
  HandoffWorker(const HandoffWorker&) = delete;
  HandoffWorker& operator=(const HandoffWorker&) = delete;

  void submit(std::shared_ptr<const crypto::VerifiedPresentation> presentation, crypto::UnixSeconds checked_at);

 private:
  struct Job {
    std::shared_ptr<const crypto::VerifiedPresentation> presentation;
    crypto::UnixSeconds checked_at = 0;
  };
  void run();

  handoff::Handoff& handoff_;
  base::Logger log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;   // protected by mutex_
  bool stopping_ = false;  // protected by mutex_
  std::thread thread_;
};

}  // namespace kakunin::kiosk
