// The OQSsiquc01res_*.xml result file: the shape the オンライン資格確認 link software
// (連携アプリ) writes into the `res` folder and receipt computers already import.
// Element names and nesting follow the public parsers cited in docs/handoff.md.
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/online/online.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kakunin::handoff {

struct OqsResultRequest {
  const crypto::VerifiedPresentation& presentation;
  crypto::UnixSeconds checked_at;
  std::string_view kiosk_id;
  std::uint64_t sequence;
  config::XmlEncoding encoding;
  std::string_view medical_institution_code;
};

struct OqsResultFile {
  std::string name;   // OQSsiquc01res_kakunin-web_<kiosk>_<yyyyMMddHHmmss>_<seq>.xml
  std::string bytes;  // the whole document in its declared encoding
  // Empty on success; otherwise English, naming the element and character position
  // that could not be written (never the value).
  std::string error;
  bool ok() const { return error.empty(); }
};

OqsResultFile render_oqs_result(const OqsResultRequest& request);

// Whether the XML channel hands over the national system's own answer: it answered
// about the entitlement (confirmed, mismatch or not entitled). An error answer or
// none leaves the kiosk's own result file.
bool hands_over_national_answer(const OnlineCheckResult* online);
// The national answer as the receipt computer's result file: the document as the
// 連携アプリ wrote it, in `request.encoding` (its declaration and
// CharacterCodeIdentifier made to say so), under this kiosk's file name.
OqsResultFile pass_on_national_answer(const OqsResultRequest& request,
                                      const online::NationalAnswer& answer);

// The marker in MessageHeader/ArbitraryFileIdentifier: "kakunin-web-<seq>".
std::string oqs_arbitrary_file_identifier(std::uint64_t sequence);
// 8 digits as is; a 6-digit 国保 number padded to 8 with two leading half-width
// spaces, as the link software's files and receipt computers' own records carry it.
std::string oqs_insurer_number(std::string_view digits);
// Tenths of 一部負担金 as the three-digit percentage: 1 -> "010", 3 -> "030".
std::string oqs_contribution_ratio(int tenths);
// Sex1: 1 男, 2 女, 3 未設定 (the JHC1 code 9, 記載省略).
std::string oqs_sex(crypto::Sex sex);

}  // namespace kakunin::handoff
