// Japan time is UTC+9 all year; every format the kiosk writes, from one place.
#include <kakunin/base/japan_time.h>

#include <gtest/gtest.h>

namespace kakunin::testing {
namespace {

constexpr base::UnixSeconds kMidnightUtc = 1795132800;  // 2026-11-20 00:00:00 UTC

TEST(JapanTime, IsNineHoursAheadOfUtcAllYear) {
  EXPECT_EQ(base::japan_time_at(kMidnightUtc), (base::CivilTime{2026, 11, 20, 9, 0, 0}));
  EXPECT_EQ(base::utc_time_at(kMidnightUtc), (base::CivilTime{2026, 11, 20, 0, 0, 0}));
  // Midsummer too: Japan has no daylight saving time.
  EXPECT_EQ(base::japan_time_at(1782000000), (base::CivilTime{2026, 6, 21, 9, 0, 0}));
}

TEST(JapanTime, TheJapaneseDayStartsAtFifteenHundredUtc) {
  const base::UnixSeconds last_second = kMidnightUtc + 15L * 3600 - 1;  // 2026-11-20 23:59:59 JST
  EXPECT_EQ(base::japan_time_at(last_second).date(), (base::CivilDate{2026, 11, 20}));
  EXPECT_EQ(base::japan_time_at(last_second + 1).date(), (base::CivilDate{2026, 11, 21}));
}

TEST(JapanTime, WorksBeforeTheEpoch) {
  EXPECT_EQ(base::japan_time_at(-9 * 3600 - 1), (base::CivilTime{1969, 12, 31, 23, 59, 59}));
}

TEST(JapanTime, FormatsRfc3339InJapanAndUtc) {
  EXPECT_EQ(base::iso8601_japan(kMidnightUtc + 61), "2026-11-20T09:01:01+09:00");
  EXPECT_EQ(base::iso8601_utc(kMidnightUtc + 61), "2026-11-20T00:01:01Z");
}

TEST(JapanTime, FormatsFileNameStampsClocksAndDates) {
  const base::CivilTime t = base::japan_time_at(kMidnightUtc + 3L * 3600 + 4L * 60 + 5);
  EXPECT_EQ(base::yyyymmddhhmmss(t), "20261120120405");
  EXPECT_EQ(base::hh_mm(t), "12:04");
  EXPECT_EQ(base::hh_mm_ss(t), "12:04:05");
  EXPECT_EQ(base::iso_date(base::CivilDate{1985, 4, 1}), "1985-04-01");
  EXPECT_EQ(base::yyyymmdd(base::CivilDate{1985, 4, 1}), "19850401");
}

// Another library's date type (crypto::CalendarDate) formats the same, as long as
// it has year, month and day.
struct SomeonesDate {
  int year;
  int month;
  int day;
};

TEST(JapanTime, FormatsAnyYearMonthDayType) {
  EXPECT_EQ(base::iso_date(SomeonesDate{2030, 12, 1}), "2030-12-01");
  EXPECT_EQ(base::yyyymmdd(SomeonesDate{2030, 12, 1}), "20301201");
}

TEST(JapanTime, TellsTheWeekday) {
  EXPECT_EQ(base::weekday({1970, 1, 1}), 4);    // a Thursday
  EXPECT_EQ(base::weekday({2026, 11, 22}), 0);  // a Sunday
  EXPECT_EQ(base::weekday({2026, 11, 21}), 6);
}

}  // namespace
}  // namespace kakunin::testing
