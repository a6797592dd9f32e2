// Our own JSON record of one hand-off (docs/handoff.md documents every field).
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kakunin::handoff {

inline constexpr std::string_view kRecordFormat = "kakunin-handoff";
inline constexpr int kRecordVersion = 1;

struct RecordRequest {
  const crypto::VerifiedPresentation& presentation;
  crypto::UnixSeconds checked_at;
  std::string_view kiosk_id;
  std::uint64_t sequence;
};

// The record as JSON text: `indent` < 0 for one line (the POST body), >= 0 pretty.
// Strings that are not well-formed UTF-8 cannot occur (the verifier only passes
// text strings), but would be replaced rather than throw.
std::string handoff_record_json(const RecordRequest& request, int indent);

// kakunin-handoff_<kiosk>_<yyyyMMddHHmmss>_<seq>.json
std::string handoff_record_file_name(std::string_view kiosk_id, crypto::UnixSeconds checked_at,
                                     std::uint64_t sequence);

}  // namespace kakunin::handoff
