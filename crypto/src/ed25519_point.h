// Is a 32-byte Ed25519 public key usable (spec §6)? Canonical encoding and not of
// small order.
#pragma once

#include <kakunin/crypto/jhc1.h>

namespace kakunin::crypto {

// True when `raw` (RFC 8032 §5.1.2 encoding) is the canonical encoding of a point
// on the curve whose order is not a divisor of 8. Refused:
// - y >= p, and x = 0 with the sign bit set (non-canonical encodings: two
//   encodings of one point would give one key two kids);
// - a y for which no x exists (not a point on the curve);
// - the eight points of small order (the identity among them): with such a key,
//   a signature that anyone can write verifies for every message.
// OpenSSL 3 imports any 32 bytes as an Ed25519 key and exposes no point arithmetic,
// so the check is written here with its BIGNUM modular arithmetic; it runs once per
// key when a list or a pinned key is loaded, never per QR.
bool is_usable_ed25519_public_key(ByteView raw);

}  // namespace kakunin::crypto
