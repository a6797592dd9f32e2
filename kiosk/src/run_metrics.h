// kakunin run's fleet metrics: the status page's facts (lists, clock, capture,
// hand-off queue) and the verdict counts, gathered on the metrics writer's thread.
// Every source read here is safe from any thread and does no I/O that can hang
// (the clock check's adjtimex(2) aside).
//
//   RunMetrics metrics(counts, *trust, held, kiosk.capture(), handoff.get(), online.get(), clock);
//   MetricsTextfile file(config.metrics, [&] { return metrics.snapshot(); }, log);
#pragma once

#include "trust_service.h"

#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/capture.h>
#include <kakunin/kiosk/metrics.h>

namespace kakunin::kiosk {

class RunMetrics {
 public:
  // `handoff` and `online` may be nullptr (off); all must outlive this.
  RunMetrics(const MetricsSink& counts, const TrustService& trust, const TrustSource& held,
             const Capture& capture, const handoff::Handoff* handoff,
             const online::OnlineCheck* online, const base::Clock& clock)
      : counts_(counts),
        trust_(trust),
        held_(held),
        capture_(capture),
        handoff_(handoff),
        online_(online),
        clock_(clock) {}
  MetricsSnapshot snapshot() const;

 private:
  const MetricsSink& counts_;
  const TrustService& trust_;
  const TrustSource& held_;
  const Capture& capture_;
  const handoff::Handoff* handoff_;
  const online::OnlineCheck* online_;
  const base::Clock& clock_;
};

}  // namespace kakunin::kiosk
