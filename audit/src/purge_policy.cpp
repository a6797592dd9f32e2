#include "purge_policy.h"

#include <kakunin/base/japan_time.h>

namespace kakunin::audit::detail {

std::string utc_day(crypto::UnixSeconds time) {
  return base::iso_date(base::utc_time_at(time).date());
}

crypto::UnixSeconds purge_cutoff(crypto::UnixSeconds now, int retention_days) {
  return now - static_cast<crypto::UnixSeconds>(retention_days + kRetentionMarginDays) * kDay;
}

crypto::UnixSeconds TimeEvidence::latest_believable(
    std::chrono::steady_clock::time_point steady_now) const {
  const auto ran = std::chrono::duration_cast<std::chrono::seconds>(steady_now - opened_).count();
  return anchor_ + kDay + (ran > 0 ? ran : 0);
}

std::optional<std::string> purge_refusal(const PurgeClock& clock) {
  if (clock.clock_problem) {
    return "not purging while the clock cannot be trusted (" + *clock.clock_problem +
           "); every row is kept";
  }
  if (clock.now > clock.latest_believable) {
    const auto days = (clock.now - clock.evidence_anchor) / kDay;
    return "not purging: the clock says " + utc_day(clock.now) + ", " + std::to_string(days) +
           " days after the newest row written before the kiosk started (" +
           utc_day(clock.evidence_anchor) +
           "); a clock that jumped ahead would remove rows that must be kept. Every row is "
           "kept; the purge tries again after the next start of the kiosk";
  }
  return std::nullopt;
}

}  // namespace kakunin::audit::detail
