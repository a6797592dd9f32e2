#include "civil_time.h"

#include <kakunin/base/japan_time.h>

namespace kakunin::crypto {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` ASCII digits at text[pos].
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool char_at(std::string_view text, std::size_t pos, char a, char b = 0) {
  return pos < text.size() && (text[pos] == a || (b != 0 && text[pos] == b));
}

}  // namespace

std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool is_real_date(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<CalendarDate> CalendarDate::from_yyyymmdd(std::int64_t value) {
  if (value < 0 || value > 99991231) return std::nullopt;
  const auto year = static_cast<int>(value / 10000);
  const auto month = static_cast<int>(value / 100 % 100);
  const auto day = static_cast<int>(value % 100);
  if (!is_real_date(year, month, day)) return std::nullopt;
  return CalendarDate{year, month, day};
}

CalendarDate CalendarDate::japan_date_at(UnixSeconds instant) {
  const base::CivilDate date = base::japan_time_at(instant).date();
  return {date.year, date.month, date.day};
}

std::optional<UnixSeconds> parse_rfc3339(std::string_view text) {
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (!char_at(text, 4, '-') || !char_at(text, 7, '-') || !char_at(text, 10, 'T', 't') ||
      !char_at(text, 13, ':') || !char_at(text, 16, ':')) {
    return std::nullopt;
  }
  if (!is_real_date(*year, *month, *day) || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;  // leap seconds are not accepted
  }
  std::size_t pos = 19;
  if (char_at(text, pos, '.')) {
    const std::size_t first = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == first) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (char_at(text, pos, 'Z', 'z')) {
    ++pos;
  } else if (char_at(text, pos, '+', '-')) {
    const auto oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
    if (!oh || !om || !char_at(text, pos + 3, ':') || *oh > 23 || *om > 59) return std::nullopt;
    offset = static_cast<std::int64_t>(*oh * 3600 + *om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return days_from_civil(*year, *month, *day) * 86400 + std::int64_t{*hour} * 3600 +
         std::int64_t{*minute} * 60 + *second - offset;
}

}  // namespace kakunin::crypto
