// Fuzzes the whole verifier. First byte even: the rest is QR text. Odd: the rest
// is COSE bytes, compressed and Base45-encoded here so the fuzzer works on CBOR.
#include "fuzz_world.h"

#include <cstdint>
#include <string>

namespace {
const kakunin::crypto::Verifier& verifier() {
  static const auto instance = kakunin::fuzzing::shared_world().verifier();
  return *instance;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string text =
      (data[0] & 1) ? kakunin::signer::to_qr_text({data + 1, size - 1}) : rest;
  const auto result = verifier().verify(text, kakunin::fuzzing::kFuzzNow);
  // A refusal must never carry a certificate; a valid result always does.
  if (result.is_valid() != (result.presentation() != nullptr)) __builtin_trap();
  return 0;
}
