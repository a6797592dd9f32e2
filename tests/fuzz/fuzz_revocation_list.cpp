// Fuzzes revocation-list loading. First byte even: the rest is the CBOR payload,
// signed here with the pinned key. Odd: raw COSE bytes.
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
  const auto loaded = kakunin::crypto::RevocationList::load(bytes, world().pins, 1);
  if (loaded.ok()) {
    const auto& list = *loaded.value();
    kakunin::crypto::Cti probe{};
    for (std::uint8_t fill : {0x00, 0x11, 0x22, 0xff}) {
      probe.fill(fill);
      (void)list.contains(probe);
    }
  }
  return 0;
}
