// What the kiosk accepts as the national system's answer, and what it refuses:
// the file another program (or someone with write access to `res`) put there.
#include <gtest/gtest.h>
#include <kakunin/base/text_encoding.h>

#include "compare.h"
#include "online_test_support.h"
#include "result_file.h"

namespace kakunin::online {
namespace {

using testing::result_document;
using testing::ResultSpec;

const AskedFor kAsked{"0123456789abcdef", "06139992", "1234567", "見本記号"};

ResultSpec answer_spec() {
  ResultSpec spec;
  spec.identifier = kAsked.file_identifier;
  return spec;
}

base::Result<NationalAnswer> parse(const std::string& bytes,
                                   config::XmlEncoding encoding = config::XmlEncoding::utf8) {
  return parse_result_file(bytes, encoding, kAsked);
}

OnlineStatus shown_for(const ResultSpec& spec) {
  auto answer = parse(result_document(spec), spec.encoding);
  EXPECT_TRUE(answer.ok()) << (answer.ok() ? "" : answer.error().message);
  if (!answer.ok()) return {};
  return compare_with_certificate(testing::sample_presentation().certificate, answer.value());
}

TEST(NationalAnswer, AnAgreeingAnswerConfirmsTheCertificate) {
  const OnlineStatus status = shown_for(answer_spec());
  EXPECT_EQ(status.state, OnlineState::confirmed);
  EXPECT_TRUE(status.differences.empty());
}

TEST(NationalAnswer, NamesDifferingOnlyInSpacingStillAgree) {
  ResultSpec spec = answer_spec();
  spec.name = "見本太郎";  // the certificate says 見本　太郎
  EXPECT_EQ(shown_for(spec).state, OnlineState::confirmed);
}

TEST(NationalAnswer, ADifferentRatioIsAMismatchThatSaysTheNationalRatio) {
  ResultSpec spec = answer_spec();
  spec.ratio = "020";
  const OnlineStatus status = shown_for(spec);
  EXPECT_EQ(status.state, OnlineState::mismatch);
  ASSERT_EQ(status.differences.size(), 1u);
  EXPECT_EQ(status.differences[0].field, OnlineField::ratio);
  EXPECT_EQ(status.differences[0].national, "020");
}

TEST(NationalAnswer, ADifferentExpiryAndFamilyStatusAreBothNamed) {
  ResultSpec spec = answer_spec();
  spec.valid_until = "20261231";
  spec.relationship = "2";
  const OnlineStatus status = shown_for(spec);
  ASSERT_EQ(status.differences.size(), 2u);
  EXPECT_EQ(status.differences[0].field, OnlineField::valid_until);
  EXPECT_EQ(status.differences[0].national, "20261231");
  EXPECT_EQ(status.differences[1].field, OnlineField::relationship);
  EXPECT_EQ(status.differences[1].national, "2");
}

TEST(NationalAnswer, LostReplacedAndNotFoundAreNotEntitled) {
  for (const auto& [code, reason] :
       {std::pair{"2", OnlineReason::lost}, std::pair{"3", OnlineReason::replaced},
        std::pair{"4", OnlineReason::not_found}}) {
    ResultSpec spec = answer_spec();
    spec.validity = code;
    spec.with_qualification = std::string(code) != "4";
    const OnlineStatus status = shown_for(spec);
    EXPECT_EQ(status.state, OnlineState::not_entitled) << code;
    EXPECT_EQ(status.reason, reason) << code;
  }
}

TEST(NationalAnswer, SeveralMatchesLeaveTheOfflineVerdictAlone) {
  ResultSpec spec = answer_spec();
  spec.validity = "5";
  const OnlineStatus status = shown_for(spec);
  EXPECT_EQ(status.state, OnlineState::unavailable);
  EXPECT_EQ(status.reason, OnlineReason::several_found);
}

TEST(NationalAnswer, AnErrorAnswerIsUnavailableWithTheSystemsCode) {
  ResultSpec spec = answer_spec();
  spec.status = "2";
  spec.validity.clear();
  spec.code = "EOQS4001";
  spec.with_qualification = false;
  const OnlineStatus status = shown_for(spec);
  EXPECT_EQ(status.state, OnlineState::unavailable);
  EXPECT_EQ(status.reason, OnlineReason::error_answer);
  EXPECT_EQ(status.code, "EOQS4001");
}

TEST(NationalAnswer, AShiftJisAnswerIsReadAsCp932) {
  ResultSpec spec = answer_spec();
  spec.encoding = config::XmlEncoding::shift_jis;
  spec.name = "髙橋 太郎";  // 髙 is CP932, not JIS X 0208
  auto answer = parse(result_document(spec), config::XmlEncoding::shift_jis);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value().qualification->name, "髙橋 太郎");
  EXPECT_NE(answer.value().document.find("encoding=\"UTF-8\""), std::string::npos)
      << "the document handed on says what it now is";
}

// ---- refused ----------------------------------------------------------------

void expect_refused(const std::string& bytes, std::string_view because,
                    config::XmlEncoding encoding = config::XmlEncoding::utf8) {
  auto answer = parse(bytes, encoding);
  ASSERT_FALSE(answer.ok()) << "accepted: " << bytes.substr(0, 200);
  EXPECT_NE(answer.error().message.find(because), std::string::npos) << answer.error().message;
}

TEST(HostileResultFile, AHugeFileIsRefusedBeforeParsing) {
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("<XmlMsg>"), std::string(kMaxResultBytes, ' '));
  expect_refused(bytes, "larger than the limit");
}

