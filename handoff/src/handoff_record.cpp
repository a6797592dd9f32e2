#include "handoff_record.h"

#include <kakunin/base/hex.h>
#include <kakunin/base/japan_time.h>

#include <nlohmann/json.hpp>

#include "oqs_result_xml.h"

namespace kakunin::handoff {
namespace {

using nlohmann::json;

template <typename T, typename F>
json optional_value(const std::optional<T>& value, F&& convert) {
  return value ? json(convert(*value)) : json(nullptr);
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
      {"birth_date", base::iso_date(cert.birth_date)},
      {"sex", static_cast<int>(cert.sex)},
      {"relationship", static_cast<int>(cert.relationship)},
      {"acquired", optional_value(cert.acquired, [](const auto& d) { return base::iso_date(d); })},
      {"issued", base::iso_date(cert.issued)},
      {"valid_until", base::iso_date(cert.valid_until)},
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
      {"checked_at", base::iso8601_japan(request.checked_at)},
      {"checked_at_unix", request.checked_at},
      {"presented_at", base::iso8601_japan(p.presented_at)},
      {"qr_age_seconds", p.age_seconds},
      {"profile", crypto::profile_name(p.profile)},
      {"credential_id", base::encode_hex(p.cti)},
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
         base::yyyymmddhhmmss(base::japan_time_at(checked_at)) + "_" + std::to_string(sequence) + ".json";
}

}  // namespace kakunin::handoff
