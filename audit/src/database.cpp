#include "database.h"

#include <kakunin/base/hex.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/unique_fd.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

namespace kakunin::audit::detail {
namespace {

constexpr int kSchemaVersion = 2;

// Schema 1: the verdict rows and the purge checkpoint. AUTOINCREMENT keeps ids
// from ever being reused, and sqlite_sequence remembers the highest id handed
// out, so rows cut from the end of the log show up as missing too.
constexpr const char* kSchemaOne = R"sql(
CREATE TABLE verdicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  profile TEXT,
  insurer_number TEXT,
  qr_age_seconds INTEGER,
  test_material INTEGER,
  kiosk_id TEXT NOT NULL,
  cti_pseudonym BLOB,
  hash BLOB NOT NULL
);
CREATE INDEX verdicts_by_time ON verdicts(time);
CREATE TABLE chain_checkpoint (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  purged_through INTEGER NOT NULL,
  hash BLOB NOT NULL,
  purged_at INTEGER NOT NULL
);
PRAGMA user_version = 1;
)sql";

// Schema 2 adds purge records to the chain (what a purge removed, so verify can
// tell a purge from a deletion) and the key of the queue entry a row came from
// (so a row replayed after a crash is not written twice). A new database is
// made as schema 1 and brought up to 2 like an old one: one path for both.
constexpr const char* kSchemaTwo = R"sql(
ALTER TABLE verdicts ADD COLUMN purged_from INTEGER;
ALTER TABLE verdicts ADD COLUMN purged_through INTEGER;
ALTER TABLE verdicts ADD COLUMN purge_cutoff INTEGER;
ALTER TABLE verdicts ADD COLUMN purged_hash BLOB;
ALTER TABLE verdicts ADD COLUMN queue_key BLOB;
CREATE UNIQUE INDEX verdicts_by_queue_key ON verdicts(queue_key) WHERE queue_key IS NOT NULL;
PRAGMA user_version = 2;
)sql";

// The columns read_row() reads; schema 1 had no purge columns.
std::string row_columns(std::int64_t schema) {
  return std::string(
             "id, time, verdict, profile, insurer_number, qr_age_seconds, test_material, "
             "kiosk_id, cti_pseudonym, hash, ") +
         (schema >= 2 ? "purged_from, purged_through, purge_cutoff, purged_hash"
                      : "NULL, NULL, NULL, NULL");
}

struct Link {
  std::int64_t id = 0;
  Blob hash = genesis_hash();
};

struct StoredRow {
  Row row;
  Blob hash;
};

StoredRow read_row(const Statement& statement) {
  StoredRow stored;
  Row& row = stored.row;
  row.id = statement.integer(0);
  row.time = statement.integer(1);
  row.verdict = statement.text(2);
  row.profile = statement.optional_text(3);
  row.insurer_number = statement.optional_text(4);
  row.qr_age_seconds = statement.optional_integer(5);
  row.test_material = statement.optional_integer(6);
  row.kiosk_id = statement.text(7);
  if (!statement.is_null(8)) row.cti_pseudonym = statement.blob(8);
  stored.hash = statement.blob(9);
  // A row with purge facts is hashed as a purge record, whatever its verdict
  // column says, so turning one kind into the other breaks the chain.
  if (!statement.is_null(11)) {
    row.purge = PurgeFacts{statement.optional_integer(10).value_or(0), statement.integer(11),
                           statement.optional_integer(12), statement.blob(13)};
  }
  return stored;
}

PurgeRecord purge_record_of(const Row& row) {
  return {row.id, row.time, row.purge->purged_from, row.purge->purged_through, row.purge->cutoff};
}

std::optional<Link> read_checkpoint(const Connection& db) {
  Statement query(db.handle(), "SELECT purged_through, hash FROM chain_checkpoint");
  if (query.step() != SQLITE_ROW) return std::nullopt;
  return Link{query.integer(0), query.blob(1)};
}

std::int64_t highest_id_ever(const Connection& db) {
  Statement query(db.handle(), "SELECT seq FROM sqlite_sequence WHERE name = 'verdicts'");
  return query.step() == SQLITE_ROW ? query.integer(0) : 0;
}

