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

#include <kakunin/base/clock.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kakunin::audit {

// Rows are kept this many days beyond audit.retention_days before the purge
// removes them, for what the clock checks cannot see (docs/audit.md says why).
inline constexpr int kRetentionMarginDays = 90;

// What went wrong, in English for logs and the CLI. Never personal data.
struct AuditError {
  std::string message;
};

// A value or an AuditError.
template <typename T, typename E = AuditError>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return state_.index() == 0; }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

// Nothing to return, or an AuditError.
using Status = std::optional<AuditError>;

// A purge as its record in the chain tells it: rows purged_from..purged_through
// were removed on `time` because they were written before `cutoff`.
struct PurgeRecord {
  std::int64_t record_id = 0;  // the purge record's own row
  crypto::UnixSeconds time = 0;
  std::int64_t purged_from = 0;
  std::int64_t purged_through = 0;
  std::optional<crypto::UnixSeconds> cutoff;  // unknown for purges made before schema 2
};

// The outcome of checking the hash chain.
struct ChainReport {
  bool intact = false;
  std::int64_t rows = 0;      // rows checked
  std::int64_t first_id = 0;  // 0 when the log is empty
  std::int64_t last_id = 0;
  std::int64_t purged_through = 0;        // rows up to this id were purged (retention)
  std::optional<PurgeRecord> last_purge;  // the purge record that vouches for purged_through
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
  // When rows were removed: the record the purge left in the chain, and the
  // times of the oldest and newest row removed.
  std::optional<PurgeRecord> record;
  crypto::UnixSeconds oldest_removed = 0;
  crypto::UnixSeconds newest_removed = 0;
};

// How the log is run; every field has a working default.
struct AuditOptions {
  // Wall time for the purge, steady time for its schedule. Default: the system clock.
  const base::Clock* clock = nullptr;
  // Why the clock cannot be trusted for a purge right now, or nullopt when it
  // can; asked before every purge, which refuses while there is a reason.
  // Default: the kernel's time synchronisation (sync::ClockCheck without a sync
  // server). The kiosk passes its own ClockCheck, which also knows the offset
  // from the sync server's Date.
  std::function<std::optional<std::string>()> clock_problem;
  // Where the log says what it did and what went wrong (purges, refused purges;
  // English, no personal data). Default: standard error, "kakunin: audit: ...".
  std::function<void(std::string_view)> log;
  // The daily purge inside record() (the kiosk). `kakunin audit purge` turns it
  // off and calls purge() itself.
  bool purge_daily = true;
};

class AuditLog {
 public:
  // Opens (creating when missing) the database for recording, and the per-kiosk
  // pseudonym key at settings.secret_file (32 random bytes, created 0600; refused
  // when readable or writable by anyone but the owner, or not 32 bytes).
  static Result<AuditLog> open(const config::AuditSettings& settings, AuditOptions options = {});
  // Opens an existing database read-only, for verify and export (no key needed).
  static Result<AuditLog> open_for_review(const std::filesystem::path& database);

  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;
  ~AuditLog();

  // Appends one row for this verdict and returns its id once it is committed
  // (synchronous=FULL). Refused results carry no personal data, so only their
  // verdict and profile are stored.
  // This is also the daily purge: the first record() after opening, and then the
  // first one each 24 hours (steady time), runs purge() first; after a refused or
  // failed purge, the first one an hour later. A failed purge does not stop the
  // recording; last_purge_error() tells it.
  Result<std::int64_t> record(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                              const std::string& kiosk_id);

  // Why the last automatic purge failed or was refused (nullopt: it succeeded or
  // has not run).
  std::optional<AuditError> last_purge_error() const;

  // Checks every row's hash and the links between rows, from the purge
  // checkpoint (or the start) to the last row.
  ChainReport verify_chain() const;

  // Removes the rows written more than retention_days + 90 days (the margin,
  // docs/audit.md) before now (the oldest run of rows only, so the chain stays
  // whole), keeps the last removed row's hash as the checkpoint the chain
  // verifies from, and appends a purge record to the chain saying what went.
  // Refused, removing nothing:
  //  - while options.clock_problem gives a reason (not asked when the caller
  //    gives `now`: an operator's `kakunin audit purge --now` vouches for it);
  //  - when now is more than a day past the newest row written before the log
  //    was opened plus the steady time since (the clock jumped ahead);
  //  - when the rows to remove do not verify: they are evidence.
  Result<PurgeReport> purge(std::optional<crypto::UnixSeconds> now = std::nullopt);

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
