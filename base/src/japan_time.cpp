#include <kakunin/base/japan_time.h>

#include <chrono>
#include <cstdio>

namespace kakunin::base {
namespace {

CivilTime civil_time_at(UnixSeconds instant, int offset_seconds) {
  using namespace std::chrono;
  const sys_seconds wall{seconds{instant + offset_seconds}};
  const auto day = floor<days>(wall);
  const year_month_day ymd{day};
  const std::chrono::hh_mm_ss time{wall - day};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(time.hours().count()),
          static_cast<int>(time.minutes().count()),
          static_cast<int>(time.seconds().count())};
}

std::string iso8601(const CivilTime& t, const char* zone) {
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%s", t.year, t.month, t.day,
                t.hour, t.minute, t.second, zone);
  return text;
}

}  // namespace

CivilTime japan_time_at(UnixSeconds instant) { return civil_time_at(instant, kJapanOffsetSeconds); }
CivilTime utc_time_at(UnixSeconds instant) { return civil_time_at(instant, 0); }

std::string iso8601_japan(UnixSeconds instant) { return iso8601(japan_time_at(instant), "+09:00"); }
std::string iso8601_utc(UnixSeconds instant) { return iso8601(utc_time_at(instant), "Z"); }

std::string yyyymmddhhmmss(const CivilTime& t) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return text;
}

std::string hh_mm(const CivilTime& t) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", t.hour, t.minute);
  return text;
}

std::string hh_mm_ss(const CivilTime& t) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d:%02d", t.hour, t.minute, t.second);
  return text;
}

std::string iso_date(const CivilDate& d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
  return text;
}

std::string yyyymmdd(const CivilDate& d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02d%02d", d.year, d.month, d.day);
  return text;
}

int weekday(const CivilDate& d) {
  using namespace std::chrono;
  const sys_days day{year{d.year} / month{static_cast<unsigned>(d.month)} / d.day};
  return static_cast<int>(std::chrono::weekday{day}.c_encoding());
}

}  // namespace kakunin::base
