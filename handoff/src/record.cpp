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

namespace {

ordered_json text_or_null(const std::string& text) {
  return text.empty() ? ordered_json() : ordered_json(text);
}

ordered_json answer_fields(const online::NationalAnswer& answer) {
  ordered_json out = {
      {"file_name", answer.file_name},
      {"segment_of_result", text_or_null(answer.segment_of_result)},
      {"processing_result_status", text_or_null(answer.processing_result_status)},
      {"qualification_validity", text_or_null(answer.validity)},
      {"code", text_or_null(answer.code)},
  };
  if (!answer.qualification) {
    out["qualification"] = nullptr;
    return out;
  }
  const online::Qualification& q = *answer.qualification;
  out["qualification"] = {
      {"insurer_number", q.insurer_number},
      {"symbol", text_or_null(q.symbol)},
      {"number", q.number},
      {"branch", text_or_null(q.branch)},
      {"name", q.name},
      {"birth_date", q.birth_date},
      {"relationship", text_or_null(q.relationship)},
      {"ratio", text_or_null(q.ratio)},
      {"valid_until", text_or_null(q.valid_until)},
      {"insurer_name", text_or_null(q.insurer_name)},
  };
  return out;
}

std::string_view field_name(online::OnlineField field) {
  switch (field) {
    case online::OnlineField::ratio:
      return "ratio";
    case online::OnlineField::valid_until:
      return "valid_until";
    case online::OnlineField::relationship:
      return "relationship";
    case online::OnlineField::name:
      return "name";
    case online::OnlineField::birth_date:
      return "birth_date";
    case online::OnlineField::branch:
      return "branch";
  }
  return "?";
}

}  // namespace

ordered_json online_record(const online::OnlineStatus& status,
                           const online::NationalAnswer* answer) {
  ordered_json differences = ordered_json::array();
  for (const online::OnlineDifference& d : status.differences)
    differences.push_back({{"field", field_name(d.field)}, {"national", d.national}});
  const bool has_reason = status.reason != online::OnlineReason::none;
  return {
      {"state", online::online_state_name(status.state)},
      {"reason",
       has_reason ? ordered_json(online::online_reason_name(status.reason)) : ordered_json()},
      {"code", text_or_null(status.code)},
      {"differences", differences},
      {"answer", answer ? answer_fields(*answer) : ordered_json()},
  };
}

std::string record_text(const ordered_json& record, int indent) {
  return record.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace kakunin::handoff
