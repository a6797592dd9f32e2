#include <kakunin/base/hex.h>

#include <gtest/gtest.h>

#include <array>

namespace kakunin::testing {
namespace {

TEST(Hex, EncodesLowerCase) {
  const std::vector<std::uint8_t> bytes{0x00, 0x0f, 0xA5, 0xff};
  EXPECT_EQ(base::encode_hex(bytes), "000fa5ff");
  EXPECT_EQ(base::encode_hex({}), "");
}

TEST(Hex, DecodesEitherCase) {
  EXPECT_EQ(base::decode_hex("000fA5Ff"), (std::vector<std::uint8_t>{0x00, 0x0f, 0xa5, 0xff}));
  EXPECT_EQ(base::decode_hex(""), std::vector<std::uint8_t>{});
}

TEST(Hex, RefusesAnythingButPairsOfHexDigits) {
  for (const char* text : {"0", "abc", "0x00", " 00", "00 ", "+f", "-1", "zz", "0g", "\xff\xff"}) {
    EXPECT_FALSE(base::decode_hex(text)) << '"' << text << '"';
  }
}

TEST(Hex, DecodesIntoAFixedSizeOnlyWithExactlyThatMany) {
  std::array<std::uint8_t, 2> out{0x11, 0x22};
  EXPECT_FALSE(base::decode_hex_into("abcdef", out));
  EXPECT_FALSE(base::decode_hex_into("ab", out));
  EXPECT_FALSE(base::decode_hex_into("abzz", out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 2>{0x11, 0x22})) << "untouched on failure";
  EXPECT_TRUE(base::decode_hex_into("ABcd", out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 2>{0xab, 0xcd}));
}

TEST(Hex, RoundTripsEveryByte) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(base::decode_hex(base::encode_hex(all)), all);
}

}  // namespace
}  // namespace kakunin::testing
