// Line breaking as staff and members read it: Japanese breaks between characters
// but never before 、。）」 nor after （「, English breaks between words.
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

TEST(LineBreak, JapaneseBreaksBetweenCharactersButNeverBeforeClosingPunctuation) {
  const auto lines = broken("確認できません。受け付けず", 7);
  EXPECT_EQ(lines, (std::vector<std::string>{"確認できませ", "ん。受け付けず"}));
}

TEST(LineBreak, AnOpeningBracketStaysWithWhatItOpens) {
  const auto lines = broken("資格を確認（偽造", 6);
  EXPECT_EQ(lines, (std::vector<std::string>{"資格を確認", "（偽造"}));
}

TEST(LineBreak, EnglishBreaksBetweenWordsWithoutSpacesAtTheEnds) {
  const auto lines = broken("the signature does not verify", 14);
  EXPECT_EQ(lines, (std::vector<std::string>{"the signature", "does not", "verify"}));
}

TEST(LineBreak, AWordWiderThanTheBoxKeepsALineOfItsOwn) {
  const auto lines = broken("see docs/verification.md now", 8);
  EXPECT_EQ(lines, (std::vector<std::string>{"see", "docs/verification.md", "now"}));
}

TEST(LineBreak, ANewlineForcesABreakAndEmptyTextIsOneEmptyLine) {
  EXPECT_EQ(broken("一行目\n二行目", 20), (std::vector<std::string>{"一行目", "二行目"}));
  EXPECT_EQ(broken("", 20), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace kakunin::testing
