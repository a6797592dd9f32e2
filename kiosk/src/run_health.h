// kakunin run's health for the screen: the audit log's recording status, the
// hand-off's queue and the online check's counts, read without I/O (each keeps
// its figures in memory).
#pragma once

#include <kakunin/audit/audit_log.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/health_source.h>
#include <kakunin/online/online.h>

namespace kakunin::kiosk {

class RunHealth final : public HealthSource {
 public:
  // `handoff` and `online` may be nullptr (off); all must outlive this.
  RunHealth(const audit::AuditLog& audit, const handoff::Handoff* handoff,
            const online::OnlineCheck* online = nullptr)
      : audit_(audit), handoff_(handoff), online_(online) {}
  ui::HealthInfo health() const override;

 private:
  const audit::AuditLog& audit_;
  const handoff::Handoff* handoff_;
  const online::OnlineCheck* online_;
};

// The online check's part of `info` from its figures.
void add_online_health(const online::OnlineCheck::Figures& figures, ui::HealthInfo& info);

// The hand-off's part of `info` from its queue figures: what waits, the latest
// delivery on any channel, the first channel that does not answer, the first
// channel's last error.
void add_handoff_health(const handoff::QueueFigures& queue, ui::HealthInfo& info);

}  // namespace kakunin::kiosk
