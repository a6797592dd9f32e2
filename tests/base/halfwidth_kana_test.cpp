// NameKana is half-width katakana in the files receipt computers import.
#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>

#include <gtest/gtest.h>

#include <kakunin/base/halfwidth_kana.h>

namespace kakunin::base {
namespace {

std::string halfwidth(std::string_view text) {
  return to_halfwidth_kana(text).value_or("<invalid>");
}

TEST(HalfwidthKana, SampleNameBecomesHalfWidth) {
  EXPECT_EQ(halfwidth("ミホン タロウ"), "ﾐﾎﾝ ﾀﾛｳ");
  EXPECT_EQ(halfwidth("ミホン　タロウ"), "ﾐﾎﾝ ﾀﾛｳ") << "ideographic space";
}

TEST(HalfwidthKana, VoicedSoundsSplitIntoBaseAndMark) {
  EXPECT_EQ(halfwidth("ガギグゲゴ"), "ｶﾞｷﾞｸﾞｹﾞｺﾞ");
  EXPECT_EQ(halfwidth("ザジズゼゾダヂヅデド"), "ｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ");
  EXPECT_EQ(halfwidth("バビブベボ"), "ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ");
  EXPECT_EQ(halfwidth("パピプペポ"), "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ");
  EXPECT_EQ(halfwidth("ヴ"), "ｳﾞ");
  EXPECT_EQ(halfwidth("ヷヺ"), "ﾜﾞｦﾞ");
}

TEST(HalfwidthKana, SmallKanaLongVowelAndPunctuation) {
  EXPECT_EQ(halfwidth("ショウ"), "ｼｮｳ");
  EXPECT_EQ(halfwidth("キッテ"), "ｷｯﾃ");
  EXPECT_EQ(halfwidth("ジョージ"), "ｼﾞｮｰｼﾞ");
  EXPECT_EQ(halfwidth("ア・イ「ウ」、。"), "ｱ･ｲ｢ｳ｣､｡");
}

TEST(HalfwidthKana, HiraganaIsReadAsKatakana) {
  EXPECT_EQ(halfwidth("やまだ はなこ"), "ﾔﾏﾀﾞ ﾊﾅｺ");
  EXPECT_EQ(halfwidth("ゔぁ"), "ｳﾞｧ");
}

TEST(HalfwidthKana, CombiningMarksAndFullWidthAsciiFold) {
  EXPECT_EQ(halfwidth("カ\u3099"), "ｶﾞ");
  EXPECT_EQ(halfwidth("ＡＢＣ１"), "ABC1");
}

TEST(HalfwidthKana, OtherTextPassesUnchanged) {
  EXPECT_EQ(halfwidth("ﾐﾎﾝ"), "ﾐﾎﾝ");
  EXPECT_EQ(halfwidth("山田 A-1"), "山田 A-1");
}

TEST(HalfwidthKana, MalformedUtf8IsReported) {
  EXPECT_FALSE(to_halfwidth_kana("\xE3\x83"));
  EXPECT_FALSE(to_halfwidth_kana("\xC0\xAF"));
}

TEST(HalfwidthKana, EveryKatakanaBecomesHalfWidthKatakanaOnly) {
  for (char32_t cp = 0x30A1; cp <= 0x30FA; ++cp) {
    std::string full;
    base::append_utf8(full, cp);
    const auto out = base::decode_utf8(halfwidth(full));
    ASSERT_TRUE(out);
    ASSERT_FALSE(out->empty());
    for (char32_t h : *out) {
      EXPECT_TRUE(h >= 0xFF66 && h <= 0xFF9F) << std::hex << static_cast<unsigned>(cp);
    }
    // Each fits in one CP932 byte per character, as in the Shift_JIS files.
    const base::Result<std::string> sjis = base::utf8_to_cp932(halfwidth(full));
    ASSERT_TRUE(sjis.ok());
    EXPECT_EQ(sjis.value().size(), out->size());
  }
}

}  // namespace
}  // namespace kakunin::base
