// A QrTextSink that records what a scanner delivers, for the scanner tests.
#pragma once

#include <kakunin/drivers/frame_source.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kakunin::drivers::testing {

inline constexpr auto kPatience = std::chrono::seconds(10);

// For conditions no sink hears about (counters in stats()).
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

class RecordingTextSink : public QrTextSink {
 public:
  void qr_text(const ScannedText& scanned) override {
    std::lock_guard lock(mutex_);
    texts_.push_back(scanned.text);
    scans_.push_back(scanned);
    changed_.notify_all();
  }
  void status(const SourceStatus& status) override {
    std::lock_guard lock(mutex_);
    statuses_.push_back(status);
    changed_.notify_all();
  }

  bool wait_texts(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return texts_.size() >= count; });
  }
  // Waits for the n-th report of `state` (1-based).
  bool wait_state(SourceState state, int nth = 1) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] {
      int seen = 0;
      for (const auto& status : statuses_) seen += status.state == state ? 1 : 0;
      return seen >= nth;
    });
  }
  std::vector<std::string> texts() {
    std::lock_guard lock(mutex_);
    return texts_;
  }
  std::vector<ScannedText> scans() {
    std::lock_guard lock(mutex_);
    return scans_;
  }
  std::vector<SourceStatus> statuses() {
    std::lock_guard lock(mutex_);
    return statuses_;
  }
  // The reason of the n-th offline report (1-based), or "".
  std::string offline_reason(int nth = 1) {
    int seen = 0;
    for (const auto& status : statuses()) {
      if (status.state == SourceState::offline && ++seen == nth) return status.reason;
    }
    return {};
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> texts_;
  std::vector<ScannedText> scans_;
  std::vector<SourceStatus> statuses_;
};

}  // namespace kakunin::drivers::testing
