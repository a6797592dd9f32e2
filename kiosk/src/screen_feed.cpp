#include <kakunin/kiosk/screen_feed.h>

#include <kakunin/base/clock.h>

namespace kakunin::kiosk {

void LatestFrame::push(const frame::Frame& frame) {
  const drivers::SteadyTime at = frame.captured_at == drivers::SteadyTime{}
                                     ? base::system_clock().steady_now()
                                     : frame.captured_at;
  std::lock_guard lock(mutex_);
  newest_ = frame;  // copy: the source may reuse its buffer after push()
  fresh_ = true;
  state_ = frame::SourceState::running;
  reason_.clear();
  arrivals_.push_back(at);
  while (!arrivals_.empty() && at - arrivals_.front() > std::chrono::seconds(1)) {
    arrivals_.pop_front();
  }
}

void LatestFrame::status(const drivers::SourceStatus& status) {
  std::lock_guard lock(mutex_);
  state_ = status.state;
  reason_ = status.reason;
  if (state_ != frame::SourceState::running) arrivals_.clear();
}

std::string LatestFrame::capture_reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

bool LatestFrame::take(frame::Frame& out) {
  std::lock_guard lock(mutex_);
  if (!fresh_) return false;
  std::swap(out, newest_);
  fresh_ = false;
  return true;
}

frame::SourceState LatestFrame::camera_state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

double LatestFrame::fps() const {
  std::lock_guard lock(mutex_);
  if (arrivals_.size() < 2) return 0;
  const double span =
      std::chrono::duration<double>(arrivals_.back() - arrivals_.front()).count();
  return span > 0 ? static_cast<double>(arrivals_.size() - 1) / span : 0;
}

void ScannedTexts::qr_text(const drivers::ScannedText& scanned) {
  std::lock_guard lock(mutex_);
  if (queue_.size() == kCapacity) queue_.pop_front();
  queue_.push_back(scanned);
}

void ScannedTexts::status(const drivers::SourceStatus& status) {
  std::lock_guard lock(mutex_);
  state_ = status.state;
  reason_ = status.reason;
}

std::string ScannedTexts::capture_reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

std::vector<drivers::ScannedText> ScannedTexts::take() {
  std::lock_guard lock(mutex_);
  std::vector<drivers::ScannedText> out(std::make_move_iterator(queue_.begin()),
                                        std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

frame::SourceState ScannedTexts::scanner_state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace kakunin::kiosk
