// Shared first step of loading a trust list or a revocation list: the COSE_Sign1
// must be signed by a pinned trust-list key, with that key's algorithm.
#pragma once

#include "cose_sign1.h"

#include <kakunin/crypto/jhc1.h>

#include <new>
#include <variant>

namespace kakunin::crypto {

std::variant<Sign1, ListError> open_signed_list(ByteView cose_bytes, const PinnedKeys& pins);

// Anti-rollback (§6, §7): a lower sequence than the high-water mark is refused.
std::optional<ListError> check_sequence(std::uint64_t sequence, const HighWaterMark& seen);

// Runs a list parser so that nothing escapes the public header: memory is bounded
// by design (docs/verification.md), and should an allocation still fail, the list
// is refused with a reason instead of std::bad_alloc crossing into the kiosk.
// Any other exception is a parser bug: noexcept ends the process, which the fuzzers see.
template <typename T, typename Parse>
// NOLINTNEXTLINE(bugprone-exception-escape)
Loaded<T> load_without_throwing(Parse&& parse) noexcept {
  try {
    return parse();
  } catch (const std::bad_alloc&) {
    return ListError{ListError::Kind::unreadable, "out of memory while reading the list"};
  }
}

}  // namespace kakunin::crypto
