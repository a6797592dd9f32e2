// The decoding layers under the verifier, each on its own: Base45, bounded zlib,
// strict CBOR, calendar and RFC 3339 time, the 保険者番号 check digit.
#include "base45.h"
#include "cbor_reader.h"
#include "civil_time.h"
#include "zlib_inflate.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <kakunin/crypto/jhc1.h>

#include <string>

namespace kakunin::crypto {
namespace {

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes hex(std::string_view text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes zlib_of(const Bytes& data) {
  uLongf size = compressBound(data.size());
  Bytes out(size);
  compress2(out.data(), &size, data.data(), data.size(), 9);
  out.resize(size);
  return out;
}

// ----------------------------------------------------------------- Base45 --

TEST(Base45, DecodesTheRfcExamples) {
  EXPECT_EQ(base45_decode("BB8"), bytes_of("AB"));
  EXPECT_EQ(base45_decode("%69 VD92EX0"), bytes_of("Hello!!"));
  EXPECT_EQ(base45_decode("QED8WEX0"), bytes_of("ietf!"));
  EXPECT_EQ(base45_decode(""), Bytes{});
}

TEST(Base45, RefusesLowercaseAndCharactersOutsideTheQrAlphabet) {
  EXPECT_FALSE(base45_decode("bb8"));
  EXPECT_FALSE(base45_decode("BB#"));
  EXPECT_FALSE(base45_decode(std::string("BB\0", 3)));
}

TEST(Base45, RefusesALengthThatLeavesOneCharacter) {
  EXPECT_FALSE(base45_decode("BB8B"));
  EXPECT_FALSE(base45_decode("B"));
}

TEST(Base45, RefusesGroupsOverTheirRange) {
  EXPECT_FALSE(base45_decode(":::"));  // 44 + 44*45 + 44*2025 = 91124 > 65535
  EXPECT_TRUE(base45_decode("FGW"));   // 65535 exactly
  EXPECT_FALSE(base45_decode("::"));   // 44 + 44*45 = 2024 > 255
  EXPECT_TRUE(base45_decode("U5"));    // 255 exactly
}

// ------------------------------------------------------------------- zlib --

TEST(BoundedInflate, InflatesExactlyTheLimit) {
  const Bytes data(kMaxInflatedSize, 'a');
  std::string error;
  const auto out = inflate_bounded(zlib_of(data), kMaxInflatedSize, &error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(*out, data);
}

TEST(BoundedInflate, RefusesOneBytePastTheLimit) {
  std::string error;
  EXPECT_FALSE(
      inflate_bounded(zlib_of(Bytes(kMaxInflatedSize + 1, 'a')), kMaxInflatedSize, &error));
  EXPECT_NE(error.find("over the limit"), std::string::npos);
}

TEST(BoundedInflate, RefusesABombWithoutInflatingIt) {
  const Bytes bomb = zlib_of(Bytes(50'000'000, 0));
  ASSERT_LT(bomb.size(), 100'000u);
  std::string error;
  EXPECT_FALSE(inflate_bounded(bomb, kMaxInflatedSize, &error));
}

TEST(BoundedInflate, RefusesTruncatedCorruptAndTrailingInput) {
  const Bytes good = zlib_of(bytes_of("hello hello hello"));
  std::string error;
  EXPECT_TRUE(inflate_bounded(good, kMaxInflatedSize, &error));

  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_FALSE(inflate_bounded(truncated, kMaxInflatedSize, &error));

  Bytes bad_adler = good;
  bad_adler.back() ^= 1;
  EXPECT_FALSE(inflate_bounded(bad_adler, kMaxInflatedSize, &error));

  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(inflate_bounded(trailing, kMaxInflatedSize, &error));

  const Bytes raw_deflate(good.begin() + 2, good.end() - 4);
  EXPECT_FALSE(inflate_bounded(raw_deflate, kMaxInflatedSize, &error));
  EXPECT_FALSE(inflate_bounded(Bytes{}, kMaxInflatedSize, &error));
}

// ------------------------------------------------------------------- CBOR --

TEST(StrictCbor, ReadsTheRfcExamples) {
  EXPECT_EQ(cbor::decode(hex("1864"))->as_int64(), 100);
  EXPECT_EQ(cbor::decode(hex("3903e7"))->as_int64(), -1000);
  EXPECT_EQ(cbor::decode(hex("1bffffffffffffffff"))->value, UINT64_MAX);
  EXPECT_FALSE(cbor::decode(hex("1bffffffffffffffff"))->as_int64());
  EXPECT_EQ(cbor::decode(hex("6449455446"))->as_text(), "IETF");
  EXPECT_DOUBLE_EQ(cbor::decode(hex("f93c00"))->float_value, 1.0);
  EXPECT_DOUBLE_EQ(cbor::decode(hex("fb3ff199999999999a"))->float_value, 1.1);
  const auto map = cbor::decode(hex("a201020304"));
  ASSERT_TRUE(map);
  EXPECT_EQ(map->find(3)->as_int64(), 4);
  EXPECT_EQ(cbor::decode(hex("f5"))->as_bool(), true);
}

TEST(StrictCbor, RefusesIndefiniteLengths) {
  EXPECT_FALSE(cbor::decode(hex("9fff")));
  EXPECT_FALSE(cbor::decode(hex("bf0102ff")));
  EXPECT_FALSE(cbor::decode(hex("5f42010243030405ff")));
  EXPECT_FALSE(cbor::decode(hex("7f657374726561646d696e67ff")));
}

TEST(StrictCbor, RefusesDuplicateKeysEvenWhenEncodedDifferently) {
  EXPECT_FALSE(cbor::decode(hex("a201020103")));
  EXPECT_FALSE(cbor::decode(hex("a20102180103")));  // 1 and 24-prefixed 1
  EXPECT_FALSE(cbor::decode(hex("a2616101616102")));
  EXPECT_TRUE(cbor::decode(hex("a2016161206161")));  // 1 and -1 differ
}

TEST(StrictCbor, AcceptsSixteenLevelsAndRefusesSeventeen) {
  const auto nested = [](int depth) {
    Bytes out(static_cast<std::size_t>(depth), 0x81);
    out.back() = 0x80;
    return out;
  };
  EXPECT_TRUE(cbor::decode(nested(16)));
  cbor::DecodeError error;
  EXPECT_FALSE(cbor::decode(nested(17), &error));
  EXPECT_NE(error.message.find("deeper"), std::string::npos);
}

TEST(StrictCbor, RefusesDeepTagChainsWithoutRecursingForever) {
  Bytes chain(100000, 0xc6);
  chain.push_back(0x01);
  EXPECT_FALSE(cbor::decode(chain));
}

TEST(StrictCbor, RefusesTrailingBytesAndTruncation) {
  EXPECT_FALSE(cbor::decode(hex("0101")));
  EXPECT_TRUE(cbor::decode(hex("83010203")));
  EXPECT_FALSE(cbor::decode(hex("830102")));
  EXPECT_FALSE(cbor::decode(hex("5a00000010")));          // bstr longer than the input
  EXPECT_FALSE(cbor::decode(hex("9b7fffffffffffffff")));  // count far beyond the input
  EXPECT_FALSE(cbor::decode(Bytes{}));
}

TEST(StrictCbor, RefusesInvalidUtf8AndReservedEncodings) {
  EXPECT_FALSE(cbor::decode(hex("62c0af")));    // overlong '/'
  EXPECT_FALSE(cbor::decode(hex("63eda080")));  // surrogate
  EXPECT_FALSE(cbor::decode(hex("61ff")));
  EXPECT_TRUE(cbor::decode(hex("63e6b0b8")));  // 永 (valid three-byte UTF-8)
  EXPECT_FALSE(cbor::decode(hex("1c")));       // reserved additional info
  EXPECT_FALSE(cbor::decode(hex("f801")));     // two-byte simple below 32
}

// ------------------------------------------------------------ calendar/time --

TEST(CalendarDates, OnlyExistingDatesAreAccepted) {
  EXPECT_TRUE(CalendarDate::from_yyyymmdd(20240229));
  EXPECT_FALSE(CalendarDate::from_yyyymmdd(20230229));
  EXPECT_FALSE(CalendarDate::from_yyyymmdd(19000229));
  EXPECT_TRUE(CalendarDate::from_yyyymmdd(20000229));
  EXPECT_FALSE(CalendarDate::from_yyyymmdd(20261131));
  EXPECT_FALSE(CalendarDate::from_yyyymmdd(20261300));
  EXPECT_FALSE(CalendarDate::from_yyyymmdd(-20261101));
}

TEST(CalendarDates, JapanDateTurnsAtFifteenHundredUtc) {
  // 2026-11-30T14:59:59Z is 23:59:59 JST on the 30th; one second later it is the 1st.
  const UnixSeconds last_second = 1796050799;
  EXPECT_EQ(CalendarDate::japan_date_at(last_second), (CalendarDate{2026, 11, 30}));
  EXPECT_EQ(CalendarDate::japan_date_at(last_second + 1), (CalendarDate{2026, 12, 1}));
  EXPECT_EQ(CalendarDate::japan_date_at(-9 * 3600 - 1), (CalendarDate{1969, 12, 31}));
}

TEST(Rfc3339, ReadsUtcOffsetsAndFractions) {
  EXPECT_EQ(parse_rfc3339("2026-11-20T00:00:00Z"), 1795132800);
  EXPECT_EQ(parse_rfc3339("2026-11-20T09:00:00+09:00"), 1795132800);
  EXPECT_EQ(parse_rfc3339("2026-11-20T00:00:00.999Z"), 1795132800);
  EXPECT_FALSE(parse_rfc3339("2026-11-20 00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-20T00:00:00"));
  EXPECT_FALSE(parse_rfc3339("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-20T00:00:60Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-20T00:00:00Zjunk"));
}

// ------------------------------------------------------------ check digit --

TEST(InsurerNumber, AcceptsTheSpecExamplesAndRefusesWrongCheckDigits) {
  EXPECT_TRUE(is_valid_insurer_number("33120015"));
  EXPECT_TRUE(is_valid_insurer_number("138057"));
  EXPECT_FALSE(is_valid_insurer_number("33120016"));
  EXPECT_FALSE(is_valid_insurer_number("138050"));
  EXPECT_FALSE(is_valid_insurer_number("3312001"));
  EXPECT_FALSE(is_valid_insurer_number("3312001５"));
  EXPECT_FALSE(is_valid_insurer_number(""));
}

TEST(Verdicts, NamesRoundTripInPrecedenceOrder) {
  EXPECT_EQ(verdict_name(Verdict::not_jhc1), "not_jhc1");
  EXPECT_EQ(verdict_name(Verdict::valid), "valid");
  for (int i = 0; i < kVerdictCount; ++i) {
    const auto verdict = static_cast<Verdict>(i);
    EXPECT_EQ(verdict_from_name(verdict_name(verdict)), verdict);
  }
  EXPECT_FALSE(verdict_from_name("ok"));
}

}  // namespace
}  // namespace kakunin::crypto
