// Kakunin's one JSON form of a verified certificate: the hand-off's JSON file and
// POST body, and the `record` of `kakunin verify --json`, built here and nowhere
// else, so an integrator testing with the CLI reads exactly what the kiosk will
// hand over. Every field is documented in docs/handoff.md §2.
//
//   // kakunin verify --json: the verification alone
//   nlohmann::ordered_json record = handoff::certificate_record(presentation, checked_at);
//   // a hand-off: the same, with its number and the kiosk's id
//   auto record = handoff::certificate_record(presentation, checked_at, {{42, "desk-1"}});
//   std::string body = handoff::record_text(record, -1);  // one line (POST); 2: pretty (file)
//
// "format": "kakunin-handoff", "version": 1. A reader refuses versions it does not
// know; fields may be added within a version, never removed or changed. Only built
// for a result the verifier passed: it carries personal data (name, birth date,
// insurer and member numbers) and is never logged.
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/online/online.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kakunin::handoff {

inline constexpr std::string_view kRecordFormat = "kakunin-handoff";
inline constexpr int kRecordVersion = 1;

// What makes a record a hand-off: its number (also in the file names and the
// Idempotency-Key) and the kiosk that handed it over.
struct HandOffNumber {
  std::uint64_t sequence = 0;
  std::string_view kiosk_id;
};

// The record of `presentation`, verified at `checked_at` (Unix time); with
// `hand_off`, its `sequence` and `kiosk_id` too.
nlohmann::ordered_json certificate_record(const crypto::VerifiedPresentation& presentation,
                                          crypto::UnixSeconds checked_at,
                                          std::optional<HandOffNumber> hand_off = std::nullopt);

// The `online` member of a hand-off's record (docs/handoff.md §2): what the national
// system said about the certificate and, when it answered, the answer's fields as
// its file wrote them.
nlohmann::ordered_json online_record(const online::OnlineStatus& status,
                                     const online::NationalAnswer* answer);

// As text: `indent` < 0 for one line, >= 0 pretty-printed. A string that is not
// well-formed UTF-8 cannot occur (the verifier passes only text strings) but would
// be replaced rather than throw.
std::string record_text(const nlohmann::ordered_json& record, int indent);

}  // namespace kakunin::handoff
