// Verdicts for tests of the layers above the verifier (state machine, screens,
// sinks), which need a VerifyResult without a signed QR. Only tests include this:
// the kiosk makes every VerifyResult through Verifier::verify.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string>
#include <utility>

namespace kakunin::crypto {

struct VerifyResultForTesting {
  // A refusal (a `valid` verdict here still comes back as malformed: a valid
  // result always carries its presentation).
  static VerifyResult refusal(Verdict verdict, std::string detail,
                              std::optional<Profile> profile = std::nullopt) {
    return VerifyResult(verdict, std::move(detail), profile);
  }
  static VerifyResult valid(VerifiedPresentation presentation) {
    return VerifyResult(std::move(presentation));
  }
};

}  // namespace kakunin::crypto
