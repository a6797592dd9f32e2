#include <kakunin/drivers/frame_pacer.h>

#include <thread>

namespace kakunin::drivers {

FramePacer::FramePacer(double frames_per_second)
    : period_(frames_per_second > 0
                  ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(1.0 / frames_per_second))
                  : std::chrono::steady_clock::duration::zero()) {}

void FramePacer::wait_for_next() {
  const auto now = std::chrono::steady_clock::now();
  if (frames_++ == 0) first_ = now;
  if (period_ == std::chrono::steady_clock::duration::zero()) return;
  const auto due = first_ + period_ * static_cast<std::int64_t>(frames_ - 1);
  if (due > now) std::this_thread::sleep_until(due);
}

}  // namespace kakunin::drivers
