#include <kakunin/ui/line_break.h>

#include <kakunin/base/utf8.h>

namespace kakunin::ui {
namespace {

bool is_closing(char32_t c) {
  static constexpr std::u32string_view kClosing =
      U"、。，．・：；？！ー…）」』】〉》〕ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.;:!?)]}%";
  return kClosing.find(c) != std::u32string_view::npos;
}

bool is_opening(char32_t c) {
  static constexpr std::u32string_view kOpening = U"（「『【〈《〔([{";
  return kOpening.find(c) != std::u32string_view::npos;
}

bool is_word_char(char32_t c) { return c < 0x80 && c != U' ' && c != U'\n'; }

// Units that must not be split: a Latin word, one Japanese character with the
// punctuation bound to it, a space, or a forced line break.
std::vector<std::u32string> units_of(const std::u32string& text) {
  std::vector<std::u32string> units;
  for (const char32_t c : text) {
    const bool join_word = is_word_char(c) && !units.empty() && !units.back().empty() &&
                           is_word_char(units.back().back()) && !is_opening(units.back().back());
    const bool join_closing =
        is_closing(c) && !units.empty() && units.back() != U" " && units.back() != U"\n";
    const bool join_opening = !units.empty() && !units.back().empty() &&
                              is_opening(units.back().back()) && c != U' ' && c != U'\n';
    if (join_word || join_closing || join_opening) {
      units.back() += c;
    } else {
      units.emplace_back(1, c);
    }
  }
  return units;
}

void trim_trailing_spaces(std::u32string& line) {
  while (!line.empty() && line.back() == U' ') line.pop_back();
}

}  // namespace

std::vector<std::string> break_lines(std::string_view text, int max_width, const TextWidth& width) {
  std::vector<std::string> lines;
  std::u32string line;
  for (const std::u32string& unit : units_of(base::decode_utf8_lossy(text))) {
    if (unit == U"\n") {
      trim_trailing_spaces(line);
      lines.push_back(base::encode_utf8(line));
      line.clear();
      continue;
    }
    if (line.empty() && unit == U" ") continue;
    const std::u32string candidate = line + unit;
    if (line.empty() || width(base::encode_utf8(candidate)) <= max_width) {
      line = candidate;
      continue;
    }
    trim_trailing_spaces(line);
    lines.push_back(base::encode_utf8(line));
    line = unit == U" " ? U"" : unit;
  }
  trim_trailing_spaces(line);
  if (!line.empty() || lines.empty()) lines.push_back(base::encode_utf8(line));
  return lines;
}

}  // namespace kakunin::ui
