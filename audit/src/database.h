// The audit database: the SQLite file, its schema and what is done to the chain
// (append, verify, purge, export). Errors carry SQLite's result code so the
// caller can tell a locked, full or damaged database from a wrong file.
//
// Not thread-safe: one owner at a time (the AuditLog, under its mutex).
#pragma once

#include <kakunin/audit/audit_log.h>

#include "row.h"
#include "sqlite.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kakunin::audit::detail {

// What failed, in English, and SQLite's extended result code (0 when SQLite
// answered but the file is not usable as this audit log: another program's
// database, a newer schema, no write-ahead logging).
struct DbError {
  std::string message;
  int sqlite_code = 0;
};

template <typename T>
using DbResult = base::Result<T, DbError>;

// A purge as decided by the policy (purge_policy.h): remove the oldest run of rows
// written before `cutoff`, and record it at `now`.
struct PurgeRequest {
  crypto::UnixSeconds now = 0;
  crypto::UnixSeconds cutoff = 0;
};

class Database {
 public:
  // Opens (creating when missing) for writing: WAL, synchronous=FULL,
  // secure_delete, the schema created or brought up to date. A statement waits
  // up to busy_timeout for another connection's lock, then fails SQLITE_BUSY.
  static DbResult<Database> open_for_writing(const std::filesystem::path& path,
                                             std::chrono::milliseconds busy_timeout);
  // Opens an existing database read-only (verify, export).
  static DbResult<Database> open_read_only(const std::filesystem::path& path);

  // Appends the rows, in order, in one transaction (each gets the next id and its
  // chain hash here). A row whose queue key is already stored was written before
  // a crash and is skipped. Returns how many were written.
  DbResult<std::size_t> append(const std::vector<QueuedRow>& rows);

  // The `time` of the newest row (verdict or purge record); nullopt when empty.
  DbResult<std::optional<crypto::UnixSeconds>> newest_row_time() const;

  ChainReport verify() const;
  DbResult<PurgeReport> purge(const PurgeRequest& request);
  base::Status export_csv(std::ostream& out, const ExportRange& range) const;

 private:
  Database(Connection db, std::int64_t schema) : db_(std::move(db)), schema_(schema) {}
  // The rows from the checkpoint through `through` (every row, with the checks
  // at the end of the chain, when nullopt), in the caller's transaction.
  ChainReport check_rows(std::optional<std::int64_t> through) const;
  DbError error(const std::string& what) const;

  Connection db_;
  std::int64_t schema_;  // 1 only when an old log is read without upgrading it
};

}  // namespace kakunin::audit::detail
