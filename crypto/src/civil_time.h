// Calendar arithmetic (proleptic Gregorian, H. Hinnant's days_from_civil) and
// RFC 3339 timestamps. Japan time is UTC+9 all year (no DST).
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string_view>

namespace kakunin::crypto {

inline constexpr std::int64_t kJapanOffsetSeconds = std::int64_t{9} * 3600;

std::int64_t days_from_civil(int year, int month, int day);
CalendarDate civil_from_days(std::int64_t days);
bool is_real_date(int year, int month, int day);

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; fractions are dropped (floor).
std::optional<UnixSeconds> parse_rfc3339(std::string_view text);

}  // namespace kakunin::crypto
