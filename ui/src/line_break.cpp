// Line breaking with ICU: its line-break rules (UAX #14, strict 禁則 for
// Japanese: never before 、。）」 or small kana, never after （「) and, from
// ICU 72, Japanese phrase boundaries (`lw=phrase`: breaks between 文節, not
// inside words such as 確認 or 表示された). Written by hand on top of ICU: the
// greedy fill against the caller's width function, and a short list of words
// ICU's dictionary still splits (it gives くだ|さい and 患者|さん).
#include <kakunin/ui/line_break.h>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace kakunin::ui {
namespace {

// Words that must never be broken across lines, although ICU 72's phrase
// dictionary has a boundary inside them. Every catalogue string is checked
// against this list by the screen tests (tests/ui/screens_test.cpp).
constexpr std::string_view kKeepTogether[] = {
    "ください",   "患者さん",   "保険証",         "マイナ保険証",       "資格確認書", "QRコード",
    "できません", "できました", "スマートフォン", "スクリーンショット", "管理者",     "レセコン",
};

// ICU's factory is thread-safe but not cheap (it loads the rules and the
// dictionary); one prototype, cloned per call, keeps break_lines() reentrant.
std::unique_ptr<icu::BreakIterator> line_breaker() {
  static std::once_flag once;
  static std::unique_ptr<icu::BreakIterator> prototype;
  std::call_once(once, [] {
    UErrorCode status = U_ZERO_ERROR;
    prototype.reset(
        icu::BreakIterator::createLineInstance(icu::Locale("ja_JP@lb=strict;lw=phrase"), status));
    if (U_FAILURE(status)) prototype.reset();
  });
  return prototype ? std::unique_ptr<icu::BreakIterator>(prototype->clone()) : nullptr;
}

std::string utf8_of(const icu::UnicodeString& text, std::int32_t from, std::int32_t to) {
  std::string out;
  text.tempSubStringBetween(from, to).toUTF8String(out);
  return out;
}

// Offsets (UTF-16) where `paragraph` may break, from ICU, without those inside
// a word that must stay whole; always ends with the paragraph's length.
std::vector<std::int32_t> break_points(const icu::UnicodeString& paragraph) {
  std::vector<std::int32_t> points;
  if (auto breaker = line_breaker()) {
    breaker->setText(paragraph);
    breaker->first();
    for (std::int32_t p = breaker->next(); p != icu::BreakIterator::DONE; p = breaker->next()) {
      points.push_back(p);
    }
  } else {
    // Without ICU's data (never on a Debian install): every character.
    for (std::int32_t p = 1; p <= paragraph.length(); ++p) points.push_back(p);
  }
  for (std::string_view word : kKeepTogether) {
    const icu::UnicodeString w = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<std::int32_t>(word.size())));
    for (std::int32_t at = paragraph.indexOf(w); at >= 0; at = paragraph.indexOf(w, at + 1)) {
      std::erase_if(points, [&](std::int32_t p) { return p > at && p < at + w.length(); });
    }
  }
  if (points.empty() || points.back() != paragraph.length()) points.push_back(paragraph.length());
  return points;
}

std::string trim_spaces(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::size_t start = 0;
  while (start < line.size() && line[start] == ' ') ++start;
  return line.substr(start);
}

void break_paragraph(const icu::UnicodeString& paragraph, int max_width, const TextWidth& width,
                     std::vector<std::string>& lines) {
  std::int32_t line_start = 0;
  std::int32_t last_fit = -1;  // the furthest break point that still fits on this line
  for (const std::int32_t point : break_points(paragraph)) {
    const std::string candidate = trim_spaces(utf8_of(paragraph, line_start, point));
    if (last_fit < 0 || width(candidate) <= max_width) {
      last_fit = point;  // the first segment of a line stays on it even when too wide
      continue;
    }
    lines.push_back(trim_spaces(utf8_of(paragraph, line_start, last_fit)));
    line_start = last_fit;
    last_fit = point;
  }
  lines.push_back(trim_spaces(utf8_of(paragraph, line_start, paragraph.length())));
}

}  // namespace

std::span<const std::string_view> unbreakable_words() { return kKeepTogether; }

std::vector<std::string> break_lines(std::string_view text, int max_width, const TextWidth& width) {
  // ICU turns ill-formed UTF-8 into U+FFFD, as the promise in line_break.h says.
  const icu::UnicodeString all = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  std::vector<std::string> lines;
  std::int32_t start = 0;
  for (;;) {
    const std::int32_t newline = all.indexOf(static_cast<char16_t>(u'\n'), start);
    const std::int32_t end = newline < 0 ? all.length() : newline;
    const icu::UnicodeString paragraph(all, start, end - start);
    if (paragraph.isEmpty()) {
      lines.emplace_back();
    } else {
      break_paragraph(paragraph, max_width, width, lines);
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

}  // namespace kakunin::ui
