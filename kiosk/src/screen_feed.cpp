#include <kakunin/kiosk/screen_feed.h>

#include <kakunin/base/clock.h>

namespace kakunin::kiosk {

void LatestFrame::push(const frame::Frame& frame) {
  const drivers::SteadyTime at = frame.captured_at == drivers::SteadyTime{}
                                     ? base::system_clock().steady_now()
                                     : frame.captured_at;
  std::lock_guard lock(mutex_);
  newest_.put(frame);  // a copy: the source may reuse its buffer after push()
  state_ = frame::SourceState::running;
  reason_.clear();
  rate_.count(at);
}

void LatestFrame::status(const drivers::SourceStatus& status) {
  std::lock_guard lock(mutex_);
  state_ = status.state;
  reason_ = status.reason;
  if (state_ != frame::SourceState::running) rate_.clear();
}

std::string LatestFrame::capture_reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

bool LatestFrame::take(frame::Frame& out) {
  std::lock_guard lock(mutex_);
  return newest_.take(out);
}

frame::SourceState LatestFrame::camera_state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

double LatestFrame::fps() const {
  std::lock_guard lock(mutex_);
  return rate_.per_second();
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
