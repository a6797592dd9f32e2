#include "trust_files.h"

#include <fstream>

namespace kakunin::kiosk {

std::optional<crypto::Bytes> read_file(const std::string& path, std::size_t max_bytes,
                                       std::string* error) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    *error = "cannot open " + path;
    return std::nullopt;
  }
  const std::streamoff size = file.tellg();
  if (size < 0 || static_cast<std::size_t>(size) > max_bytes) {
    *error = path + " is larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  crypto::Bytes bytes(static_cast<std::size_t>(size));
  file.seekg(0);
  if (!file.read(reinterpret_cast<char*>(bytes.data()), size)) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  return bytes;
}

std::optional<crypto::PinnedKeys> load_pinned_keys(const std::vector<std::string>& paths,
                                                   std::string* error) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& path : paths) {
    const auto pem = read_file(path, 64 * 1024, error);
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
