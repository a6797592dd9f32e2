// Fuzzes trust-list loading (input format: list_bytes in fuzz_world.h).
#include "fuzz_world.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kakunin;
  if (size == 0) return 0;
  const auto loaded =
      crypto::TrustList::load(fuzzing::list_bytes(data, size), fuzzing::shared_world().pins,
                              crypto::HighWaterMark::at(std::uint64_t{1}));
  if (loaded.ok()) {
    // Every listed key must be found again under the issuer that lists it.
    for (const auto& issuer : loaded.value()->issuers()) {
      for (const auto& key : issuer.keys) {
        if (loaded.value()->find_key(key.kid)->issuer != &issuer) __builtin_trap();
      }
    }
  }
  return 0;
}
