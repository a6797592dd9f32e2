// The kiosk's systemd watchdog, turned by the main loop: READY=1 on the first
// turn (the screen is open and the capture started), then WATCHDOG=1 every half
// WatchdogSec= while every watched stage is alive (base::Heartbeat: waiting for
// work counts, stuck inside a call past its limit does not). The pings come
// from the loop itself, so a loop that stops turning stops them too; a stage
// stuck past its limit stops them with a STATUS= that names it, and systemd
// restarts the kiosk (Restart=on-failure).
//
//   Watchdog watchdog(*notifier, clock);
//   watchdog.watch("decode", capture.decode_heartbeat(), 15s);
//   watchdog.watch("sync", syncer.heartbeat(), syncer.longest_step());
//   each turn:  watchdog.turn(service_status(model));   // STATUS= when the line changes
//   at the end: watchdog.stopping();                    // STOPPING=1
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/heartbeat.h>
#include <kakunin/base/log.h>
#include <kakunin/kiosk/service_notifier.h>
#include <kakunin/ui/screen_model.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::kiosk {

class Watchdog {
 public:
  // `notifier` and `clock` must outlive the watchdog; `log` gets a line when a
  // stage is found stuck and when it recovers.
  Watchdog(ServiceNotifier& notifier, const base::Clock& clock, base::Logger log = {});

  // `heartbeat` (it must outlive the watchdog) counts as stuck once one piece of
  // work has taken longer than `stuck_after`.
  void watch(std::string stage, const base::Heartbeat& heartbeat,
             std::chrono::milliseconds stuck_after);

  // One turn of the main loop, with the kiosk's one-line state.
  void turn(const std::string& state);
  void stopping();

  // The first stage found stuck, with its limit, for the status line and the
  // log; nullopt while all are alive.
  std::optional<std::string> stuck_stage() const;

 private:
  struct Watched {
    std::string stage;
    const base::Heartbeat* heartbeat;
    std::chrono::milliseconds stuck_after;
  };
  void say_status(const std::string& line);
  void log_change(const std::optional<std::string>& stuck);

  ServiceNotifier& notifier_;
  const base::Clock& clock_;
  base::Logger log_;
  std::optional<std::chrono::microseconds> ping_every_;  // nullopt: nothing watches
  std::vector<Watched> watched_;
  bool ready_ = false;
  base::SteadyTime last_ping_{};
  std::string last_status_;
  std::optional<std::string> last_stuck_;
};

// The kiosk's state for STATUS=: screen, capture, lists and clock, in English,
// never personal data ("screen idle; capture running; trust list 9; revocations 9;
// clock ok").
std::string service_status(const ui::ScreenModel& model);

}  // namespace kakunin::kiosk
