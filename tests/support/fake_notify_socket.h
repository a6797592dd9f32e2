// A fake systemd notification socket for tests: an AF_UNIX datagram socket bound
// in the test process, named by NOTIFY_SOCKET (and WatchdogSec= as WATCHDOG_USEC)
// for as long as it lives, so kiosk::service_notifier() made meanwhile sends
// here. sd_notify's send is synchronous: what was sent is queued when it returns.
//
//   FakeNotifySocket systemd(std::chrono::seconds(30));
//   auto notifier = kiosk::service_notifier();
//   notifier->alive();
//   EXPECT_EQ(systemd.take(), std::vector<std::string>{"WATCHDOG=1"});
#pragma once

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kakunin::testing {

class FakeNotifySocket {
 public:
  explicit FakeNotifySocket(std::optional<std::chrono::microseconds> watchdog_timeout) {
    path_ = std::filesystem::temp_directory_path() /
            ("kakunin-notify-" + std::to_string(::getpid()) + "-" + std::to_string(++sockets_made));
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (fd_ < 0 || path_.string().size() >= sizeof(address.sun_path))
      throw std::runtime_error("notify socket");
    path_.string().copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
      throw std::runtime_error("bind notify socket");
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    ::unsetenv("WATCHDOG_PID");
    if (watchdog_timeout) {
      ::setenv("WATCHDOG_USEC", std::to_string(watchdog_timeout->count()).c_str(), 1);
    } else {
      ::unsetenv("WATCHDOG_USEC");
    }
  }
  ~FakeNotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  FakeNotifySocket(const FakeNotifySocket&) = delete;
  FakeNotifySocket& operator=(const FakeNotifySocket&) = delete;

  // Every datagram queued so far, oldest first, without waiting.
  std::vector<std::string> take() {
    std::vector<std::string> got;
    while (auto one = receive(MSG_DONTWAIT)) got.push_back(*one);
    return got;
  }
  // The next datagram, waiting at most `bound` (a bound for a failing test,
  // not a pace: a healthy sender is far faster); nullopt if none came.
  std::optional<std::string> next(std::chrono::seconds bound) {
    timeval tv{static_cast<time_t>(bound.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return receive(0);
  }

 private:
  std::optional<std::string> receive(int flags) {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), flags);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }

  static inline int sockets_made = 0;
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace kakunin::testing
