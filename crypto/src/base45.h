// Base45 (RFC 9285) decoding, strict: only the 45-character QR alphanumeric
// alphabet, no length that leaves a single character, no group over its range.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string_view>

namespace kakunin::crypto {

std::optional<Bytes> base45_decode(std::string_view text);

}  // namespace kakunin::crypto
