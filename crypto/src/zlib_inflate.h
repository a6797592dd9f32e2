// Bounded zlib (RFC 1950) inflation for QR payloads.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string>

namespace kakunin::crypto {

inline constexpr std::size_t kMaxInflatedSize = 8192;  // spec §1

// Inflates a whole zlib stream. Refuses (nullopt, reason in *error) a stream that
// inflates past `limit`, a truncated or corrupt stream, and bytes after its end.
// Never allocates more than `limit` bytes of output to find out.
std::optional<Bytes> inflate_bounded(ByteView compressed, std::size_t limit, std::string* error);

}  // namespace kakunin::crypto
