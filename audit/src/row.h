// One audit row and the hash that chains it to the row before.
#pragma once

#include "pseudonym_key.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::audit::detail {

struct Row {
  std::int64_t id = 0;
  std::int64_t time = 0;                       // Unix seconds, UTC
  std::string verdict;                         // §10 machine name
  std::optional<std::string> profile;          // "issuer" / "holder", when known
  std::optional<std::string> insurer_number;   // 保険者番号, valid results only
  std::optional<std::int64_t> qr_age_seconds;  // valid results only
  std::optional<std::int64_t> test_material;   // 1 / 0, valid results only
  std::string kiosk_id;
  std::optional<std::vector<std::uint8_t>> cti_pseudonym;  // valid results only
};

// The bytes a row's hash covers. Hand-written rather than, say, CBOR from the
// crypto library: a fixed field order with length prefixes and presence flags is
// all that is needed to make the encoding unambiguous, and it is short enough to
// re-implement in an auditor's own script (docs/audit.md gives it).
std::vector<std::uint8_t> canonical_encoding(const Row& row);

// SHA-256(previous hash || canonical_encoding(row)).
std::optional<Digest> chain_hash(const std::vector<std::uint8_t>& previous, const Row& row);

// The hash the first row links to when nothing was purged: 32 zero bytes.
std::vector<std::uint8_t> genesis_hash();

}  // namespace kakunin::audit::detail
