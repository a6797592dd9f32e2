// The XML is written by hand: it is one fixed, flat document; what matters
// (escaping, in base/xml_text.h, and refusing characters XML or CP932 cannot
// carry) is done here and checked by the tests with libxml2, which the kiosk uses
// only to read the national system's answers (online/).
#include "oqs_result_xml.h"

#include <kakunin/base/file_name.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/text_encoding.h>
#include <kakunin/base/xml_text.h>

#include <cstdio>

#include <kakunin/base/halfwidth_kana.h>

namespace kakunin::handoff {
namespace {

using base::XmlWriter;

XmlWriter::Encoding writer_encoding(config::XmlEncoding encoding) {
  return encoding == config::XmlEncoding::shift_jis ? XmlWriter::Encoding::cp932
                                                    : XmlWriter::Encoding::utf8;
}

void write_header(XmlWriter& xml, const OqsResultRequest& request) {
  xml.open("MessageHeader");
  xml.leaf("ProcessExecutionTime", base::yyyymmddhhmmss(base::japan_time_at(request.checked_at)));
  xml.leaf("QualificationConfirmationDate",
           base::yyyymmdd(crypto::CalendarDate::japan_date_at(request.checked_at)));
  xml.leaf("MedicalInstitutionCode", request.medical_institution_code);
  // 医療機関ごとに使用できる項目（使用は任意）: the link software echoes the request's
  // value here; importers match it to their own requests or ignore it. We put our
  // marker and sequence here so a vendor can tell a 資格確認書【web】 result apart.
  xml.leaf("ArbitraryFileIdentifier", oqs_arbitrary_file_identifier(request.sequence));
  xml.leaf("ReferenceClassification", "2");  // 照会区分 2: 被保険者証情報 (not a My Number card)
  xml.leaf("SegmentOfResult", "1");          // 処理結果区分 1: 正常終了
  xml.leaf("CharacterCodeIdentifier",
           request.encoding == config::XmlEncoding::shift_jis ? "1" : "0");
  xml.close("MessageHeader");
}

void write_result(XmlWriter& xml, const OqsResultRequest& request) {
  const crypto::Certificate& cert = request.presentation.certificate;
  xml.open("ResultOfQualificationConfirmation");
  // 被保険者証区分 01 被保険者証（一般）: the importers accept only 01..07, and a
  // 資格確認書 stands in for the ordinary card.
  xml.leaf("InsuredCardClassification", "01");
  xml.leaf("InsurerNumber", oqs_insurer_number(cert.insurer_number));
  if (cert.symbol) xml.leaf("InsuredCardSymbol", *cert.symbol);
  xml.leaf("InsuredIdentificationNumber", cert.number);
  xml.leaf("InsuredBranchNumber", cert.branch);
  xml.leaf("PersonalFamilyClassification",
           cert.relationship == crypto::Relationship::insured ? "1" : "2");
  xml.leaf("Name", cert.name);
  if (cert.name_kana) {
    const auto kana = base::to_halfwidth_kana(*cert.name_kana);
    xml.leaf("NameKana", kana ? *kana : *cert.name_kana);  // invalid UTF-8 is reported by leaf()
  }
  xml.leaf("Sex1", oqs_sex(cert.sex));
  xml.leaf("Birthdate", base::yyyymmdd(cert.birth_date));
  if (cert.acquired) xml.leaf("QualificationDate", base::yyyymmdd(*cert.acquired));
  xml.leaf("InsuredCertificateIssuanceDate", base::yyyymmdd(cert.issued));
  xml.leaf("InsuredCardExpirationDate", base::yyyymmdd(cert.valid_until));
  if (cert.ratio_tenths) {
    xml.leaf("InsuredPartialContributionRatio", oqs_contribution_ratio(*cert.ratio_tenths));
  }
  xml.leaf("InsurerName", request.presentation.insurer_name);
  xml.close("ResultOfQualificationConfirmation");
}

}  // namespace

std::string oqs_arbitrary_file_identifier(std::uint64_t sequence) {
  return "kakunin-web-" + std::to_string(sequence);
}

std::string oqs_insurer_number(std::string_view digits) {
  if (digits.size() == 6) return "  " + std::string(digits);
  return std::string(digits);
}

std::string oqs_contribution_ratio(int tenths) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%03d", tenths * 10);
  return buffer;
}

