// kakunin run's health for the screen: the audit log's recording status and the
// hand-off's queue, read without I/O (both keep their figures in memory).
#pragma once

#include <kakunin/audit/audit_log.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/health_source.h>

namespace kakunin::kiosk {

class RunHealth final : public HealthSource {
 public:
  // `handoff` may be nullptr (hand-off off); both must outlive this.
  RunHealth(const audit::AuditLog& audit, const handoff::Handoff* handoff)
      : audit_(audit), handoff_(handoff) {}
  ui::HealthInfo health() const override;

 private:
  const audit::AuditLog& audit_;
  const handoff::Handoff* handoff_;
};

// The hand-off's part of `info` from its queue figures: what waits, the latest
// delivery on any channel, the first channel that does not answer, the first
// channel's last error.
void add_handoff_health(const handoff::QueueFigures& queue, ui::HealthInfo& info);

}  // namespace kakunin::kiosk
