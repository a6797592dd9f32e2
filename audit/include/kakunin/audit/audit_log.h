// Kakunin audit log: one row per verdict, in SQLite, hash-chained so that an
// edited, deleted or inserted row is detected. What is stored and why, what never
// is, retention, verifying and exporting: docs/audit.md.
//
// Use:
//   auto opened = AuditLog::open(config.audit, options);  // creates the DB and the key
//   if (!opened.ok()) { log(opened.error().message); refuse to start; }  // key or config error
//   AuditLog& log = opened.value();
//   if (!log.record(result, now, config.kiosk.id).ok()) { /* the row is lost: say so */ }
//   show(result);                                          // the row is durable by now
//   RecordingStatus status = log.recording_status();       // each second, for the screen
//   ChainReport report = log.verify_chain();               // `kakunin audit verify`
//
// record() returns within milliseconds whatever the database does: the row is
// first made durable in a crash-safe queue on the kiosk's disk, and a thread of
// the log's own writes it into the database in order, retrying while the
// database is locked, full or damaged. A locked, full or damaged database never
// stops open() (the status says so); a bad key or a file that is not an audit
// log does. docs/audit.md "When the database does not answer".
//
// Stored per row: time (UTC), the §10 verdict, the profile, and — only for valid
// results — the 保険者番号, the QR's age and a keyed pseudonym of the cti. Never
// the 記号・番号, name, kana or birth date (健康保険法 194条の2).
//
// Thread-safe: one AuditLog may be used from several threads. One process
// records into a database at a time; others may read it.
// No function here throws across this header; failures are values.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/log.h>
#include <kakunin/base/result.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace kakunin::audit {

// Rows are kept this many days beyond audit.retention_days before the purge
// removes them, for what the clock checks cannot see (docs/audit.md says why).
inline constexpr int kRetentionMarginDays = 90;

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

// Whether verdicts are being recorded, for the screen and the journal.
enum class RecordingState {
  recording,      // rows reach the database (maybe a moment late)
  delayed,        // the database does not answer: rows wait, safe, in the queue
  not_recording,  // the last verdict could not even be queued: it is not recorded
};
// Why, when anything is wrong.
enum class RecordingProblem {
  none,
  database_locked,       // another program holds the database's write lock
  disk_full,             // no room for the database (or, not_recording, the queue)
  database_damaged,      // SQLite says the file is corrupt or not a database
  database_unavailable,  // it cannot be opened or written: permissions, I/O, removed, ...
  queue_unwritable,      // the queue folder cannot be written (not for lack of room)
};
std::string_view recording_state_name(RecordingState state);        // "recording", ...
std::string_view recording_problem_name(RecordingProblem problem);  // "database_locked", ...

struct RecordingStatus {
  RecordingState state = RecordingState::recording;
  // May be set while still `recording`: disk_full when the queue had to use its
  // reserve (rows are recorded, but the disk needs attention).
  RecordingProblem problem = RecordingProblem::none;
  std::int64_t rows_waiting = 0;  // durable in the queue, not yet in the database
  std::string detail;             // English, the OS's or SQLite's words; empty when all is well
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
  // Where the log says what it did and what went wrong ("audit: ..." lines:
  // purges and refused purges, the database not answering, a verdict not
  // recorded; English, no personal data). The kiosk passes its one Logger. A
  // default (silent) Logger is replaced by standard error: a purge is never
  // silent.
  base::Logger log;
  // The daily purge inside record() (the kiosk). `kakunin audit purge` turns it
  // off and calls purge() itself.
  bool purge_daily = true;
};

class AuditLog {
 public:
  // Opens (creating when missing) the database for recording, and the per-kiosk
  // pseudonym key at settings.secret_file (32 random bytes, created 0600; refused
  // when readable or writable by anyone but the owner, or not 32 bytes).
  static base::Result<AuditLog> open(const config::AuditSettings& settings,
                                     AuditOptions options = {});
  // Opens an existing database read-only, for verify and export (no key needed).
  static base::Result<AuditLog> open_for_review(const std::filesystem::path& database);

  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;
  ~AuditLog();

  // Records one row for this verdict. Refused results carry no personal data, so
  // only their verdict and profile are stored. Returns once the row is durable in
  // the queue (written and fsync'ed, a few milliseconds), never waiting for the
  // database; the value is the row's place in the queue's order. An error means
  // the row could not be made durable anywhere: the verdict is not recorded, and
  // recording_status() says not_recording until a later row succeeds.
  base::Result<std::int64_t> record(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                                    const std::string& kiosk_id);

  // Whether rows reach the database; cheap (no I/O), for a screen that polls.
  RecordingStatus recording_status() const;

  // Asks the writer to write every row recorded so far now (no backoff), and
  // waits until they are in the database or the attempt failed, at most
  // `timeout`. For tests and for a caller about to read the database.
  base::Status flush(std::chrono::milliseconds timeout);

  // The daily purge runs in the writer thread at start and every 24 hours
  // (steady time; after a refused or failed purge, an hour later). A failed
  // purge does not stop the recording; last_purge_error() tells it.

  // Why the last automatic purge failed or was refused (nullopt: it succeeded or
  // has not run).
  std::optional<base::Error> last_purge_error() const;

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
  base::Result<PurgeReport> purge(std::optional<crypto::UnixSeconds> now = std::nullopt);

  // CSV (RFC 4180, UTF-8, header line) of the rows in `range`, oldest first.
  base::Status export_csv(std::ostream& out, const ExportRange& range = {}) const;

  // The keyed pseudonym of a cti as stored (64 hex digits). Needs the key, so
  // only on a log opened with open(). Lets an operator find the rows of one
  // certificate (e.g. one named in a complaint) without the log holding the cti.
  base::Result<std::string> pseudonym_hex(const crypto::Cti& cti) const;

 private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kakunin::audit