// The row a new row links to: the last one, else the purge checkpoint, else
// the genesis hash.
Link chain_head(const Connection& db) {
  Statement query(db.handle(), "SELECT id, hash FROM verdicts ORDER BY id DESC LIMIT 1");
  if (query.step() == SQLITE_ROW) return {query.integer(0), query.blob(1)};
  return read_checkpoint(db).value_or(Link{});
}

// BEGIN ... COMMIT, rolled back unless committed.
class Transaction {
 public:
  Transaction(const Connection& db, const char* begin) : db_(db) { error_ = db_.exec(begin); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!error_ && !committed_) db_.exec("ROLLBACK");
  }
  const std::optional<std::string>& begin_error() const { return error_; }
  std::optional<std::string> commit() {
    auto error = db_.exec("COMMIT");
    committed_ = !error;
    return error;
  }

 private:
  const Connection& db_;
  std::optional<std::string> error_;
  bool committed_ = false;
};

// RFC 4180: quote a field when it holds a comma, quote or line break.
std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// -1 when unreadable.
std::int64_t schema_version(const Connection& db) {
  Statement version(db.handle(), "PRAGMA user_version");
  return version.step() == SQLITE_ROW ? version.integer(0) : -1;
}

std::int64_t table_count(const Connection& db) {
  Statement tables(db.handle(), "SELECT count(*) FROM sqlite_schema");
  return tables.step() == SQLITE_ROW ? tables.integer(0) : -1;
}

std::string journal_mode(const Connection& db) {
  Statement mode(db.handle(), "PRAGMA journal_mode");
  return mode.step() == SQLITE_ROW ? mode.text(0) : std::string();
}

// An error of the connection, with its code.
DbError failure(const Connection& db, const std::string& what, const std::string& detail) {
  return {what + ": " + detail, sqlite3_extended_errcode(db.handle())};
}

// An audit log with a schema this kakunin reads, or why not (code 0: the file is
// not usable as this audit log, which no retry will change).
std::optional<DbError> check_schema(const Connection& db) {
  const std::int64_t found = schema_version(db);
  if (found < 0) return failure(db, "cannot read the schema version", db.last_error());
  if (found >= 1 && found <= kSchemaVersion) return std::nullopt;
  if (found == 0) return DbError{"is not a kakunin audit log (no audit tables)"};
  return DbError{"has audit schema version " + std::to_string(found) +
                 ", newer than this kakunin (" + std::to_string(kSchemaVersion) +
                 "); use a newer kakunin"};
}

// Schema 1 had no purge records: the checkpoint a schema-1 purge left gets one
// now, dated by that purge, so the chain vouches for it from here on.
std::optional<std::string> vouch_for_old_checkpoint(const Connection& db) {
  Statement checkpoint(db.handle(), "SELECT purged_through, hash, purged_at FROM chain_checkpoint");
  if (checkpoint.step() != SQLITE_ROW) return std::nullopt;
  Row record;
  record.time = checkpoint.integer(2);
  record.verdict = kPurgeVerdict;
  record.purge = PurgeFacts{1, checkpoint.integer(0), std::nullopt, checkpoint.blob(1)};
  checkpoint.reset();
  const Link head = chain_head(db);
  record.id = std::max(head.id, highest_id_ever(db)) + 1;
  const auto hash = chain_hash(head.hash, record);
  if (!hash) return std::string("cannot compute the row hash (OpenSSL SHA-256 failed)");
  Statement insert(db.handle(),
                   "INSERT INTO verdicts (id, time, verdict, kiosk_id, hash, purged_from, "
                   "purged_through, purged_hash) VALUES (?, ?, ?, '', ?, ?, ?, ?)");
  insert.bind(1, record.id).bind(2, record.time).bind(3, record.verdict);
  insert.bind(4, Blob(hash->begin(), hash->end()));
  insert.bind(5, record.purge->purged_from).bind(6, record.purge->purged_through);
  insert.bind(7, record.purge->purged_hash);
  if (insert.step() != SQLITE_DONE) return db.last_error();
  return std::nullopt;
}

