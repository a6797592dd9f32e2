// The one ServiceNotifier over libsystemd (sd-daemon(3)): the datagrams go to
// $NOTIFY_SOCKET, and WatchdogSec= arrives as $WATCHDOG_USEC.
#include <kakunin/kiosk/service_notifier.h>

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstdlib>

namespace kakunin::kiosk {
namespace {

class SystemdNotifier final : public ServiceNotifier {
 public:
  void ready(const std::string& status) override { send("READY=1\nSTATUS=" + status); }
  void alive() override { send("WATCHDOG=1"); }
  void status(const std::string& status) override { send("STATUS=" + status); }
  void stopping(const std::string& status) override { send("STOPPING=1\nSTATUS=" + status); }
  std::optional<std::chrono::microseconds> watchdog_timeout() const override {
    std::uint64_t usec = 0;
    // 0 keeps the environment: a second notifier (a test) reads the same.
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::microseconds(usec);
  }

 private:
  // A datagram the manager did not take is not worth a log line a second: a
  // lost WATCHDOG=1 is made good by the next, a lost STATUS= by the next change.
  static void send(const std::string& state) { (void)sd_notify(0, state.c_str()); }
};

class NoNotifier final : public ServiceNotifier {
 public:
  void ready(const std::string&) override {}
  void alive() override {}
  void status(const std::string&) override {}
  void stopping(const std::string&) override {}
  std::optional<std::chrono::microseconds> watchdog_timeout() const override {
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<ServiceNotifier> service_notifier() {
  if (const char* socket = std::getenv("NOTIFY_SOCKET"); socket && *socket)
    return std::make_unique<SystemdNotifier>();
  return std::make_unique<NoNotifier>();
}

}  // namespace kakunin::kiosk
