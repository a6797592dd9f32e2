// Line breaking for Japanese and English text: the one rule the screens and the
// sample toolkit's printed sheets both use. Japanese breaks between phrases
// (文節: 「画面を｜更新して、｜もう一度」), never inside a word such as QRコード or
// ください, never before closing punctuation (、。）」…) or after an opening
// bracket (禁則処理); Latin text breaks at spaces. ICU does the work
// (line_break.cpp says what is added to it).
//
//   std::vector<std::string> lines = ui::break_lines(text, box.w, [&](const std::string& line) {
//     return pixel_width(font, line);      // the caller's measure, e.g. TTF_SizeUTF8
//   });
//
// A single word wider than `max_width` stays on a line of its own; '\n' forces a
// break; no line starts or ends with a space. An empty text is one empty line.
// Ill-formed UTF-8 is broken as U+FFFD. Never throws (unless `width` does).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::ui {

// The width of one line of UTF-8 text, in the caller's units.
using TextWidth = std::function<int(const std::string& line)>;

std::vector<std::string> break_lines(std::string_view text, int max_width, const TextWidth& width);

// The words break_lines() keeps whole although ICU's dictionary would split
// them: the screen tests check that no catalogue string is broken inside one.
std::span<const std::string_view> unbreakable_words();

}  // namespace kakunin::ui
