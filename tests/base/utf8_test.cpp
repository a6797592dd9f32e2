// Strict UTF-8 (RFC 3629) and the lossy form the screens use.
#include <kakunin/base/utf8.h>

#include <gtest/gtest.h>

#include <vector>

namespace kakunin::testing {
namespace {

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
  for (const char* text :
       {"", "ascii", "見本 太郎", "ｶﾅ", "𠮷野家", "\xC2\x80", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(base::is_valid_utf8(std::string_view(text))) << text;
  }
}

TEST(Utf8, RefusesOverlongSurrogatesTooLargeAndTruncatedSequences) {
  const std::vector<std::string> bad = {
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong '/'
      "\xF0\x80\x80\xAF",  // overlong '/'
      "\xED\xA0\x80",      // U+D800, a surrogate
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte beyond U+10FFFF
      "\x80",              // a lone continuation byte
      "\xE8\xA6",          // 見 cut short
      "a\xFF",             // never in UTF-8
  };
  for (const auto& text : bad) {
    EXPECT_FALSE(base::is_valid_utf8(text)) << ::testing::PrintToString(text);
    EXPECT_FALSE(base::decode_utf8(text)) << ::testing::PrintToString(text);
  }
}

TEST(Utf8, TheByteOverloadAgreesWithTheTextOne) {
  const std::vector<std::uint8_t> good{0xE8, 0xA6, 0x8B};  // 見
  const std::vector<std::uint8_t> surrogate{0xED, 0xA0, 0x80};
  EXPECT_TRUE(base::is_valid_utf8(std::span<const std::uint8_t>(good)));
  EXPECT_FALSE(base::is_valid_utf8(std::span<const std::uint8_t>(surrogate)));
}

TEST(Utf8, DecodesToCodePointsAndBack) {
  const auto decoded = base::decode_utf8("a見𠮷");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, U"a見𠮷");
  EXPECT_EQ(base::encode_utf8(*decoded), "a見𠮷");
}

TEST(Utf8, LossyDecodingReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(base::decode_utf8_lossy("a\xFF"
                                    "b"),
            U"a\uFFFDb");
  EXPECT_EQ(base::decode_utf8_lossy("\xE8\xA6"), U"\uFFFD\uFFFD") << "a cut sequence, byte by byte";
  EXPECT_EQ(base::decode_utf8_lossy("\xED\xA0\x80"
                                    "x"),
            U"\uFFFD\uFFFD\uFFFDx")
      << "no surrogates on screen";
  EXPECT_EQ(base::decode_utf8_lossy("見本"), U"見本");
}

TEST(Utf8, EncodingSomethingThatIsNotACharacterGivesTheReplacementCharacter) {
  std::string out;
  base::append_utf8(out, 0xD800);
  base::append_utf8(out, 0x110000);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD");
  out.clear();
  for (char32_t cp : {U'A', U'\u00E9', U'\u30AB', U'\U00020BB7'}) base::append_utf8(out, cp);
  EXPECT_EQ(out,
            "Aé"
            "カ"
            "𠮷");
}

}  // namespace
}  // namespace kakunin::testing
