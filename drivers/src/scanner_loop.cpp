#include "scanner_loop.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace kakunin::drivers {

using Clock = std::chrono::steady_clock;

std::string errno_text(int error) { return std::strerror(error); }

ScannerLoop::ScannerLoop(std::unique_ptr<ScannerDevice> device, ScannerTimings timings,
                         QrTextSink& sink)
    : device_(std::move(device)), timings_(timings), sink_(sink) {
  wake_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
}

ScannerLoop::~ScannerLoop() { stop(); }

void ScannerLoop::start() {
  if (started_) return;
  started_ = true;
  report(SourceState::starting, {});
  thread_ = std::thread([this] { run(); });
}

void ScannerLoop::stop() {
  if (!thread_.joinable()) return;
  const std::uint64_t one = 1;
  // The eventfd stays readable from now on, so every later poll() returns at once.
  [[maybe_unused]] const auto written = ::write(wake_fd_.get(), &one, sizeof one);
  thread_.join();
}

ScannerStats ScannerLoop::stats() const {
  std::lock_guard lock(mutex_);
  ScannerStats stats;
  stats.status = status_;
  stats.reopens = reopens_;
  device_->add_counters(stats);
  return stats;
}

void ScannerLoop::report(SourceState state, std::string reason) {
  SourceStatus status{state, std::move(reason)};
  {
    std::lock_guard lock(mutex_);
    if (status_.state == status.state && status_.reason == status.reason &&
        state != SourceState::starting) {
      return;
    }
    status_ = status;
  }
  sink_.status(status);
}

bool ScannerLoop::wait_unless_stopped(std::chrono::milliseconds delay) {
  pollfd wake{wake_fd_.get(), POLLIN, 0};
  for (;;) {
    const int ready = ::poll(&wake, 1, static_cast<int>(delay.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready == 0;
  }
}

void ScannerLoop::run() {
  if (!wake_fd_) {
    report(SourceState::offline, "cannot create an eventfd: " + errno_text(errno));
    return;
  }
  auto backoff = timings_.reopen_initial;
  bool first_attempt = true;
  for (;;) {
    if (!first_attempt) {
      std::lock_guard lock(mutex_);
      ++reopens_;
    }
    first_attempt = false;
    std::string reason;
    if (base::UniqueFd fd = device_->open(reason)) {
      backoff = timings_.reopen_initial;
      report(SourceState::running, {});
      reason = read_until_gone(fd.get());
      fd.reset();  // closed before the next open
      {
        std::lock_guard lock(mutex_);
        device_->discard_partial();
      }
      if (reason.empty()) return;  // stop()
    }
    report(SourceState::offline, reason);
    if (!wait_unless_stopped(backoff)) return;
    backoff = std::min(backoff * 2, timings_.reopen_max);
  }
}

std::string ScannerLoop::read_until_gone(int fd) {
  std::array<char, 4096> buffer{};
  std::vector<std::string> lines;
  Clock::time_point last_byte{};
  const std::string unplugged = device_->describe() + " unplugged";
  for (;;) {
    int timeout_ms = -1;  // nothing pending: wait for bytes or stop()
    bool partial = false;
    {
      std::lock_guard lock(mutex_);
      partial = device_->has_partial();
    }
    if (partial) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          last_byte + timings_.partial_line_timeout - Clock::now());
      timeout_ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    std::array<pollfd, 2> fds{pollfd{fd, POLLIN, 0}, pollfd{wake_fd_.get(), POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return "cannot wait for " + device_->describe() + ": " + errno_text(errno);
    }
    if (fds[1].revents != 0) return {};
    if (ready == 0) {
      std::lock_guard lock(mutex_);
      device_->discard_partial();
      continue;
    }
    if ((fds[0].revents & POLLNVAL) != 0) return unplugged + " (descriptor closed)";
    const auto count = ::read(fd, buffer.data(), buffer.size());
    if (count > 0) {
      last_byte = Clock::now();
      lines.clear();
      {
        std::lock_guard lock(mutex_);
        device_->parse({buffer.data(), static_cast<std::size_t>(count)}, lines);
      }
      for (auto& line : lines) sink_.qr_text(ScannedText{std::move(line), {}, 0, last_byte});
      continue;
    }
    if (count == 0) return unplugged + " (end of input)";
    const int error = errno;
    if (error == EAGAIN || error == EINTR) {
      if ((fds[0].revents & (POLLHUP | POLLERR)) != 0) return unplugged + " (hang-up)";
      continue;
    }
    return unplugged + " (" + errno_text(error) + ")";
  }
}

}  // namespace kakunin::drivers
