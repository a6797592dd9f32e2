#include <kakunin/kiosk/stop_signal.h>

#include <csignal>

namespace kakunin::kiosk {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested = true; }

}  // namespace

const std::atomic<bool>& stop_on_signals() {
  stop_requested = false;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return stop_requested;
}

}  // namespace kakunin::kiosk
