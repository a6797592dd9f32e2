#include <kakunin/drivers/frame_rate.h>

namespace kakunin::drivers {

void FrameRate::count(base::SteadyTime at) {
  arrivals_.push_back(at);
  while (arrivals_.size() > 2 && at - arrivals_.front() > window_) arrivals_.pop_front();
}

double FrameRate::per_second() const {
  if (arrivals_.size() < 2) return 0;
  const std::chrono::duration<double> span = arrivals_.back() - arrivals_.front();
  return span.count() > 0 ? static_cast<double>(arrivals_.size() - 1) / span.count() : 0;
}

double FrameRate::per_second(base::SteadyTime now) const {
  if (arrivals_.empty() || now - arrivals_.back() >= window_) return 0;
  return per_second();
}

}  // namespace kakunin::drivers
