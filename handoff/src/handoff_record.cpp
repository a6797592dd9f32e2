#include "handoff_record.h"

#include <nlohmann/json.hpp>

#include "japan_time.h"
#include "oqs_result_xml.h"

namespace kakunin::handoff {
namespace {

using nlohmann::json;

template <typename T, typename F>
json optional_value(const std::optional<T>& value, F&& convert) {
  return value ? json(convert(*value)) : json(nullptr);
}

std::string hex(const crypto::Cti& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

json certificate_json(const crypto::Certificate& cert) {
  auto same = [](const auto& v) { return v; };
  return {
      {"insurer_number", cert.insurer_number},
      {"symbol", optional_value(cert.symbol, same)},
      {"number", cert.number},
      {"branch", cert.branch},
      {"name", cert.name},
      {"name_kana", optional_value(cert.name_kana, same)},
      {"birth_date", iso_date(cert.birth_date)},
      {"sex", static_cast<int>(cert.sex)},
      {"relationship", static_cast<int>(cert.relationship)},
      {"acquired", optional_value(cert.acquired, iso_date)},
      {"issued", iso_date(cert.issued)},
      {"valid_until", iso_date(cert.valid_until)},
      {"ratio_tenths", optional_value(cert.ratio_tenths, same)},
      {"limit_category", optional_value(cert.limit_category, same)},
      {"issue_category", static_cast<int>(cert.category)},
      {"reason", optional_value(cert.reason, same)},
  };
}

}  // namespace

std::string handoff_record_json(const RecordRequest& request, int indent) {
  const crypto::VerifiedPresentation& p = request.presentation;
  const json record = {
      {"format", kRecordFormat},
      {"version", kRecordVersion},
      {"sequence", request.sequence},
      {"kiosk_id", request.kiosk_id},
      {"checked_at", iso8601_japan(request.checked_at)},
      {"checked_at_unix", request.checked_at},
      {"presented_at", iso8601_japan(p.presented_at)},
      {"qr_age_seconds", p.age_seconds},
      {"profile", crypto::profile_name(p.profile)},
      {"credential_id", hex(p.cti)},
      {"test_material", p.test_material},
      {"freshness_skipped", p.freshness_skipped},
      {"insurer_name", p.insurer_name},
      {"certificate", certificate_json(p.certificate)},
  };
  return record.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string handoff_record_file_name(std::string_view kiosk_id, crypto::UnixSeconds checked_at,
                                     std::uint64_t sequence) {
  return "kakunin-handoff_" + file_name_safe(kiosk_id) + "_" +
         yyyymmddhhmmss(japan_time_at(checked_at)) + "_" + std::to_string(sequence) + ".json";
}

}  // namespace kakunin::handoff
