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

void compare_fields(const crypto::Certificate& cert, const Qualification& q,
                    std::vector<OnlineDifference>& out) {
  // Each field only when the national answer carries it: an element left out is
  // not a disagreement.
  const std::string_view ratio = trimmed(q.ratio);
  if (const auto national = ratio_tenths(ratio);
      (national && cert.ratio_tenths && *national != *cert.ratio_tenths) ||
      (!ratio.empty() && !national)) {
    out.push_back({OnlineField::ratio, std::string(ratio)});
  }
  const std::string_view valid_until = trimmed(q.valid_until);
  if (!valid_until.empty() && valid_until != base::yyyymmdd(cert.valid_until))
    out.push_back({OnlineField::valid_until, std::string(valid_until)});
  const std::string_view relationship = trimmed(q.relationship);
  if (!relationship.empty()) {
    const std::string mine = cert.relationship == crypto::Relationship::insured ? "1" : "2";
    if (relationship != mine) out.push_back({OnlineField::relationship, std::string(relationship)});
  }
  if (!q.name.empty() && without_spaces(q.name) != without_spaces(cert.name))
    out.push_back({OnlineField::name, q.name});
  const std::string_view birth_date = trimmed(q.birth_date);
  if (!birth_date.empty() && birth_date != base::yyyymmdd(cert.birth_date))
    out.push_back({OnlineField::birth_date, std::string(birth_date)});
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
