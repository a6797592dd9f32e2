// 和暦 dates, ages and the co-payment hint (domain.md). Written by hand: no Debian
// library converts to Japanese eras (ICU's japanese calendar would, at the cost of
// a large dependency for five rows of a table).
#include <kakunin/ui/catalogue.h>

#include <kakunin/base/japan_time.h>

#include <array>
#include <cstdio>

namespace kakunin::ui {
namespace {

using crypto::CalendarDate;

struct Era {
  CalendarDate first_day;
  std::string_view japanese;
  std::string_view english;
};

// Newest first. 明治 covers everything before 大正 (domain.md).
constexpr std::array<Era, 5> kEras{{
    {{2019, 5, 1}, "令和", "Reiwa"},
    {{1989, 1, 8}, "平成", "Heisei"},
    {{1926, 12, 25}, "昭和", "Showa"},
    {{1912, 7, 30}, "大正", "Taisho"},
    {{1868, 1, 1}, "明治", "Meiji"},
}};

CalendarDate add_years(CalendarDate date, int years) {
  date.year += years;
  if (date.month == 2 && date.day == 29 && !CalendarDate::from_yyyymmdd(date.yyyymmdd())) {
    date.day = 28;  // a 29 February birthday counts on the 28th in common years
  }
  return date;
}

CalendarDate day_before(CalendarDate date) {
  if (date.day > 1) {
    --date.day;
    return date;
  }
  if (date.month == 1) return {date.year - 1, 12, 31};
  --date.month;
  for (int day = 31; day >= 28; --day) {
    date.day = day;
    if (CalendarDate::from_yyyymmdd(date.yyyymmdd())) break;
  }
  return date;
}

// School starts on the first 1 April after the day before the sixth birthday
// (学校教育法 17条 with 年齢計算ニ関スル法律): children born on 1 April start early.
CalendarDate school_start(const CalendarDate& birth) {
  const CalendarDate eve = day_before(add_years(birth, 6));
  CalendarDate april{eve.year, 4, 1};
  if (!(april > eve)) april.year += 1;
  return april;
}

// 高齢受給者: from the first of the month after the 70th birthday, or the
// birthday itself when it is the first of a month.
CalendarDate elderly_start(const CalendarDate& birth) {
  CalendarDate seventieth = add_years(birth, 70);
  if (seventieth.day == 1) return seventieth;
  if (seventieth.month == 12) return {seventieth.year + 1, 1, 1};
  return {seventieth.year, seventieth.month + 1, 1};
}

}  // namespace

EraYear era_year(const CalendarDate& date, Language language) {
  for (const Era& era : kEras) {
    if (date >= era.first_day || &era == &kEras.back()) {
      return {language == Language::japanese ? era.japanese : era.english,
              date.year - era.first_day.year + 1};
    }
  }
  return {};
}

std::string format_date(const CalendarDate& date, Language language) {
  const EraYear era = era_year(date, language);
  if (language == Language::english) {
    return base::iso_date(date) + " (" + std::string(era.era) + " " + std::to_string(era.year) +
           ")";
  }
  const std::string year = era.year == 1 ? "元" : std::to_string(era.year);
  return std::string(era.era) + year + "年" + std::to_string(date.month) + "月" +
         std::to_string(date.day) + "日 (" + base::iso_date(date) + ")";
}

int age_on(const CalendarDate& birth, const CalendarDate& today) {
  int age = today.year - birth.year;
  if (today < add_years(birth, age)) --age;
  return age < 0 ? 0 : age;
}

std::optional<std::string> ratio_hint(const CalendarDate& birth, const CalendarDate& today,
                                      std::optional<int> ratio_tenths, Language language) {
  if (!ratio_tenths) return std::nullopt;  // omitted when a 高齢受給者証 exists
  const int ratio = *ratio_tenths;
  const auto tenths = [&](int n) {
    return fill(text(Text::ratio_tenths, language), {std::to_string(n)});
  };
  const std::string_view either = language == Language::japanese ? "か" : " or ";
  std::string usual;
  if (today < school_start(birth)) {
    if (ratio == 2) return std::nullopt;
    usual = tenths(2);
  } else if (today < elderly_start(birth)) {
    if (ratio == 3) return std::nullopt;
    usual = tenths(3);
  } else if (age_on(birth, today) < 75) {
    if (ratio == 2 || ratio == 3) return std::nullopt;
    usual = tenths(2) + std::string(either) + tenths(3);
  } else {
    return std::nullopt;  // 後期高齢者: 1, 2 or 3割 all occur
  }
  return fill(text(Text::ratio_hint, language), {usual});
}

std::string format_clock(crypto::UnixSeconds instant, bool with_seconds) {
  const base::CivilTime time = base::japan_time_at(instant);
  return with_seconds ? base::hh_mm_ss(time) : base::hh_mm(time);
}

std::string format_duration(std::int64_t seconds, Language language) {
  if (seconds < 0) seconds = 0;
  constexpr std::int64_t kDay = 86400;
  if (seconds >= 2 * kDay)
    return fill(text(Text::days, language), {std::to_string(seconds / kDay)});
  if (seconds >= 3600) return fill(text(Text::hours, language), {std::to_string(seconds / 3600)});
  if (seconds >= 60) return fill(text(Text::minutes, language), {std::to_string(seconds / 60)});
  return fill(text(Text::seconds, language), {std::to_string(seconds)});
}

}  // namespace kakunin::ui
