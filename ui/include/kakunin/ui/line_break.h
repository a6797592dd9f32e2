// Line breaking for Japanese and English text: the one rule the screens and the
// sample toolkit's printed sheets both use. Japanese has no spaces, so a line may
// break between any two characters, except before closing punctuation (、。）」…)
// and after an opening bracket (禁則処理); Latin text breaks at spaces.
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
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::ui {

// The width of one line of UTF-8 text, in the caller's units.
using TextWidth = std::function<int(const std::string& line)>;

std::vector<std::string> break_lines(std::string_view text, int max_width, const TextWidth& width);

}  // namespace kakunin::ui
