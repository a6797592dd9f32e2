// One audit row and the hash that chains it to the row before. A row is either a
// verdict (one QR checked) or a purge record (rows removed by the retention
// policy, docs/audit.md "Retention and the daily purge").
#pragma once

#include "pseudonym_key.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kakunin::audit::detail {

// The `verdict` of a purge record: not one of the spec's §10 names, so it can
// never be mistaken for a check.
inline constexpr const char* kPurgeVerdict = "purge";

// What a purge record vouches for: rows purged_from..purged_through were removed,
// the last of them had purged_hash (the chain_checkpoint the chain now starts
// from), and every removed row was written before `cutoff`.
struct PurgeFacts {
  std::int64_t purged_from = 0;
  std::int64_t purged_through = 0;
  std::optional<std::int64_t> cutoff;  // unknown for purges made before schema 2
  std::vector<std::uint8_t> purged_hash;
};

struct Row {
  std::int64_t id = 0;
  std::int64_t time = 0;                                   // Unix seconds, UTC
  std::string verdict;                                     // §10 machine name, or kPurgeVerdict
  std::optional<std::string> profile;                      // "issuer" / "holder", when known
  std::optional<std::string> insurer_number;               // 保険者番号, valid results only
  std::optional<std::int64_t> qr_age_seconds;              // valid results only
  std::optional<std::int64_t> test_material;               // 1 / 0, valid results only
  std::string kiosk_id;                                    // empty on purge records
  std::optional<std::vector<std::uint8_t>> cti_pseudonym;  // valid results only
  std::optional<PurgeFacts> purge;                         // purge records only
};

// The bytes a row's hash covers. Hand-written rather than, say, CBOR from the
// crypto library: a fixed field order with length prefixes and presence flags is
// all that is needed to make the encoding unambiguous, and it is short enough to
// re-implement in an auditor's own script (docs/audit.md gives it). Verdict rows
// and purge records have their own domain strings, so neither can pass for the
// other.
std::vector<std::uint8_t> canonical_encoding(const Row& row);

// SHA-256(previous hash || canonical_encoding(row)).
std::optional<Digest> chain_hash(const std::vector<std::uint8_t>& previous, const Row& row);

// The hash the first row links to when nothing was purged: 32 zero bytes.
std::vector<std::uint8_t> genesis_hash();

// A verdict row waiting in the crash-safe queue (its id and hash are given when
// it reaches the database), with the random key that stops a row replayed after
// a crash from being written twice. It holds exactly the row's fields, nothing
// more (docs/audit.md "What is never stored").
struct QueuedRow {
  std::vector<std::uint8_t> key;  // kQueueKeyBytes random bytes
  Row row;                        // id 0, no purge facts
};
inline constexpr std::size_t kQueueKeyBytes = 16;

// A queue file's bytes: the fields in the canonical style under their own domain
// string, then the SHA-256 of all that, so a damaged file is told from a row.
std::vector<std::uint8_t> encode_queued(const QueuedRow& queued);
// nullopt when the bytes are not exactly one intact encode_queued() output.
std::optional<QueuedRow> decode_queued(std::span<const std::uint8_t> bytes);

}  // namespace kakunin::audit::detail
