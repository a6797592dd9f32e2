// The words and dates staff read: 和暦 with 元年, ages, the co-payment hint, and a
// catalogue where no string is missing in either language.
#include <kakunin/ui/catalogue.h>

#include <gtest/gtest.h>

namespace kakunin::testing {
namespace {

using crypto::CalendarDate;
using ui::Language;

std::string ja(CalendarDate date) { return ui::format_date(date, Language::japanese); }

// What staff do next (issue 11's tiers): the patient can fix it, this QR cannot
// prove entitlement, or the kiosk cannot check now.
TEST(VerdictTier, GroupsEveryVerdictByWhatStaffDoNext) {
  using V = crypto::Verdict;
  using T = ui::VerdictTier;
  const std::pair<V, T> expected[] = {
      {V::valid, T::ok},
      {V::stale, T::retry},
      {V::clock_mismatch, T::retry},
      {V::credential_expired, T::retry},
      {V::malformed, T::retry},
      {V::not_jhc1, T::retry},
      {V::bad_signature, T::stop},
      {V::bad_holder_signature, T::stop},
      {V::unknown_key, T::stop},
      {V::wrong_insurer, T::stop},
      {V::key_out_of_period, T::stop},
      {V::revoked, T::stop},
      {V::certificate_expired, T::stop},
      {V::no_trust_list, T::terminal},
      {V::test_material, T::terminal},
  };
  static_assert(std::size(expected) == crypto::kVerdictCount);
  for (const auto& [verdict, tier] : expected)
    EXPECT_EQ(ui::verdict_tier(verdict), tier) << crypto::verdict_name(verdict);
  EXPECT_EQ(ui::verdict_tier_name(T::terminal), "terminal");
}

TEST(Wareki, EraBoundariesFallOnTheirFirstDays) {
  EXPECT_EQ(ja({2019, 5, 1}), "令和元年5月1日 (2019-05-01)");
  EXPECT_EQ(ja({2019, 4, 30}), "平成31年4月30日 (2019-04-30)");
  EXPECT_EQ(ja({1989, 1, 8}), "平成元年1月8日 (1989-01-08)");
  EXPECT_EQ(ja({1989, 1, 7}), "昭和64年1月7日 (1989-01-07)");
  EXPECT_EQ(ja({1926, 12, 25}), "昭和元年12月25日 (1926-12-25)");
  EXPECT_EQ(ja({1926, 12, 24}), "大正15年12月24日 (1926-12-24)");
  EXPECT_EQ(ja({1912, 7, 30}), "大正元年7月30日 (1912-07-30)");
  EXPECT_EQ(ja({1912, 7, 29}), "明治45年7月29日 (1912-07-29)");
}

TEST(Wareki, TypicalBirthDateReadsAsStaffWriteIt) {
  EXPECT_EQ(ja({1985, 4, 1}), "昭和60年4月1日 (1985-04-01)");
  EXPECT_EQ(ja({2030, 12, 1}), "令和12年12月1日 (2030-12-01)");
}

TEST(Wareki, EnglishShowsTheWesternDateFirst) {
  EXPECT_EQ(ui::format_date({1985, 4, 1}, Language::english), "1985-04-01 (Showa 60)");
  EXPECT_EQ(ui::format_date({2019, 5, 1}, Language::english), "2019-05-01 (Reiwa 1)");
}

TEST(Age, CountsOnTheBirthdayItself) {
  EXPECT_EQ(ui::age_on({1985, 4, 1}, {2026, 3, 31}), 40);
  EXPECT_EQ(ui::age_on({1985, 4, 1}, {2026, 4, 1}), 41);
  EXPECT_EQ(ui::age_on({2000, 2, 29}, {2021, 2, 28}), 21) << "29 February in a common year";
  EXPECT_EQ(ui::age_on({2000, 2, 29}, {2021, 2, 27}), 20);
}

std::optional<std::string> hint(CalendarDate birth, CalendarDate today, std::optional<int> ratio) {
  return ui::ratio_hint(birth, today, ratio, Language::japanese);
}

TEST(RatioHint, PreschoolChildrenUsuallyPayTwoTenths) {
  EXPECT_FALSE(hint({2022, 6, 1}, {2026, 11, 25}, 2));
  const auto h = hint({2022, 6, 1}, {2026, 11, 25}, 3);
  ASSERT_TRUE(h);
  EXPECT_NE(h->find("2割"), std::string::npos) << *h;
}

TEST(RatioHint, SchoolStartsTheAprilAfterTheSixthBirthdayEve) {
  // Born 1 April: school (3割) from 1 April of the year they turn six.
  EXPECT_FALSE(hint({2019, 4, 1}, {2025, 4, 1}, 3));
  EXPECT_TRUE(hint({2019, 4, 1}, {2025, 3, 31}, 3));
  // Born 2 April: one year later.
  EXPECT_TRUE(hint({2019, 4, 2}, {2025, 4, 1}, 3));
  EXPECT_FALSE(hint({2019, 4, 2}, {2026, 4, 1}, 3));
}

TEST(RatioHint, WorkingAgeUsuallyPaysThreeTenths) {
  EXPECT_FALSE(hint({1985, 4, 1}, {2026, 11, 25}, 3));
  EXPECT_TRUE(hint({1985, 4, 1}, {2026, 11, 25}, 1));
  EXPECT_TRUE(hint({1985, 4, 1}, {2026, 11, 25}, 2));
}

TEST(RatioHint, SeventyStartsTheMonthAfterTheBirthday) {
  // Born 15 June 1956: 70 on 2026-06-15, 2割 from 1 July.
  EXPECT_TRUE(hint({1956, 6, 15}, {2026, 6, 30}, 2));
  EXPECT_FALSE(hint({1956, 6, 15}, {2026, 7, 1}, 2));
  // Born on the 1st: from the birthday itself.
  EXPECT_FALSE(hint({1956, 6, 1}, {2026, 6, 1}, 2));
}

TEST(RatioHint, SeventyToSeventyFourPayTwoOrThreeTenths) {
  EXPECT_FALSE(hint({1954, 6, 15}, {2026, 11, 25}, 3));
  const auto h = hint({1954, 6, 15}, {2026, 11, 25}, 1);
  ASSERT_TRUE(h);
  EXPECT_NE(h->find("2割か3割"), std::string::npos) << *h;
}

TEST(RatioHint, LateElderlyAndAbsentRatiosNeverHint) {
  for (int ratio : {1, 2, 3}) EXPECT_FALSE(hint({1948, 1, 1}, {2026, 11, 25}, ratio));
  EXPECT_FALSE(hint({1985, 4, 1}, {2026, 11, 25}, std::nullopt));
}

TEST(RatioHint, IsAHintNeverARefusal) {
  const auto h = hint({1985, 4, 1}, {2026, 11, 25}, 1);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("参考", 0), 0u) << *h;
  const auto en = ui::ratio_hint({1985, 4, 1}, {2026, 11, 25}, 1, Language::english);
  ASSERT_TRUE(en);
  EXPECT_EQ(en->rfind("Note", 0), 0u) << *en;
}

TEST(Catalogue, EveryTextHasJapaneseAndEnglish) {
  for (int i = 0; i <= static_cast<int>(ui::Text::countdown_ceiling); ++i) {
    const auto id = static_cast<ui::Text>(i);
    EXPECT_FALSE(ui::text(id, Language::japanese).empty()) << i;
    EXPECT_FALSE(ui::text(id, Language::english).empty()) << i;
    EXPECT_NE(ui::text(id, Language::japanese), ui::text(id, Language::english)) << i;
  }
}

TEST(Catalogue, EveryVerdictHasALabelAndAMessage) {
  for (int i = 0; i < crypto::kVerdictCount; ++i) {
    const auto verdict = static_cast<crypto::Verdict>(i);
    for (Language language : {Language::japanese, Language::english}) {
      EXPECT_FALSE(ui::verdict_label(verdict, language).empty()) << i;
      EXPECT_FALSE(ui::verdict_message(verdict, language).empty()) << i;
    }
  }
}

TEST(Catalogue, TestModeBannerSaysItCannotBeUsedForRealPatients) {
  EXPECT_EQ(ui::text(ui::Text::warning_test_mode, Language::japanese),
            "テストモード — 実際の受付には使えません");
  EXPECT_EQ(ui::text(ui::Text::camera_offline_title, Language::japanese),
            "カメラが接続されていません");
  EXPECT_EQ(ui::text(ui::Text::idle_instruction, Language::japanese),
            "資格確認書のQRコードをカメラにかざしてください");
}

TEST(Catalogue, FillReplacesPlaceholdersInOrder) {
  EXPECT_EQ(ui::fill("{}割", {"3"}), "3割");
  EXPECT_EQ(ui::fill("a {} b {} c", {"1", "2"}), "a 1 b 2 c");
  EXPECT_EQ(ui::fill("{} {}", {"only"}), "only {}") << "missing arguments leave the mark";
}

TEST(ClockText, ShowsJapanTime) {
  EXPECT_EQ(ui::format_clock(1795570925, true), "10:42:05");  // 01:42:05 UTC
  EXPECT_EQ(ui::format_clock(1795570925, false), "10:42");
  EXPECT_EQ(ui::format_duration(3L * 86400, Language::japanese), "3日");
  EXPECT_EQ(ui::format_duration(7L * 86400, Language::english), "7 days");
  EXPECT_EQ(ui::format_duration(47L * 3600, Language::japanese), "47時間");
  EXPECT_EQ(ui::format_duration(125, Language::japanese), "2分");
  EXPECT_EQ(ui::format_duration(3, Language::english), "3 s");
}

}  // namespace
}  // namespace kakunin::testing
