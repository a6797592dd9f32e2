// Shared first step of loading a trust list or a revocation list: the COSE_Sign1
// must be signed by a pinned trust-list key, with that key's algorithm.
#pragma once

#include "cose_sign1.h"

#include <kakunin/crypto/jhc1.h>

#include <variant>

namespace kakunin::crypto {

std::variant<Sign1, ListError> open_signed_list(ByteView cose_bytes, const PinnedKeys& pins);

// Anti-rollback (§6, §7): a lower sequence than the one held is refused.
std::optional<ListError> check_sequence(std::uint64_t sequence,
                                        std::optional<std::uint64_t> held_sequence);

}  // namespace kakunin::crypto