std::optional<DbError> prepare_for_writing(const Connection& db,
                                           std::chrono::milliseconds busy_timeout) {
  // Short: the writer thread retries on its own schedule, and must notice a
  // request to stop.
  sqlite3_busy_timeout(db.handle(), static_cast<int>(busy_timeout.count()));
  // WAL: readers (kakunin audit verify/export) never block the kiosk. FULL: a
  // committed row survives a power cut. secure_delete: purged rows are
  // overwritten, not left in free pages.
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                             "PRAGMA secure_delete = ON", "PRAGMA trusted_schema = OFF"}) {
    if (auto problem = db.exec(pragma)) return failure(db, pragma, *problem);
  }
  if (journal_mode(db) != "wal") {
    return DbError{"cannot use write-ahead logging (is it on a network file system?)"};
  }
  Transaction transaction(db, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) return failure(db, "cannot lock", *transaction.begin_error());
  std::int64_t version = schema_version(db);
  if (version == 0) {
    if (table_count(db) != 0) return DbError{"is not a kakunin audit log (it holds other tables)"};
    if (auto problem = db.exec(kSchemaOne))
      return failure(db, "cannot create the tables", *problem);
    version = 1;
  }
  if (auto problem = check_schema(db)) return problem;
  if (version == 1) {
    if (auto problem = db.exec(kSchemaTwo))
      return failure(db, "cannot upgrade the tables", *problem);
    if (auto problem = vouch_for_old_checkpoint(db)) {
      return failure(db, "cannot record the earlier purge", *problem);
    }
  }
  if (auto problem = transaction.commit()) return failure(db, "cannot commit", *problem);
  return std::nullopt;
}

// The database file is made 0600 before SQLite opens it; SQLite gives the -wal
// and -shm files the same permissions.
std::optional<std::string> create_private_file(const std::filesystem::path& path) {
  const base::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd || errno == EEXIST) return std::nullopt;
  return "cannot create " + path.string() + ": " +
         std::error_code(errno, std::generic_category()).message();
}

std::string where(const std::filesystem::path& path) { return "audit log " + path.string(); }

}  // namespace

DbResult<Database> Database::open_for_writing(const std::filesystem::path& path,
                                              std::chrono::milliseconds busy_timeout) {
  if (auto problem = create_private_file(path)) return DbError{*problem, SQLITE_CANTOPEN};
  std::string error;
  auto db = Connection::open(path.string(), SQLITE_OPEN_READWRITE, &error);
  if (!db) return DbError{"cannot open the " + where(path) + ": " + error, SQLITE_CANTOPEN};
  if (auto problem = prepare_for_writing(*db, busy_timeout)) {
    problem->message = "the " + where(path) + ": " + problem->message;
    return *problem;
  }
  return Database(std::move(*db), kSchemaVersion);
}

DbResult<Database> Database::open_read_only(const std::filesystem::path& path) {
  std::error_code exists_error;
  if (!std::filesystem::is_regular_file(path, exists_error)) {
    return DbError{"there is no " + where(path), SQLITE_CANTOPEN};
  }
  std::string error;
  auto db = Connection::open(path.string(), SQLITE_OPEN_READONLY, &error);
  if (!db) return DbError{"cannot open the " + where(path) + ": " + error, SQLITE_CANTOPEN};
  if (auto problem = db->exec("PRAGMA busy_timeout = 5000")) {
    return failure(*db, "the " + where(path), *problem);
  }
  // Schema 1 is read as it is: its purges are vouched for once the kiosk has
  // opened it for writing.
  if (auto problem = check_schema(*db)) {
    problem->message = "the " + where(path) + ": " + problem->message;
    return *problem;
  }
  const std::int64_t schema = schema_version(*db);
  return Database(std::move(*db), schema);
}

DbError Database::error(const std::string& what) const {
  return failure(db_, what, db_.last_error());
}

