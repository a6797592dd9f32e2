#include <kakunin/base/text_encoding.h>

#include <gtest/gtest.h>

#include <string>

namespace kakunin::testing {
namespace {

TEST(TextEncoding, NameWrittenInCp932ReadsBackTheSame) {
  // 髙 is in CP932 (Windows) but not in JIS X 0208: the Windows code page is used.
  const base::Result<std::string> sjis = base::utf8_to_cp932("髙橋 一郎");
  ASSERT_TRUE(sjis.ok()) << sjis.error().message;
  EXPECT_EQ(sjis.value().size(), 9u) << "four double-byte characters and a space";
  const base::Result<std::string> back = base::cp932_to_utf8(sjis.value());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), "髙橋 一郎");
}

TEST(TextEncoding, CharacterWithoutMappingNamesItsPositionNeverTheCharacter) {
  const base::Result<std::string> sjis = base::utf8_to_cp932("山𠮷田");  // U+20BB7: not in CP932
  ASSERT_FALSE(sjis.ok());
  EXPECT_NE(sjis.error().message.find("character 2"), std::string::npos) << sjis.error().message;
  EXPECT_EQ(sjis.error().message.find("𠮷"), std::string::npos) << "no personal data in errors";
}

TEST(TextEncoding, MalformedUtf8IsRefusedNotGuessed) {
  EXPECT_FALSE(base::utf8_to_cp932("\xff\xfe").ok());
}

TEST(TextEncoding, BadBytesAreCountedInBytes) {
  // 0x82 0xa0 is あ in Shift_JIS; 0xa0 alone is not a CP932 character.
  const base::Result<std::string> text = base::cp932_to_utf8("\x82\xa0\xa0");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("byte 3"), std::string::npos) << text.error().message;
}

TEST(TextEncoding, UnknownEncodingIsAnErrorNotACrash) {
  const auto text = base::convert_encoding("abc", "UTF-8", "NO-SUCH-ENCODING");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("NO-SUCH-ENCODING"), std::string::npos);
}

}  // namespace
}  // namespace kakunin::testing
