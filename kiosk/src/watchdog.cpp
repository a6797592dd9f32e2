#include <kakunin/kiosk/watchdog.h>

namespace kakunin::kiosk {

Watchdog::Watchdog(ServiceNotifier& notifier, const base::Clock& clock, base::Logger log)
    : notifier_(notifier), clock_(clock), log_(std::move(log)) {
  // sd_watchdog_enabled(3): ping at half the timeout, so one late turn is not fatal.
  if (const auto timeout = notifier_.watchdog_timeout()) ping_every_ = *timeout / 2;
}

void Watchdog::watch(std::string stage, const base::Heartbeat& heartbeat,
                     std::chrono::milliseconds stuck_after) {
  watched_.push_back({std::move(stage), &heartbeat, stuck_after});
}

void Watchdog::turn(const std::string& state) {
  const base::SteadyTime now = clock_.steady_now();
  const std::optional<std::string> stuck = stuck_stage();
  log_change(stuck);
  const std::string line = stuck ? "stalled: " + *stuck + "; watchdog pings stopped" : state;
  if (!ready_) {
    ready_ = true;
    last_ping_ = now;
    last_status_ = line;
    notifier_.ready(line);
    return;
  }
  say_status(line);
  if (stuck || !ping_every_ || now - last_ping_ < *ping_every_) return;
  last_ping_ = now;
  notifier_.alive();
}

void Watchdog::stopping() {
  last_status_ = "stopping";
  notifier_.stopping(last_status_);
}

std::optional<std::string> Watchdog::stuck_stage() const {
  for (const Watched& w : watched_) {
    if (!w.heartbeat->alive(w.stuck_after)) {
      return w.stage + " busy for over " +
             std::to_string(
                 std::chrono::duration_cast<std::chrono::seconds>(w.stuck_after).count()) +
             " s";
    }
  }
  return std::nullopt;
}

void Watchdog::say_status(const std::string& line) {
  if (line == last_status_) return;
  last_status_ = line;
  notifier_.status(line);
}

void Watchdog::log_change(const std::optional<std::string>& stuck) {
  if (stuck == last_stuck_) return;
  if (stuck) {
    log_.error("watchdog: " + *stuck + "; no more pings, systemd will restart the kiosk");
  } else {
    log_.info("watchdog: recovered (was " + *last_stuck_ + "); pings resumed");
  }
  last_stuck_ = stuck;
}

std::string service_status(const ui::ScreenModel& model) {
  auto list = [](const char* name, const std::optional<ui::ListInfo>& info) {
    return std::string(name) + (info ? " " + std::to_string(info->sequence) : " none");
  };
  return "screen " + std::string(ui::screen_name(model.screen)) + "; capture " +
         std::string(frame::source_state_name(model.camera)) + "; " +
         list("trust list", model.status.trust_list) + "; " +
         list("revocations", model.status.revocations) + "; clock " +
         std::string(base::clock_state_name(model.status.clock));
}

}  // namespace kakunin::kiosk
