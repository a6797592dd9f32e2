// Fuzzes the whole verifier. First byte even: the rest is QR text. Odd: the rest
// is COSE bytes, compressed and Base45-encoded here so the fuzzer works on CBOR
// and COSE directly instead of spending its mutations on Base45 and zlib.
#include "fuzz_world.h"

#include <cstdint>
#include <string>

namespace {

using namespace kakunin;

const crypto::Verifier& verifier() {
  static const auto instance = fuzzing::shared_world().verifier();
  return *instance;
}

void check(bool invariant) {
  if (!invariant) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string text = (data[0] & 1) ? signer::to_qr_text({data + 1, size - 1}) : rest;
  const auto result = verifier().verify(text, fuzzing::kFuzzNow);

  // A refusal never carries a certificate; a valid result always does.
  check(result.is_valid() == (result.presentation() != nullptr));
  // Every verdict is one of the closed set, with a machine name.
  check(!crypto::verdict_name(result.verdict()).empty());
  // Text without the prefix is not_jhc1 and nothing else (§1).
  check(text.starts_with("JHC1:") == (result.verdict() != crypto::Verdict::not_jhc1));
  if (const auto* p = result.presentation()) {
    // Only what §4 allows reaches the screen.
    check(crypto::is_valid_insurer_number(p->certificate.insurer_number));
    check(p->certificate.branch.size() == 2);
    check(p->certificate.reason.has_value() ==
          (p->certificate.category == crypto::IssueCategory::on_application));
    check(p->age_seconds >= -10 && p->age_seconds <= 30);  // §9 defaults
  }
  return 0;
}
