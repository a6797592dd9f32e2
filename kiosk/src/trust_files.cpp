#include "trust_files.h"

#include <kakunin/base/read_file.h>

namespace kakunin::kiosk {

std::optional<crypto::PinnedKeys> load_pinned_keys(const std::vector<std::string>& paths,
                                                   std::string* error) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& path : paths) {
    const auto pem = base::read_file(path, std::size_t{64} * 1024);
    if (!pem.ok()) {
      *error = pem.error().message;
      return std::nullopt;
    }
    auto key = crypto::PublicKey::from_pem(pem.value());
    if (!key) {
      *error = path + " is not a P-256 or Ed25519 public key (PEM)";
      return std::nullopt;
    }
    keys.push_back(std::move(*key));
  }
  auto pins = crypto::PinnedKeys::from_keys(std::move(keys));
  if (!pins) *error = "give one or two different pinned keys";
  return pins;
}

}  // namespace kakunin::kiosk
