// Fuzzes revocation-list loading (input format: list_bytes in fuzz_world.h).
#include "fuzz_world.h"

#include <algorithm>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kakunin;
  if (size == 0) return 0;
  const auto loaded =
      crypto::RevocationList::load(fuzzing::list_bytes(data, size), fuzzing::shared_world().pins,
                                   crypto::HighWaterMark::at(std::uint64_t{1}));
  if (!loaded.ok()) return 0;
  const auto& list = *loaded.value();
  crypto::Cti probe{};
  for (std::uint8_t fill : {0x00, 0x11, 0x22, 0xff}) {
    probe.fill(fill);
    (void)list.contains(probe);
  }
  // The input's last 16 bytes: often an id the fuzzer copied into the list.
  if (size >= 1 + probe.size()) {
    std::copy(data + size - probe.size(), data + size, probe.begin());
    (void)list.contains(probe);
  }
  return 0;
}
