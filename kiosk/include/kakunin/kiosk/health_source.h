// Whether verdicts are being recorded and hand-offs delivered, for the warnings
// and the status page. `kakunin run` reads its audit log and hand-off behind it;
// the counter asks once a second, on the main thread, so it must not wait.
//
//   RunHealth health(audit_log, handoff.get());
//   kiosk.set_health(health);
#pragma once

#include <kakunin/ui/screen_model.h>

namespace kakunin::kiosk {

class HealthSource {
 public:
  virtual ~HealthSource() = default;
  virtual ui::HealthInfo health() const = 0;
};

}  // namespace kakunin::kiosk
