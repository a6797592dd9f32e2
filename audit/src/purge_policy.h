// When the retention purge may remove rows, and which ones. The purge is the
// only thing that destroys audit rows, irreversibly, and the law wants them kept
// for 3 years (療担規則 9条), so it trusts the wall clock only as far as other
// evidence backs it. Why each rule: docs/audit.md "Retention and the daily purge".
#pragma once

#include <kakunin/audit/audit_log.h>
#include <kakunin/crypto/jhc1.h>

#include <chrono>
#include <optional>
#include <string>

namespace kakunin::audit::detail {

inline constexpr crypto::UnixSeconds kDay = crypto::UnixSeconds{24} * 3600;

// "2026-11-20": the UTC day of a Unix time, for purge messages.
std::string utc_day(crypto::UnixSeconds time);

// Rows written before this may be removed at `now`.
crypto::UnixSeconds purge_cutoff(crypto::UnixSeconds now, int retention_days);

// What the log itself says about the time: the newest row written before this
// process opened the log (or, for a new log, the clock when it was opened), and
// the steady time since then, which no clock step moves. A wall clock more than a
// day ahead of that has jumped, or the kiosk stood switched off for a while;
// either way the purge waits.
class TimeEvidence {
 public:
  TimeEvidence(crypto::UnixSeconds newest_row_or_opened_at,
               std::chrono::steady_clock::time_point opened)
      : anchor_(newest_row_or_opened_at), opened_(opened) {}

  // The latest wall time the evidence makes believable at steady time `steady_now`.
  crypto::UnixSeconds latest_believable(std::chrono::steady_clock::time_point steady_now) const;
  crypto::UnixSeconds anchor() const { return anchor_; }

 private:
  crypto::UnixSeconds anchor_;
  std::chrono::steady_clock::time_point opened_;
};

struct PurgeClock {
  crypto::UnixSeconds now = 0;                // the wall time the purge goes by
  std::optional<std::string> clock_problem;   // why the clock is not trusted; nullopt: it is
  crypto::UnixSeconds latest_believable = 0;  // TimeEvidence::latest_believable()
  crypto::UnixSeconds evidence_anchor = 0;    // TimeEvidence::anchor(), for the message
};

// Why no purge may run now (English, for the log), or nullopt when one may.
std::optional<std::string> purge_refusal(const PurgeClock& clock);

}  // namespace kakunin::audit::detail
