#include "japan_time.h"

#include <chrono>
#include <cstdio>

namespace kakunin::handoff {

JapanTime japan_time_at(crypto::UnixSeconds instant) {
  using namespace std::chrono;
  const sys_seconds japan_wall{seconds{instant + 9 * 3600}};
  const auto day = floor<days>(japan_wall);
  const year_month_day ymd{day};
  const hh_mm_ss time{japan_wall - day};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(time.hours().count()),
          static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count())};
}

std::string yyyymmddhhmmss(const JapanTime& t) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d%02d%02d%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return buffer;
}

std::string yyyymmdd(const crypto::CalendarDate& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", date.year, date.month, date.day);
  return buffer;
}

std::string iso_date(const crypto::CalendarDate& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::string iso8601_japan(crypto::UnixSeconds instant) {
  const JapanTime t = japan_time_at(instant);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", t.year, t.month,
                t.day, t.hour, t.minute, t.second);
  return buffer;
}

}  // namespace kakunin::handoff
