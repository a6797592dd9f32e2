// Japan time (UTC+9 all year, no daylight saving) and the ISO 8601 / RFC 3339
// forms the kiosk writes: one home for every date and time it formats.
//
//   base::CivilTime t = base::japan_time_at(now);  // {2026, 11, 20, 9, 0, 0}
//   base::iso8601_japan(now);          // "2026-11-20T09:00:00+09:00"  (records)
//   base::iso8601_utc(now);            // "2026-11-20T00:00:00Z"       (exports)
//   base::yyyymmddhhmmss(t);           // "20261120090000"             (file names)
//   base::hh_mm(t), base::hh_mm_ss(t); // "09:00", "09:00:00"          (screens)
//   base::iso_date(cert.birth_date);   // "1985-04-01"  (anything with year, month, day)
//   base::yyyymmdd(t.date());          // "20261120"
//   base::weekday(t.date());           // 0 = Sunday ... 6 = Saturday
//
// Parsing RFC 3339 and the QR's own dates belong to the crypto library
// (crypto::CalendarDate, parse_rfc3339), which checks untrusted input.
#pragma once

#include <kakunin/base/clock.h>

#include <concepts>
#include <string>

namespace kakunin::base {

inline constexpr int kJapanOffsetSeconds = 9 * 3600;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
  bool operator==(const CivilDate&) const = default;
};

struct CivilTime {
  int year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;  // 0-23
  int minute = 0;
  int second = 0;
  CivilDate date() const { return {year, month, day}; }
  bool operator==(const CivilTime&) const = default;
};

CivilTime japan_time_at(UnixSeconds instant);
CivilTime utc_time_at(UnixSeconds instant);

std::string iso8601_japan(UnixSeconds instant);     // 2026-11-20T09:00:00+09:00
std::string iso8601_utc(UnixSeconds instant);       // 2026-11-20T00:00:00Z
std::string yyyymmddhhmmss(const CivilTime& time);  // 20261120090000
std::string hh_mm(const CivilTime& time);           // 09:00
std::string hh_mm_ss(const CivilTime& time);        // 09:00:00

std::string iso_date(const CivilDate& date);  // 2026-11-20
std::string yyyymmdd(const CivilDate& date);  // 20261120
int weekday(const CivilDate& date);           // 0 = Sunday

// The same for another library's date type (crypto::CalendarDate) without base
// depending on it.
template <typename Date>
requires(!std::same_as<Date, CivilDate>) && requires(const Date& d) {
  { d.year } -> std::convertible_to<int>;
  { d.month } -> std::convertible_to<int>;
  { d.day } -> std::convertible_to<int>;
}
CivilDate civil_date(const Date& date) {
  return {static_cast<int>(date.year), static_cast<int>(date.month), static_cast<int>(date.day)};
}
template <typename Date>
std::string iso_date(const Date& date) requires requires {
  civil_date(date);
}
{ return iso_date(civil_date(date)); }
template <typename Date>
std::string yyyymmdd(const Date& date) requires requires {
  civil_date(date);
}
{ return yyyymmdd(civil_date(date)); }

}  // namespace kakunin::base
