#include <kakunin/base/hex.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/handoff/record.h>

namespace kakunin::handoff {
namespace {

using nlohmann::ordered_json;

// Absent optional fields are null, never omitted: a reader sees every field.
template <typename T, typename F>
ordered_json optional_value(const std::optional<T>& value, F&& convert) {
  return value ? ordered_json(convert(*value)) : ordered_json(nullptr);
}

// Every hic field but v (always 1), under the names of docs/handoff.md §2.
ordered_json certificate_fields(const crypto::Certificate& cert) {
  auto same = [](const auto& v) { return v; };
  auto date = [](const auto& d) { return base::iso_date(d); };
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
      {"acquired", optional_value(cert.acquired, date)},
      {"issued", base::iso_date(cert.issued)},
      {"valid_until", base::iso_date(cert.valid_until)},
      {"ratio_tenths", optional_value(cert.ratio_tenths, same)},
      {"limit_category", optional_value(cert.limit_category, same)},
      {"issue_category", static_cast<int>(cert.category)},
      {"reason", optional_value(cert.reason, same)},
  };
}

}  // namespace

ordered_json certificate_record(const crypto::VerifiedPresentation& p,
                                crypto::UnixSeconds checked_at,
                                std::optional<HandOffNumber> hand_off) {
  ordered_json record = {{"format", kRecordFormat}, {"version", kRecordVersion}};
  if (hand_off) {
    record["sequence"] = hand_off->sequence;
    record["kiosk_id"] = hand_off->kiosk_id;
  }
  record["checked_at"] = base::iso8601_japan(checked_at);
  record["checked_at_unix"] = checked_at;
  record["presented_at"] = base::iso8601_japan(p.presented_at);
  record["qr_age_seconds"] = p.age_seconds;
  record["profile"] = crypto::profile_name(p.profile);
  record["credential_id"] = base::encode_hex(p.cti);
  record["test_material"] = p.test_material;
  record["freshness_skipped"] = p.freshness_skipped;
  record["insurer_name"] = p.insurer_name;
  record["certificate"] = certificate_fields(p.certificate);
  return record;
}

std::string record_text(const ordered_json& record, int indent) {
  return record.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace kakunin::handoff
