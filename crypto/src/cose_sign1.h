// COSE_Sign1 as JHC1 restricts it (spec §2).
#pragma once

#include "cbor_reader.h"

#include <kakunin/crypto/jhc1.h>

#include <array>
#include <optional>
#include <string>

namespace kakunin::crypto {

enum class KidRule { required, absent, either };

struct Sign1 {
  Algorithm algorithm;
  std::optional<Kid> kid;
  ByteView protected_bytes;  // the protected header's bstr content
  ByteView payload;
  std::array<std::uint8_t, 64> signature;

  // Checks the signature over the Sig_structure with `key`. The caller has
  // already checked that `algorithm` is the key's.
  bool signature_verifies(const PublicKey& key) const;
};

// Parses a tagged COSE_Sign1 filling all of §2: tag 18, a 4-array, protected map
// with alg -7/-8 and kid per `kid_rule` and no other label, empty unprotected map,
// bstr payload, 64-byte signature. nullopt with a reason otherwise.
std::optional<Sign1> parse_sign1(ByteView bytes, KidRule kid_rule, std::string* error);

// A COSE alg value of JHC1, or nullopt for any other.
std::optional<Algorithm> algorithm_from_cose(std::int64_t alg);

}  // namespace kakunin::crypto
