// Kakunin audit log: one row per verdict, in SQLite, hash-chained so that an
// edited, deleted or inserted row is detected. What is stored and why, what never
// is, retention, verifying and exporting: docs/audit.md.
//
// Use:
//   auto opened = AuditLog::open(config.audit);          // creates the DB and the key
//   if (!opened.ok()) { log(opened.error().message); refuse to start; }
//   AuditLog& log = opened.value();
//   log.record(result, now, config.kiosk.id);            // after every verdict
//   ChainReport report = log.verify_chain();              // `kakunin audit verify`
//
// Stored per row: time (UTC), the §10 verdict, the profile, and — only for valid
// results — the 保険者番号, the QR's age and a keyed pseudonym of the cti. Never
// the 記号・番号, name, kana or birth date (健康保険法 194条の2).
//
// Thread-safe: one AuditLog may be used from several threads (calls are
// serialised). One process writes a database at a time; others may read it.
// No function here throws across this header; failures are values.
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <variant>

namespace kakunin::audit {

// What went wrong, in English for logs and the CLI. Never personal data.
struct AuditError {
  std::string message;
};

// A value or an AuditError.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(AuditError error) : state_(std::move(error)) {}
  bool ok() const { return std::holds_alternative<T>(state_); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  const AuditError& error() const { return std::get<AuditError>(state_); }

 private:
  std::variant<T, AuditError> state_;
};

// Nothing to return, or an AuditError.
using Status = std::optional<AuditError>;

// The outcome of checking the hash chain.
struct ChainReport {
  bool intact = false;
  std::int64_t rows = 0;      // rows checked
  std::int64_t first_id = 0;  // 0 when the log is empty
  std::int64_t last_id = 0;
  std::int64_t purged_through = 0;        // rows up to this id were purged (retention)
  std::string head_hash_hex;              // the last row's hash: note it to detect a rewrite later
  std::optional<std::int64_t> broken_at;  // the first row that does not verify
  std::string problem;                    // English: what is wrong (empty when intact)
};

// Which rows to export; both bounds inclusive, as Unix times (UTC).
struct ExportRange {
  std::optional<crypto::UnixSeconds> since;
  std::optional<crypto::UnixSeconds> until;
};

struct PurgeReport {
  std::int64_t rows_removed = 0;
  std::int64_t purged_through = 0;  // id of the last purged row (0: none ever)
};

class AuditLog {
 public:
  // Opens (creating when missing) the database for recording, and the per-kiosk
  // pseudonym key at settings.secret_file (32 random bytes, created 0600; refused
  // when readable or writable by anyone but the owner, or not 32 bytes).
  static Result<AuditLog> open(const config::AuditSettings& settings);
  // Opens an existing database read-only, for verify and export (no key needed).
  static Result<AuditLog> open_for_review(const std::filesystem::path& database);

  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;
  ~AuditLog();

  // Appends one row for this verdict and returns its id once it is committed
  // (synchronous=FULL). Refused results carry no personal data, so only their
  // verdict and profile are stored.
  // This is also the daily purge: the first record() after opening, and then the
  // first one each 24 hours (by `now`), runs purge(now) first. A failed purge
  // does not stop the recording; last_purge_error() tells it.
  Result<std::int64_t> record(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                              const std::string& kiosk_id);

  // Why the last automatic purge failed (nullopt: it succeeded or has not run).
  std::optional<AuditError> last_purge_error() const;

  // Checks every row's hash and the links between rows, from the purge
  // checkpoint (or the start) to the last row.
  ChainReport verify_chain() const;

  // Removes the rows older than retention_days before `now` (the oldest run of
  // rows only, so the chain stays whole) and records the last removed row's hash
  // as the checkpoint the chain verifies from. Refused, removing nothing, when
  // the rows to remove do not verify: they are evidence.
  Result<PurgeReport> purge(crypto::UnixSeconds now);

  // CSV (RFC 4180, UTF-8, header line) of the rows in `range`, oldest first.
  Status export_csv(std::ostream& out, const ExportRange& range = {}) const;

  // The keyed pseudonym of a cti as stored (64 hex digits). Needs the key, so
  // only on a log opened with open(). Lets an operator find the rows of one
  // certificate (e.g. one named in a complaint) without the log holding the cti.
  Result<std::string> pseudonym_hex(const crypto::Cti& cti) const;

 private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kakunin::audit
