// Fuzzes trust-list loading. First byte even: the rest is the JSON payload, signed
// here with the pinned key so the content parser is reached. Odd: raw COSE bytes.
#include "fuzz_world.h"

#include <cstdint>

namespace {
const kakunin::fuzzing::FuzzWorld& world() {
  static const auto* instance = new kakunin::fuzzing::FuzzWorld();
  return *instance;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const kakunin::crypto::ByteView rest(data + 1, size - 1);
  const auto bytes = (data[0] & 1) ? kakunin::crypto::Bytes(rest.begin(), rest.end())
                                   : kakunin::signer::sign_list_payload(rest, world().list_key);
  const auto loaded = kakunin::crypto::TrustList::load(bytes, world().pins, 1);
  if (loaded.ok()) {
    for (const auto& issuer : loaded.value()->issuers()) {
      for (const auto& key : issuer.keys) {
        if (loaded.value()->find_key(key.kid)->issuer != &issuer) __builtin_trap();
      }
    }
  }
  return 0;
}
