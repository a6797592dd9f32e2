#include "compare.h"

#include <kakunin/base/japan_time.h>
#include <kakunin/base/utf8.h>

namespace kakunin::online {
namespace {

// Names differ in spacing only between systems (全角 vs 半角 space, or none).
std::u32string without_spaces(std::string_view utf8) {
  std::u32string out;
  for (char32_t cp : base::decode_utf8_lossy(utf8)) {
    if (cp != U' ' && cp != U'\u3000') out.push_back(cp);
  }
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "030" -> 3 (tenths); nullopt for anything else.
std::optional<int> ratio_tenths(std::string_view code) {
  if (code == "010") return 1;
  if (code == "020") return 2;
  if (code == "030") return 3;
  return std::nullopt;
}

// yyyyMMdd -> "2027-03-31" to show; the text as is when it is not a date.
std::string shown_date(std::string_view yyyymmdd) {
  if (yyyymmdd.size() != 8) return std::string(yyyymmdd);
  return std::string(yyyymmdd.substr(0, 4)) + "-" + std::string(yyyymmdd.substr(4, 2)) + "-" +
         std::string(yyyymmdd.substr(6, 2));
}

void compare_fields(const crypto::Certificate& cert, const Qualification& q,
                    std::vector<OnlineDifference>& out) {
  // Each field only when the national answer carries it: an element left out is
  // not a disagreement.
  if (const auto national = ratio_tenths(q.ratio);
      national && cert.ratio_tenths && *national != *cert.ratio_tenths) {
    out.push_back({OnlineField::ratio, std::to_string(*national) + "割"});
  } else if (!q.ratio.empty() && !national) {
    out.push_back({OnlineField::ratio, std::string(q.ratio)});
  }
  if (!q.valid_until.empty() && q.valid_until != base::yyyymmdd(cert.valid_until))
    out.push_back({OnlineField::valid_until, shown_date(q.valid_until)});
  if (!q.relationship.empty()) {
    const std::string mine = cert.relationship == crypto::Relationship::insured ? "1" : "2";
    if (q.relationship != mine)
      out.push_back({OnlineField::relationship, q.relationship == "1" ? "本人" : "家族"});
  }
  if (!q.name.empty() && without_spaces(q.name) != without_spaces(cert.name))
    out.push_back({OnlineField::name, q.name});
  if (!q.birth_date.empty() && q.birth_date != base::yyyymmdd(cert.birth_date))
    out.push_back({OnlineField::birth_date, shown_date(q.birth_date)});
  if (!trimmed(q.branch).empty() && trimmed(q.branch) != cert.branch)
    out.push_back({OnlineField::branch, std::string(trimmed(q.branch))});
}

}  // namespace

OnlineStatus compare_with_certificate(const crypto::Certificate& cert,
                                      const NationalAnswer& answer) {
  OnlineStatus status;
  if (answer.processing_result_status != "1" || answer.segment_of_result != "1") {
    status.state = OnlineState::unavailable;
    status.reason = OnlineReason::error_answer;
    status.code = answer.code;
    return status;
  }
  if (answer.validity == "1") {
    compare_fields(cert, *answer.qualification, status.differences);
    status.state = status.differences.empty() ? OnlineState::confirmed : OnlineState::mismatch;
    return status;
  }
  if (answer.validity == "5") {
    status.state = OnlineState::unavailable;
    status.reason = OnlineReason::several_found;
    return status;
  }
  status.state = OnlineState::not_entitled;
  status.reason = answer.validity == "2"   ? OnlineReason::lost
                  : answer.validity == "3" ? OnlineReason::replaced
                                           : OnlineReason::not_found;
  return status;
}

}  // namespace kakunin::online
