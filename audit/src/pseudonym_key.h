// The per-kiosk key behind the cti pseudonyms: 32 random bytes in a file only
// its owner can read. Without it, a row's pseudonym cannot be linked to a
// certificate; with it, the same certificate is recognised across rows.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kakunin::audit::detail {

using Digest = std::array<std::uint8_t, 32>;

class PseudonymKey {
 public:
  // Reads the key, creating it (0600, atomically) when the file does not exist.
  // Refused: a symlink, not a regular file, group/other permissions, another
  // owner, or not exactly 32 bytes.
  static std::optional<PseudonymKey> load_or_create(const std::filesystem::path& path,
                                                    std::string* error);
  PseudonymKey(const PseudonymKey&) = delete;
  PseudonymKey& operator=(const PseudonymKey&) = delete;
  PseudonymKey(PseudonymKey&& other) noexcept;
  PseudonymKey& operator=(PseudonymKey&& other) noexcept;
  ~PseudonymKey();

  // HMAC-SHA256(key, cti).
  std::optional<Digest> pseudonym(const crypto::Cti& cti) const;

 private:
  PseudonymKey() = default;
  Digest key_{};
};

std::optional<Digest> sha256(const std::uint8_t* data, std::size_t size);

}  // namespace kakunin::audit::detail
