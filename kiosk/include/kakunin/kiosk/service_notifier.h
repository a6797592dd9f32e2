// What `kakunin run` tells the service manager: ready, still alive, a one-line
// status, stopping. One seam, so the loop and the watchdog (watchdog.h) never
// know systemd; service_notifier() gives the one implementation over libsystemd's
// sd_notify, or a no-op when the kiosk was not started by systemd
// (NOTIFY_SOCKET unset: a terminal, a test, the demo).
//
//   auto notifier = kiosk::service_notifier();
//   notifier->ready("screen idle; capture running");   // READY=1 + STATUS=
//   notifier->alive();                                  // WATCHDOG=1
//   notifier->stopping("stopping");                     // STOPPING=1 + STATUS=
//
// Status lines are English and carry no personal data: systemctl status shows them.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kakunin::kiosk {

class ServiceNotifier {
 public:
  virtual ~ServiceNotifier() = default;
  virtual void ready(const std::string& status) = 0;
  virtual void alive() = 0;
  virtual void status(const std::string& status) = 0;
  virtual void stopping(const std::string& status) = 0;
  // The WatchdogSec= the manager kills the service after without a ping;
  // nullopt when nothing watches (no WatchdogSec=, or no service manager).
  virtual std::optional<std::chrono::microseconds> watchdog_timeout() const = 0;
};

// sd_notify when NOTIFY_SOCKET is set (read now: set it before calling), else a
// notifier that sends nothing.
std::unique_ptr<ServiceNotifier> service_notifier();

}  // namespace kakunin::kiosk
