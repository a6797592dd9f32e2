#include "run_metrics.h"

#include <algorithm>

namespace kakunin::kiosk {

MetricsSnapshot RunMetrics::snapshot() const {
  MetricsSnapshot s;
  s.now = clock_.wall_now();
  s.verdicts = counts_.counts();
  // The status page's view of the lists (the same TrustStatus the counter shows).
  const TrustStatus status = held_.status(s.now);
  if (status.trust_list)
    s.trust_list = ListFigures{status.trust_list->sequence, status.trust_list->issued_at};
  if (status.revocations)
    s.revocations = ListFigures{status.revocations->sequence, status.revocations->issued_at};
  // Verification needs both lists: it stops when the first one's grace runs out
  // (ListInfo::verification_stops, the status page's figure, kiosk::list_info).
  if (status.trust_list && status.revocations) {
    s.verification_stops_at =
        std::min(status.trust_list->verification_stops, status.revocations->verification_stops);
  }
  const sync::ClockReport clock = trust_.clock->report();
  s.clock_offset_seconds = clock.offset_seconds;
  s.clock = clock.state;
  s.scanner = capture_.is_scanner();
  s.capture = capture_.state();
  s.decode = capture_.decode_figures();
  if (handoff_) s.handoff_pending = handoff_->queue().pending;
  if (online_) s.online = online_->figures();
  return s;
}

}  // namespace kakunin::kiosk
