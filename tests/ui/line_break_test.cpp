// Line breaking as staff and members read it: Japanese breaks between phrases,
// never inside a word, before 、。）」 nor after （「; English breaks between words.
#include <kakunin/base/utf8.h>
#include <kakunin/ui/line_break.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kakunin::testing {
namespace {

// One unit per character, so a box of width N holds N characters.
int characters(const std::string& line) {
  return static_cast<int>(base::decode_utf8_lossy(line).size());
}

std::vector<std::string> broken(std::string_view text, int width) {
  return ui::break_lines(text, width, characters);
}

TEST(LineBreak, JapaneseBreaksBetweenPhrasesNotInsideWords) {
  EXPECT_EQ(broken("画面を更新して、もう一度かざしてください", 10),
            (std::vector<std::string>{"画面を更新して、", "もう一度かざして", "ください"}));
  EXPECT_EQ(broken("この端末では現在確認できません", 9),
            (std::vector<std::string>{"この端末では現在", "確認できません"}));
}

TEST(LineBreak, WordsIcuWouldSplitStayWhole) {
  // ICU 72's phrase dictionary has くだ|さい and 患者|さん.
  for (int width = 2; width < 12; ++width) {
    for (const std::string& line : broken("患者さんに画面を更新してもらってください", width)) {
      EXPECT_NE(line, "くだ") << width;
      EXPECT_NE(line.rfind("さい", 0), 0u) << width;
      EXPECT_NE(line.rfind("さんに", 0), 0u) << width;
    }
  }
}

TEST(LineBreak, ClosingPunctuationNeverStartsALine) {
  for (int width = 2; width < 12; ++width) {
    for (const std::string& line : broken("確認できません。（偽造の可能性）。続く場合は", width)) {
      for (const char* closing : {"、", "。", "）"}) EXPECT_NE(line.rfind(closing, 0), 0u) << line;
    }
  }
}

TEST(LineBreak, AnOpeningBracketStaysWithWhatItOpens) {
  for (const std::string& line : broken("資格を確認（偽造", 6)) {
    EXPECT_NE(line.back(), '\x88') << "no line ends in （";  // （ is EF BC 88
  }
}

TEST(LineBreak, EnglishBreaksBetweenWordsWithoutSpacesAtTheEnds) {
  const auto lines = broken("the signature does not verify", 14);
  EXPECT_EQ(lines, (std::vector<std::string>{"the signature", "does not", "verify"}));
}

TEST(LineBreak, AWordWiderThanTheBoxKeepsALineOfItsOwn) {
  const auto lines = broken("see supercalifragilistic now", 8);
  EXPECT_EQ(lines, (std::vector<std::string>{"see", "supercalifragilistic", "now"}));
}

TEST(LineBreak, ANewlineForcesABreakAndEmptyTextIsOneEmptyLine) {
  EXPECT_EQ(broken("一行目\n二行目", 20), (std::vector<std::string>{"一行目", "二行目"}));
  EXPECT_EQ(broken("", 20), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace kakunin::testing
