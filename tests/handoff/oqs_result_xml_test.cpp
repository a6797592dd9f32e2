// The OQSsiquc01res result file: element names and nesting as the public importers
// read them, every field of the certificate, both encodings, escaping, and refusal
// of characters the target encoding cannot carry.
#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>

#include <gtest/gtest.h>

#include <kakunin/base/halfwidth_kana.h>
#include "handoff_test_support.h"
#include "oqs_result_xml.h"

namespace kakunin::handoff {
namespace {

using crypto::Algorithm;
using testing::kNow;
using testing::kResultPath;
using testing::verified_presentation;
using testing::XmlDocument;

OqsResultFile render(const crypto::VerifiedPresentation& p, config::XmlEncoding encoding) {
  return render_oqs_result({p, kNow, "kiosk-1", 42, encoding, "1312345678"});
}

std::string field(const XmlDocument& doc, const std::string& name) {
  return doc.text(std::string(kResultPath) + name).value_or("<missing>");
}

// Every element a receipt computer reads, checked against the certificate.
void expect_result_matches(const XmlDocument& doc, const crypto::VerifiedPresentation& p) {
  const crypto::Certificate& c = p.certificate;
  EXPECT_EQ(field(doc, "InsuredCardClassification"), "01");
  EXPECT_EQ(field(doc, "InsurerNumber"),
            c.insurer_number.size() == 6 ? "  " + c.insurer_number : c.insurer_number);
  if (c.symbol) {
    EXPECT_EQ(field(doc, "InsuredCardSymbol"), *c.symbol);
  } else {
    EXPECT_EQ(doc.count(std::string(kResultPath) + "InsuredCardSymbol"), 0u);
  }
  EXPECT_EQ(field(doc, "InsuredIdentificationNumber"), c.number);
  EXPECT_EQ(field(doc, "InsuredBranchNumber"), c.branch);
  EXPECT_EQ(field(doc, "PersonalFamilyClassification"),
            c.relationship == crypto::Relationship::insured ? "1" : "2");
  EXPECT_EQ(field(doc, "Name"), c.name);
  if (c.name_kana) {
    EXPECT_EQ(field(doc, "NameKana"), *base::to_halfwidth_kana(*c.name_kana));
  }
  EXPECT_EQ(field(doc, "Birthdate"), std::to_string(c.birth_date.yyyymmdd()));
  if (c.acquired) {
    EXPECT_EQ(field(doc, "QualificationDate"), std::to_string(c.acquired->yyyymmdd()));
  }
  EXPECT_EQ(field(doc, "InsuredCertificateIssuanceDate"), std::to_string(c.issued.yyyymmdd()));
  EXPECT_EQ(field(doc, "InsuredCardExpirationDate"), std::to_string(c.valid_until.yyyymmdd()));
  if (c.ratio_tenths) {
    EXPECT_EQ(field(doc, "InsuredPartialContributionRatio"),
              "0" + std::to_string(*c.ratio_tenths) + "0");
  }
  EXPECT_EQ(field(doc, "InsurerName"), p.insurer_name);
}

TEST(OqsResultXml, HasTheShapeReceiptComputersImport) {
  const auto p = verified_presentation(Algorithm::es256);
  const OqsResultFile file = render(p, config::XmlEncoding::utf8);
  ASSERT_TRUE(file.ok()) << file.error;
  EXPECT_EQ(file.name, "OQSsiquc01res_kakunin-web_kiosk-1_20261120090000_42.xml");
  EXPECT_EQ(file.bytes.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"", 0), 0u);

  const auto doc = XmlDocument::parse(file.bytes);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/ProcessExecutionTime"), "20261120090000");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/QualificationConfirmationDate"), "20261120");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/MedicalInstitutionCode"), "1312345678");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/ArbitraryFileIdentifier"), "kakunin-web-42");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/ReferenceClassification"), "2");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/SegmentOfResult"), "1");
  EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/CharacterCodeIdentifier"), "0");
  EXPECT_EQ(doc->text("/XmlMsg/MessageBody/ProcessingResultStatus"), "1");
  EXPECT_EQ(doc->text("/XmlMsg/MessageBody/QualificationValidity"), "1");
  EXPECT_EQ(doc->count("/XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation"), 1u);
}

TEST(OqsResultXml, CarriesEverySampleFieldWithKanjiSymbolAndHalfWidthKana) {
  const auto p = verified_presentation(Algorithm::es256);
  const auto doc = XmlDocument::parse(render(p, config::XmlEncoding::utf8).bytes);
  ASSERT_TRUE(doc);
  expect_result_matches(*doc, p);
  // The sample's literal values, so a wrong mapping cannot cancel itself out.
  EXPECT_EQ(field(*doc, "InsurerNumber"), "06139992");
  EXPECT_EQ(field(*doc, "InsuredCardSymbol"), "見本記号");
  EXPECT_EQ(field(*doc, "Name"), "見本 太郎");
  EXPECT_EQ(field(*doc, "NameKana"), "ﾐﾎﾝ ﾀﾛｳ");
  EXPECT_EQ(field(*doc, "Sex1"), "1");
  EXPECT_EQ(field(*doc, "Birthdate"), "19800401");
  EXPECT_EQ(field(*doc, "QualificationDate"), "20200401");
  EXPECT_EQ(field(*doc, "InsuredCardExpirationDate"), "20270331");
  EXPECT_EQ(field(*doc, "InsuredPartialContributionRatio"), "030");
  EXPECT_EQ(field(*doc, "InsurerName"), "見本健康保険組合");
}