std::string oqs_sex(crypto::Sex sex) {
  switch (sex) {
    case crypto::Sex::male:
      return "1";
    case crypto::Sex::female:
      return "2";
    case crypto::Sex::not_printed:
      return "3";
  }
  return "3";
}

namespace {

std::string result_file_name(const OqsResultRequest& request) {
  return "OQSsiquc01res_kakunin-web_" + base::file_name_safe(request.kiosk_id) + "_" +
         base::yyyymmddhhmmss(base::japan_time_at(request.checked_at)) + "_" +
         std::to_string(request.sequence) + ".xml";
}

// Replaces the first `from` (a whole element or the declaration's value) by `to`.
void replace_first(std::string& text, std::string_view from, std::string_view to) {
  if (const std::size_t at = text.find(from); at != std::string::npos)
    text.replace(at, from.size(), to);
}

}  // namespace

bool hands_over_national_answer(const OnlineCheckResult* online) {
  if (online == nullptr || !online->answer) return false;
  const online::OnlineState state = online->status.state;
  return state == online::OnlineState::confirmed || state == online::OnlineState::mismatch ||
         state == online::OnlineState::not_entitled;
}

OqsResultFile pass_on_national_answer(const OqsResultRequest& request,
                                      const online::NationalAnswer& answer) {
  OqsResultFile file;
  file.name = result_file_name(request);
  // The online check keeps the document in UTF-8 with a declaration saying so.
  std::string text = answer.document;
  const bool sjis = request.encoding == config::XmlEncoding::shift_jis;
  // The declaration is the online check's (it read the document, so there is one).
  if (const std::size_t end = text.find("?>");
      text.starts_with("<?xml") && end != std::string::npos) {
    text.replace(0, end + 2,
                 std::string("<?xml version=\"1.0\" encoding=\"") + (sjis ? "Shift_JIS" : "UTF-8") +
                     "\" standalone=\"no\"?>");
  }
  if (!sjis) {
    replace_first(text, "<CharacterCodeIdentifier>1</CharacterCodeIdentifier>",
                  "<CharacterCodeIdentifier>0</CharacterCodeIdentifier>");
    file.bytes = std::move(text);
    return file;
  }
  replace_first(text, "<CharacterCodeIdentifier>0</CharacterCodeIdentifier>",
                "<CharacterCodeIdentifier>1</CharacterCodeIdentifier>");
  base::Result<std::string> converted = base::utf8_to_cp932(text);
  if (!converted.ok()) {
    file.error =
        "the national answer: " + converted.error().message + " (Shift_JIS result files use CP932)";
    return file;
  }
  file.bytes = std::move(converted).value();
  return file;
}

OqsResultFile render_oqs_result(const OqsResultRequest& request) {
  XmlWriter xml(writer_encoding(request.encoding));
  xml.open("XmlMsg");
  write_header(xml, request);
  xml.open("MessageBody");
  xml.leaf("ProcessingResultStatus", "1");  // 処理結果状況 1: 正常終了
  xml.leaf("QualificationValidity",
           "1");  // 資格有効性 1: 有効 (the kiosk hands over valid results only)
  xml.open("ResultList");
  write_result(xml, request);
  xml.close("ResultList");
  xml.close("MessageBody");
  xml.close("XmlMsg");

  OqsResultFile file;
  file.name = result_file_name(request);
  file.error = xml.error();
  if (file.ok()) file.bytes = std::move(xml).finish().value();
  return file;
}

}  // namespace kakunin::handoff
