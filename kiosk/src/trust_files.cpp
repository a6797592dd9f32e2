#include "trust_files.h"

#include <kakunin/sync/sync.h>

namespace kakunin::kiosk {

std::optional<crypto::PinnedKeys> load_pinned_keys(const std::vector<std::string>& paths,
                                                   std::string* error) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& path : paths) {
    const auto pem = sync::read_whole_file(path, 64 * 1024, error);
    if (!pem) return std::nullopt;
    auto key = crypto::PublicKey::from_pem(std::string(pem->begin(), pem->end()));
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
