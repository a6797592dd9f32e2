// Reading dates and RFC 3339 timestamps from untrusted input (proleptic
// Gregorian, H. Hinnant's days_from_civil). Japan time and every written form of
// a date live in base/japan_time.h.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string_view>

namespace kakunin::crypto {

std::int64_t days_from_civil(int year, int month, int day);
bool is_real_date(int year, int month, int day);

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; fractions are dropped (floor).
std::optional<UnixSeconds> parse_rfc3339(std::string_view text);

}  // namespace kakunin::crypto