DbResult<std::size_t> Database::append(const std::vector<QueuedRow>& rows) {
  Transaction transaction(db_, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) {
    return failure(db_, "cannot start writing the audit log", *transaction.begin_error());
  }
  Link head = chain_head(db_);
  std::int64_t next_id = std::max(head.id, highest_id_ever(db_)) + 1;
  Statement known(db_.handle(), "SELECT 1 FROM verdicts WHERE queue_key = ?");
  Statement insert(db_.handle(),
                   "INSERT INTO verdicts (id, time, verdict, profile, insurer_number, "
                   "qr_age_seconds, test_material, kiosk_id, cti_pseudonym, hash, queue_key) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!known.prepared() || !insert.prepared()) return error("cannot prepare the audit row");
  std::size_t written = 0;
  for (const QueuedRow& queued : rows) {
    known.bind(1, queued.key);
    const int found = known.step();
    known.reset();
    if (found == SQLITE_ROW) continue;  // committed before a crash, still in the queue
    if (found != SQLITE_DONE) return error("cannot look up the queued row");
    Row row = queued.row;
    row.id = next_id;
    const auto hash = chain_hash(head.hash, row);
    if (!hash) return DbError{"cannot compute the row hash (OpenSSL SHA-256 failed)"};
    const Blob row_hash(hash->begin(), hash->end());
    insert.bind(1, row.id).bind(2, row.time).bind(3, row.verdict);
    row.profile ? insert.bind(4, *row.profile) : insert.bind_null(4);
    row.insurer_number ? insert.bind(5, *row.insurer_number) : insert.bind_null(5);
    row.qr_age_seconds ? insert.bind(6, *row.qr_age_seconds) : insert.bind_null(6);
    row.test_material ? insert.bind(7, *row.test_material) : insert.bind_null(7);
    insert.bind(8, row.kiosk_id);
    row.cti_pseudonym ? insert.bind(9, *row.cti_pseudonym) : insert.bind_null(9);
    insert.bind(10, row_hash).bind(11, queued.key);
    const int status = insert.step();
    insert.reset();
    if (status != SQLITE_DONE) return error("cannot write the audit row");
    head = {row.id, row_hash};
    ++next_id;
    ++written;
  }
  if (auto problem = transaction.commit()) {
    return failure(db_, "cannot commit the audit rows", *problem);
  }
  return written;
}

DbResult<std::optional<crypto::UnixSeconds>> Database::newest_row_time() const {
  Statement query(db_.handle(), "SELECT time FROM verdicts ORDER BY id DESC LIMIT 1");
  const int status = query.prepared() ? query.step() : SQLITE_ERROR;
  if (status == SQLITE_ROW) return std::optional<crypto::UnixSeconds>(query.integer(0));
  if (status == SQLITE_DONE) return std::optional<crypto::UnixSeconds>();
  return error("cannot read the newest audit row");
}

ChainReport Database::verify() const {
  Transaction snapshot(db_, "BEGIN");
  if (snapshot.begin_error()) {
    ChainReport report;
    report.problem = "cannot read the audit log: " + *snapshot.begin_error();
    return report;
  }
  return check_rows(std::nullopt);
}

ChainReport Database::check_rows(std::optional<std::int64_t> through) const {
  ChainReport report;
  const auto checkpoint = read_checkpoint(db_);
  Link previous = checkpoint.value_or(Link{});
  report.purged_through = previous.id;
  const auto broken = [&](std::int64_t id, std::string problem) {
    report.broken_at = id;
    report.problem = std::move(problem);
    report.last_purge.reset();
    return report;
  };

  Statement rows(db_.handle(),
                 "SELECT " + row_columns(schema_) + " FROM verdicts WHERE id <= ? ORDER BY id");
  rows.bind(1, through.value_or(INT64_MAX));
  int status = SQLITE_ERROR;
  std::optional<Blob> vouched_hash;  // what the latest purge record says was purged last
  while (rows.prepared() && (status = rows.step()) == SQLITE_ROW) {
    const StoredRow stored = read_row(rows);
    const std::int64_t id = stored.row.id;
    if (id != previous.id + 1) {
      return broken(id, "rows " + std::to_string(previous.id + 1) + " to " +
                            std::to_string(id - 1) + " are missing (deleted)");
    }
    const auto expected = chain_hash(previous.hash, stored.row);
    if (!expected || Blob(expected->begin(), expected->end()) != stored.hash) {
      return broken(id, "row " + std::to_string(id) +
                            " does not match the chain: it was edited or inserted, or the row "
                            "before it was changed");
    }
    if (stored.row.purge) {
      report.last_purge = purge_record_of(stored.row);
      vouched_hash = stored.row.purge->purged_hash;
    }
    if (report.rows == 0) report.first_id = id;
    report.last_id = id;
    ++report.rows;
    previous = {id, stored.hash};
  }
  if (status != SQLITE_DONE) {
    report.problem = "cannot read the audit rows: " + db_.last_error();
    return report;
  }
  if (!through) {
    const std::int64_t highest = highest_id_ever(db_);
    if (highest > previous.id) {
      return broken(previous.id + 1, "rows " + std::to_string(previous.id + 1) + " to " +
                                         std::to_string(highest) +
                                         " were written and are missing (deleted from the end)");
    }
    // Every purge leaves a record in the chain naming the last row it removed;
    // a checkpoint without one is rows deleted and the gap papered over.
    // (Schema 1 made no purge records; the kiosk adds one when it upgrades.)
    if (checkpoint && schema_ >= 2 &&
        (!report.last_purge || report.last_purge->purged_through != checkpoint->id ||
         vouched_hash != checkpoint->hash)) {
      return broken(1, "rows 1 to " + std::to_string(checkpoint->id) +
                           " are missing: no purge record in the chain says they were purged");
    }
  }
  report.head_hash_hex = base::encode_hex(previous.hash);
  report.intact = true;
  return report;
}

DbResult<PurgeReport> Database::purge(const PurgeRequest& request) {
  Transaction transaction(db_, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) {
    return failure(db_, "cannot start the purge", *transaction.begin_error());
  }
  const Link checkpoint = read_checkpoint(db_).value_or(Link{});
  // Only a leading run of old rows goes: a row written after a clock step back
  // waits until the rows before it are old too, so the chain stays whole.
  Statement last_old(db_.handle(),
                     "SELECT id, hash, time FROM verdicts WHERE id < COALESCE("
                     "(SELECT min(id) FROM verdicts WHERE time >= ?), "
                     "(SELECT max(id) + 1 FROM verdicts)) ORDER BY id DESC LIMIT 1");
  last_old.bind(1, request.cutoff);
  if (last_old.step() != SQLITE_ROW) {
    PurgeReport nothing;
    nothing.purged_through = checkpoint.id;
    return nothing;
  }
  const Link last{last_old.integer(0), last_old.blob(1)};
  last_old.reset();  // no statement may be running at COMMIT

  // Rows that do not verify are evidence: they are not purged with the others.
  const ChainReport purged_part = check_rows(last.id);
  if (!purged_part.intact) {
    return DbError{"not purging: the audit chain is broken" +
                   (purged_part.broken_at ? " at row " + std::to_string(*purged_part.broken_at)
                                          : std::string()) +
                   " (" + purged_part.problem + "); the rows are kept as evidence"};
  }
  if (checkpoint.id > 0) {
    // The earlier purge's record lies after the rows to remove; looked up
    // directly, as only those rows are checked here.
    Statement vouch(db_.handle(),
                    "SELECT purged_through, purged_hash FROM verdicts "
                    "WHERE purged_through IS NOT NULL ORDER BY id DESC LIMIT 1");
    if (vouch.step() != SQLITE_ROW || vouch.integer(0) != checkpoint.id ||
        vouch.blob(1) != checkpoint.hash) {
      return DbError{"not purging: no purge record vouches for the rows purged through id " +
                     std::to_string(checkpoint.id) +
                     "; run `kakunin audit verify` and keep the rows as evidence"};
    }
  }

  PurgeReport report;
  {
    Statement times(db_.handle(), "SELECT min(time), max(time) FROM verdicts WHERE id <= ?");
    times.bind(1, last.id);
    if (times.step() == SQLITE_ROW) {
      report.oldest_removed = times.integer(0);
      report.newest_removed = times.integer(1);
    }
  }
  Statement remove(db_.handle(), "DELETE FROM verdicts WHERE id <= ?");
  remove.bind(1, last.id);
  if (remove.step() != SQLITE_DONE) return error("cannot purge");
  report.rows_removed = sqlite3_changes64(db_.handle());
  report.purged_through = last.id;
  Statement update(db_.handle(),
                   "INSERT INTO chain_checkpoint (only_row, purged_through, hash, purged_at) "
                   "VALUES (1, ?, ?, ?) ON CONFLICT (only_row) DO UPDATE SET "
                   "purged_through = excluded.purged_through, hash = excluded.hash, "
                   "purged_at = excluded.purged_at");
  update.bind(1, last.id).bind(2, last.hash).bind(3, request.now);
  if (update.step() != SQLITE_DONE) return error("cannot write the purge checkpoint");

  // The purge's own record, chained after the rows that remain: what was
  // removed, and the hash the chain now starts from.
  Row record;
  record.time = request.now;
  record.verdict = kPurgeVerdict;
  record.purge = PurgeFacts{checkpoint.id + 1, last.id, request.cutoff, last.hash};
  const Link head = chain_head(db_);
  record.id = std::max(head.id, highest_id_ever(db_)) + 1;
  const auto hash = chain_hash(head.hash, record);
  if (!hash) return DbError{"cannot compute the row hash (OpenSSL SHA-256 failed)"};
  Statement insert(
      db_.handle(),
      "INSERT INTO verdicts (id, time, verdict, kiosk_id, hash, purged_from, "
      "purged_through, purge_cutoff, purged_hash) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)");
  insert.bind(1, record.id).bind(2, record.time).bind(3, record.verdict);
  insert.bind(4, Blob(hash->begin(), hash->end()));
  insert.bind(5, record.purge->purged_from).bind(6, record.purge->purged_through);
  insert.bind(7, request.cutoff).bind(8, record.purge->purged_hash);
  if (insert.step() != SQLITE_DONE) return error("cannot write the purge record");
  if (auto problem = transaction.commit()) {
    return failure(db_, "cannot commit the purge", *problem);
  }
  report.record = purge_record_of(record);
  // Move the purge into the database file and empty the WAL, so the removed rows
  // do not linger in old WAL frames. Best effort: a reader may hold the WAL.
  db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return report;
}

base::Status Database::export_csv(std::ostream& out, const ExportRange& range) const {
  Transaction snapshot(db_, "BEGIN");
  if (snapshot.begin_error())
    return base::Error{"cannot read the audit log: " + *snapshot.begin_error()};
  Statement rows(db_.handle(), "SELECT " + row_columns(schema_) +
                                   " FROM verdicts WHERE time >= ? AND time <= ? ORDER BY id");
  rows.bind(1, range.since.value_or(INT64_MIN)).bind(2, range.until.value_or(INT64_MAX));
  out << "id,time_utc,time_jst,verdict,profile,insurer_number,qr_age_seconds,test_material,"
         "kiosk_id,cti_pseudonym,row_hash\r\n";
  int status = SQLITE_ERROR;
  while (rows.prepared() && (status = rows.step()) == SQLITE_ROW) {
    const StoredRow stored = read_row(rows);
    const Row& row = stored.row;
    const auto number = [](const std::optional<std::int64_t>& value) {
      return value ? std::to_string(*value) : std::string();
    };
    out << row.id << ',' << base::iso8601_utc(row.time) << ',' << base::iso8601_japan(row.time)
        << ',' << csv_field(row.verdict) << ',' << csv_field(row.profile.value_or("")) << ','
        << csv_field(row.insurer_number.value_or("")) << ',' << number(row.qr_age_seconds) << ','
        << number(row.test_material) << ',' << csv_field(row.kiosk_id) << ','
        << (row.cti_pseudonym ? base::encode_hex(*row.cti_pseudonym) : "") << ','
        << base::encode_hex(stored.hash) << "\r\n";
  }
  if (status != SQLITE_DONE) return base::Error{"cannot read the audit rows: " + db_.last_error()};
  if (!out) return base::Error{"cannot write the export"};
  return {};
}

}  // namespace kakunin::audit::detail
