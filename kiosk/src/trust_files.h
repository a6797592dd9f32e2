// Reading trust material from files, for commands run by operators.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::kiosk {

// Largest trust or revocation list file read (4 million revoked ids fit).
inline constexpr std::int64_t kMaxListFileBytes = 64LL << 20;

// The pinned trust-list keys from PEM files; nullopt with a reason otherwise.
std::optional<crypto::PinnedKeys> load_pinned_keys(const std::vector<std::string>& paths,
                                                   std::string* error);

}  // namespace kakunin::kiosk