TEST(HostileResultFile, DeepNestingIsRefused) {
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "<a>";
  for (int i = 0; i < 40; ++i) nested += "</a>";
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("</MessageBody>"), nested);
  expect_refused(bytes, "nested too deeply");
}

TEST(HostileResultFile, NestingBeyondLibxml2sOwnLimitIsRefusedToo) {
  std::string nested;
  for (int i = 0; i < 20000; ++i) nested += "<a>";
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("</MessageBody>"), nested);
  expect_refused(bytes, "");
}

TEST(HostileResultFile, AnExternalEntityIsRefused) {
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("<XmlMsg>"),
               "<!DOCTYPE XmlMsg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n");
  bytes.replace(bytes.find("見本 太郎"), std::string("見本 太郎").size(), "&x;");
  expect_refused(bytes, "DOCTYPE");
}

TEST(HostileResultFile, ABillionLaughsIsRefused) {
  std::string dtd = "<!DOCTYPE XmlMsg [<!ENTITY a \"lol\">";
  for (char c = 'b'; c <= 'j'; ++c) {
    dtd += std::string("<!ENTITY ") + c + " \"";
    for (int i = 0; i < 10; ++i) dtd += std::string("&") + static_cast<char>(c - 1) + ";";
    dtd += "\">";
  }
  dtd += "]>\n";
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("<XmlMsg>"), dtd);
  expect_refused(bytes, "DOCTYPE");
}

TEST(HostileResultFile, AnUndeclaredEntityIsNotWellFormed) {
  std::string bytes = result_document(answer_spec());
  bytes.replace(bytes.find("見本 太郎"), std::string("見本 太郎").size(), "&nbsp;");
  expect_refused(bytes, "well-formed");
}

TEST(HostileResultFile, TheOtherEncodingThanTheTerminalsIsRefused) {
  ResultSpec spec = answer_spec();
  spec.encoding = config::XmlEncoding::shift_jis;
  expect_refused(result_document(spec), "online.encoding is utf-8");
  expect_refused(result_document(answer_spec()), "online.encoding is shift_jis",
                 config::XmlEncoding::shift_jis);
}

TEST(HostileResultFile, Cp932BytesDeclaredAsUtf8AreRefused) {
  std::string bytes = base::utf8_to_cp932(result_document(answer_spec())).value();
  expect_refused(bytes, "not valid UTF-8");
}

TEST(HostileResultFile, AnEncodingNeitherUtf8NorShiftJisIsRefused) {
  std::string bytes = result_document(answer_spec());
  bytes.replace(bytes.find("UTF-8"), 5, "UTF-16");
  expect_refused(bytes, "encoding the terminal does not use");
}

TEST(HostileResultFile, AResultForAnotherRequestIsRefused) {
  ResultSpec spec = answer_spec();
  spec.identifier = "fedcba9876543210";
  expect_refused(result_document(spec), "another request");
}

TEST(HostileResultFile, AnAnswerAboutAnotherCertificateIsRefused) {
  ResultSpec spec = answer_spec();
  spec.number = "7654321";
  expect_refused(result_document(spec), "another certificate");
}

TEST(HostileResultFile, AFieldGivenTwiceIsRefused) {
  std::string bytes = result_document(answer_spec());
  bytes.insert(bytes.find("</MessageBody>"), "<QualificationValidity>1</QualificationValidity>");
  expect_refused(bytes, "twice");
}

TEST(HostileResultFile, ValidWithoutAQualificationIsRefused) {
  ResultSpec spec = answer_spec();
  spec.with_qualification = false;
  expect_refused(result_document(spec), "without a ResultOfQualificationConfirmation");
}

TEST(HostileResultFile, ATruncatedFileIsNotWellFormed) {
  const std::string bytes = result_document(answer_spec());
  expect_refused(bytes.substr(0, bytes.size() / 2), "well-formed");
}

TEST(HostileResultFile, NotAnXmlMsgIsRefused) {
  expect_refused("<?xml version=\"1.0\" encoding=\"UTF-8\"?><html/>", "XmlMsg");
  expect_refused("plain text", "declaration");
}

}  // namespace
}  // namespace kakunin::online
