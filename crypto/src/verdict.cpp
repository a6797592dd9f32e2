#include <kakunin/crypto/jhc1.h>

#include <array>

namespace kakunin::crypto {
namespace {

constexpr std::array<std::string_view, kVerdictCount> kNames = {
    "not_jhc1",
    "malformed",
    "no_trust_list",
    "test_material",
    "unknown_key",
    "wrong_insurer",
    "key_out_of_period",
    "bad_signature",
    "bad_holder_signature",
    "credential_expired",
    "stale",
    "clock_mismatch",
    "revoked",
    "certificate_expired",
    "valid",
};

}  // namespace

std::string_view verdict_name(Verdict verdict) { return kNames[static_cast<std::size_t>(verdict)]; }

std::optional<Verdict> verdict_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Verdict>(i);
  }
  return std::nullopt;
}

std::string_view profile_name(Profile profile) {
  return profile == Profile::issuer_signed ? "issuer" : "holder";
}

}  // namespace kakunin::crypto