TEST(OqsResultXml, PadsSixDigitKokuhoNumberAndMarksDependent) {
  const auto p = verified_presentation(Algorithm::ed25519, [](crypto::Certificate& c) {
    c.relationship = crypto::Relationship::dependent;
    c.symbol.reset();
    c.name = "見本 花子";
    c.name_kana = "ミホン ハナコ";
    c.sex = crypto::Sex::not_printed;
    c.ratio_tenths = 2;
    c.acquired.reset();
  });
  const auto doc = XmlDocument::parse(render(p, config::XmlEncoding::utf8).bytes);
  ASSERT_TRUE(doc);
  expect_result_matches(*doc, p);
  EXPECT_EQ(field(*doc, "InsurerNumber"), "  138057");
  EXPECT_EQ(field(*doc, "PersonalFamilyClassification"), "2");
  EXPECT_EQ(field(*doc, "Sex1"), "3");
  EXPECT_EQ(field(*doc, "InsuredPartialContributionRatio"), "020");
  EXPECT_EQ(field(*doc, "InsurerName"), "見本市国民健康保険");
  EXPECT_EQ(doc->count(std::string(kResultPath) + "QualificationDate"), 0u);
}

TEST(OqsResultXml, ShiftJisFileDeclaresItAndRoundTripsEveryField) {
  for (Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
    const auto p = verified_presentation(
        alg, [](crypto::Certificate& c) { c.name_kana = "ガッコウ パンダ ヴィオラ"; });
    const OqsResultFile file = render(p, config::XmlEncoding::shift_jis);
    ASSERT_TRUE(file.ok()) << file.error;
    EXPECT_EQ(file.bytes.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"", 0), 0u);
    EXPECT_FALSE(base::decode_utf8(file.bytes)) << "the bytes must be Shift_JIS, not UTF-8";
    EXPECT_NE(file.bytes.find("\x8C\xA9\x96\x7B"), std::string::npos) << "見本 in Shift_JIS";

    const auto doc = XmlDocument::parse(file.bytes);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->text("/XmlMsg/MessageHeader/CharacterCodeIdentifier"), "1");
    expect_result_matches(*doc, p);
    EXPECT_EQ(field(*doc, "NameKana"), "ｶﾞｯｺｳ ﾊﾟﾝﾀﾞ ｳﾞｨｵﾗ");
  }
}

TEST(OqsResultXml, ShiftJisUsesTheWindowsCodePage) {
  // 髙 exists in CP932 (what Windows receipt computers read) but not in JIS X 0208.
  const auto p =
      verified_presentation(Algorithm::es256, [](crypto::Certificate& c) { c.name = "髙橋 一郎"; });
  const OqsResultFile file = render(p, config::XmlEncoding::shift_jis);
  ASSERT_TRUE(file.ok()) << file.error;
  const base::Result<std::string> back = base::cp932_to_utf8(file.bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_NE(back.value().find("<Name>髙橋 一郎</Name>"), std::string::npos);
}

TEST(OqsResultXml, CharacterWithoutCp932MappingIsAnErrorNotAReplacement) {
  const auto p = verified_presentation(Algorithm::es256, [](crypto::Certificate& c) {
    c.name = "𠮷田 太郎";  // U+20BB7: not in CP932
  });
  const OqsResultFile sjis = render(p, config::XmlEncoding::shift_jis);
  EXPECT_FALSE(sjis.ok());
  EXPECT_TRUE(sjis.bytes.empty());
  EXPECT_NE(sjis.error.find("Name"), std::string::npos) << sjis.error;
  EXPECT_NE(sjis.error.find("character 1"), std::string::npos) << sjis.error;
  EXPECT_EQ(sjis.error.find("𠮷"), std::string::npos) << "the error must not carry the name";

  const OqsResultFile utf8 = render(p, config::XmlEncoding::utf8);
  ASSERT_TRUE(utf8.ok()) << "UTF-8 files carry every character";
  EXPECT_EQ(field(*XmlDocument::parse(utf8.bytes), "Name"), "𠮷田 太郎");
}

TEST(OqsResultXml, MarkupInValuesIsEscaped) {
  const auto p = verified_presentation(Algorithm::es256, [](crypto::Certificate& c) {
    c.name = "見本 <太郎> & 'Q' \"R\"";
    c.symbol = "A&B<1>";
  });
  for (auto encoding : {config::XmlEncoding::utf8, config::XmlEncoding::shift_jis}) {
    const OqsResultFile file = render(p, encoding);
    ASSERT_TRUE(file.ok()) << file.error;
    const auto doc = XmlDocument::parse(file.bytes);
    ASSERT_TRUE(doc) << "escaped markup must still parse";
    EXPECT_EQ(field(*doc, "Name"), "見本 <太郎> & 'Q' \"R\"");
    EXPECT_EQ(field(*doc, "InsuredCardSymbol"), "A&B<1>");
  }
}

TEST(OqsResultXml, ControlCharacterIsRefusedRatherThanWrittenAsBrokenXml) {
  const auto p = verified_presentation(
      Algorithm::es256, [](crypto::Certificate& c) { c.number = std::string("123\x01", 4); });
  const OqsResultFile file = render(p, config::XmlEncoding::utf8);
  EXPECT_FALSE(file.ok());
  EXPECT_NE(file.error.find("InsuredIdentificationNumber"), std::string::npos) << file.error;
}

TEST(OqsResultXml, KioskIdCannotEscapeTheFileName) {
  const auto p = verified_presentation(Algorithm::es256);
  const OqsResultFile file =
      render_oqs_result({p, kNow, "../受付 2", 7, config::XmlEncoding::utf8, ""});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.name.find('/'), std::string::npos);
  EXPECT_EQ(file.name.rfind("OQSsiquc01res_kakunin-web_", 0), 0u);
}

}  // namespace
}  // namespace kakunin::handoff
