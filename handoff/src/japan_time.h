// Wall-clock time in Japan (UTC+9 all year, no DST) for file names and records.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <string>

namespace kakunin::handoff {

struct JapanTime {
  int year, month, day, hour, minute, second;
};

JapanTime japan_time_at(crypto::UnixSeconds instant);
std::string yyyymmddhhmmss(const JapanTime& t);          // 20261120090000
std::string yyyymmdd(const crypto::CalendarDate& date);  // 20261120
std::string iso_date(const crypto::CalendarDate& date);  // 2026-11-20
std::string iso8601_japan(crypto::UnixSeconds instant);  // 2026-11-20T09:00:00+09:00

}  // namespace kakunin::handoff
