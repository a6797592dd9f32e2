#include <kakunin/audit/audit_log.h>

#include <kakunin/base/hex.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/unique_fd.h>

#include "pseudonym_key.h"
#include "row.h"
#include "sqlite.h"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <mutex>
#include <system_error>

namespace kakunin::audit {

using detail::Blob;
using detail::Connection;
using detail::Row;
using detail::Statement;

namespace {

constexpr int kSchemaVersion = 1;
constexpr crypto::UnixSeconds kDay = crypto::UnixSeconds{24} * 3600;

// The row layout. AUTOINCREMENT keeps ids from ever being reused, and
// sqlite_sequence remembers the highest id handed out, so rows cut from the end
// of the log show up as missing too.
constexpr const char* kSchema = R"sql(
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

constexpr const char* kRowColumns =
    "id, time, verdict, profile, insurer_number, qr_age_seconds, test_material, kiosk_id, "
    "cti_pseudonym, hash";

struct Link {
  std::int64_t id = 0;
  Blob hash = detail::genesis_hash();
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
  return stored;
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

AuditError database_error(const std::string& what, const std::string& detail) {
  return {what + ": " + detail};
}

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

std::optional<std::string> check_schema(const Connection& db) {
  const std::int64_t found = schema_version(db);
  if (found < 0) return "cannot read the schema version: " + db.last_error();
  if (found == kSchemaVersion) return std::nullopt;
  if (found == 0) return "is not a kakunin audit log (no audit tables)";
  return "has audit schema version " + std::to_string(found) + ", newer than this kakunin (" +
         std::to_string(kSchemaVersion) + "); use a newer kakunin";
}

std::string journal_mode(const Connection& db) {
  Statement mode(db.handle(), "PRAGMA journal_mode");
  return mode.step() == SQLITE_ROW ? mode.text(0) : std::string();
}

std::optional<std::string> prepare_for_writing(const Connection& db) {
  // WAL: readers (kakunin audit verify/export) never block the kiosk. FULL: a
  // committed row survives a power cut. secure_delete: purged rows are
  // overwritten, not left in free pages.
  for (const char* pragma :
       {"PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
        "PRAGMA secure_delete = ON", "PRAGMA trusted_schema = OFF"}) {
    if (auto error = db.exec(pragma)) return error;
  }
  if (journal_mode(db) != "wal") {
    return std::string(
        "the database cannot use write-ahead logging (is it on a network file "
        "system?)");
  }
  Transaction transaction(db, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) return transaction.begin_error();
  if (schema_version(db) == 0) {
    if (table_count(db) != 0)
      return std::string("is not a kakunin audit log (it holds other tables)");
    if (auto error = db.exec(kSchema)) return error;
  }
  if (auto error = check_schema(db)) return error;
  return transaction.commit();
}

// The database file is made 0600 before SQLite opens it; SQLite gives the -wal
// and -shm files the same permissions.
std::optional<std::string> create_private_file(const std::filesystem::path& path) {
  const base::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd) return std::nullopt;
  if (errno == EEXIST) return std::nullopt;
  return "cannot create " + path.string() + ": " +
         std::error_code(errno, std::generic_category()).message();
}

std::optional<std::string> make_parent(const std::filesystem::path& path) {
  std::error_code error;
  const auto parent = path.parent_path();
  if (parent.empty() || std::filesystem::exists(parent, error)) return std::nullopt;
  std::filesystem::create_directories(parent, error);
  if (error) return "cannot create the folder " + parent.string() + ": " + error.message();
  return std::nullopt;
}

}  // namespace

struct AuditLog::State {
  State(Connection connection, std::optional<detail::PseudonymKey> pseudonym_key, int retention)
      : db(std::move(connection)), key(std::move(pseudonym_key)), retention_days(retention) {}

  mutable std::mutex mutex;
  Connection db;
  std::optional<detail::PseudonymKey> key;  // absent when opened for review
  int retention_days;
  std::optional<crypto::UnixSeconds> last_purge;  // `now` of the last automatic purge
  std::optional<AuditError> last_purge_error;

  // Inside a read snapshot: check_rows(all).
  ChainReport verify() const;
  // Checks the rows from the checkpoint through `through` (every row, and that
  // none is missing at the end, when nullopt), in the caller's transaction.
  ChainReport check_rows(std::optional<std::int64_t> through) const;
  Result<PurgeReport> purge(crypto::UnixSeconds now);
  Result<std::int64_t> append(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                              const std::string& kiosk_id);
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;
AuditLog::~AuditLog() = default;

Result<AuditLog> AuditLog::open(const config::AuditSettings& settings) {
  const std::string where = "audit log " + settings.database.string();
  for (const auto& path : {settings.database, settings.secret_file}) {
    if (auto error = make_parent(path)) return AuditError{*error};
  }
  std::string error;
  auto key = detail::PseudonymKey::load_or_create(settings.secret_file, &error);
  if (!key) return AuditError{error};
  if (auto problem = create_private_file(settings.database)) return AuditError{*problem};
  auto db = Connection::open(settings.database.string(), SQLITE_OPEN_READWRITE, &error);
  if (!db) return database_error("cannot open the " + where, error);
  if (auto problem = prepare_for_writing(*db)) return database_error("the " + where, *problem);
  return AuditLog(std::make_unique<State>(std::move(*db), std::move(key), settings.retention_days));
}

Result<AuditLog> AuditLog::open_for_review(const std::filesystem::path& database) {
  const std::string where = "audit log " + database.string();
  std::error_code exists_error;
  if (!std::filesystem::is_regular_file(database, exists_error)) {
    return AuditError{"there is no " + where};
  }
  std::string error;
  auto db = Connection::open(database.string(), SQLITE_OPEN_READONLY, &error);
  if (!db) return database_error("cannot open the " + where, error);
  if (auto problem = db->exec("PRAGMA busy_timeout = 5000")) {
    return database_error("the " + where, *problem);
  }
  if (auto problem = check_schema(*db)) return database_error("the " + where, *problem);
  return AuditLog(std::make_unique<State>(std::move(*db), std::nullopt, 0));
}

Result<std::int64_t> AuditLog::State::append(const crypto::VerifyResult& result,
                                             crypto::UnixSeconds now, const std::string& kiosk_id) {
  Row row;
  row.time = now;
  row.verdict = std::string(crypto::verdict_name(result.verdict()));
  if (const auto profile = result.profile())
    row.profile = std::string(crypto::profile_name(*profile));
  row.kiosk_id = kiosk_id;
  // Only a valid result has a certificate. Of it, the log takes the 保険者番号
  // and nothing else that is printed on the 資格確認書 (健康保険法 194条の2).
  if (const crypto::VerifiedPresentation* presentation = result.presentation()) {
    row.insurer_number = presentation->certificate.insurer_number;
    row.qr_age_seconds = presentation->age_seconds;
    row.test_material = presentation->test_material ? 1 : 0;
    const auto pseudonym = key->pseudonym(presentation->cti);
    if (!pseudonym) return AuditError{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
    row.cti_pseudonym = Blob(pseudonym->begin(), pseudonym->end());
  }

  Transaction transaction(db, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) {
    return database_error("cannot start writing the audit log", *transaction.begin_error());
  }
  const Link head = chain_head(db);
  row.id = std::max(head.id, highest_id_ever(db)) + 1;
  const auto hash = detail::chain_hash(head.hash, row);
  if (!hash) return AuditError{"cannot compute the row hash (OpenSSL SHA-256 failed)"};

  Statement insert(db.handle(),
                   "INSERT INTO verdicts (id, time, verdict, profile, insurer_number, "
                   "qr_age_seconds, test_material, kiosk_id, cti_pseudonym, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, row.id).bind(2, row.time).bind(3, row.verdict);
  row.profile ? insert.bind(4, *row.profile) : insert.bind_null(4);
  row.insurer_number ? insert.bind(5, *row.insurer_number) : insert.bind_null(5);
  row.qr_age_seconds ? insert.bind(6, *row.qr_age_seconds) : insert.bind_null(6);
  row.test_material ? insert.bind(7, *row.test_material) : insert.bind_null(7);
  insert.bind(8, row.kiosk_id);
  row.cti_pseudonym ? insert.bind(9, *row.cti_pseudonym) : insert.bind_null(9);
  insert.bind(10, Blob(hash->begin(), hash->end()));
  if (!insert.prepared() || insert.step() != SQLITE_DONE) {
    return database_error("cannot write the audit row", db.last_error());
  }
  if (auto error = transaction.commit()) {
    return database_error("cannot commit the audit row", *error);
  }
  return row.id;
}

Result<std::int64_t> AuditLog::record(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                                      const std::string& kiosk_id) {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key) return AuditError{"the audit log was opened for review only"};
  if (!state_->last_purge || now - *state_->last_purge >= kDay || now < *state_->last_purge) {
    state_->last_purge = now;
    auto purged = state_->purge(now);
    state_->last_purge_error =
        purged.ok() ? std::nullopt : std::optional<AuditError>(purged.error());
  }
  return state_->append(result, now, kiosk_id);
}

std::optional<AuditError> AuditLog::last_purge_error() const {
  const std::lock_guard lock(state_->mutex);
  return state_->last_purge_error;
}

ChainReport AuditLog::State::verify() const {
  Transaction snapshot(db, "BEGIN");
  if (snapshot.begin_error()) {
    ChainReport report;
    report.problem = "cannot read the audit log: " + *snapshot.begin_error();
    return report;
  }
  return check_rows(std::nullopt);
}

ChainReport AuditLog::State::check_rows(std::optional<std::int64_t> through) const {
  ChainReport report;
  const auto checkpoint = read_checkpoint(db);
  Link previous = checkpoint.value_or(Link{});
  report.purged_through = previous.id;
  const auto broken = [&](std::int64_t id, std::string problem) {
    report.broken_at = id;
    report.problem = std::move(problem);
    return report;
  };

  Statement rows(db.handle(),
                 std::string("SELECT ") + kRowColumns + " FROM verdicts WHERE id <= ? ORDER BY id");
  rows.bind(1, through.value_or(INT64_MAX));
  int status = SQLITE_ERROR;
  while (rows.prepared() && (status = rows.step()) == SQLITE_ROW) {
    const StoredRow stored = read_row(rows);
    const std::int64_t id = stored.row.id;
    if (id != previous.id + 1) {
      return broken(id, "rows " + std::to_string(previous.id + 1) + " to " +
                            std::to_string(id - 1) + " are missing (deleted)");
    }
    const auto expected = detail::chain_hash(previous.hash, stored.row);
    if (!expected || Blob(expected->begin(), expected->end()) != stored.hash) {
      return broken(id, "row " + std::to_string(id) +
                            " does not match the chain: it was edited or inserted, or the row "
                            "before it was changed");
    }
    if (report.rows == 0) report.first_id = id;
    report.last_id = id;
    ++report.rows;
    previous = {id, stored.hash};
  }
  if (status != SQLITE_DONE) {
    report.problem = "cannot read the audit rows: " + db.last_error();
    return report;
  }
  const std::int64_t highest = highest_id_ever(db);
  if (!through && highest > previous.id) {
    return broken(previous.id + 1, "rows " + std::to_string(previous.id + 1) + " to " +
                                       std::to_string(highest) +
                                       " were written and are missing (deleted from the end)");
  }
  report.head_hash_hex = base::encode_hex(previous.hash);
  report.intact = true;
  return report;
}

ChainReport AuditLog::verify_chain() const {
  const std::lock_guard lock(state_->mutex);
  return state_->verify();
}

Result<PurgeReport> AuditLog::State::purge(crypto::UnixSeconds now) {
  const crypto::UnixSeconds cutoff = now - static_cast<crypto::UnixSeconds>(retention_days) * kDay;
  Transaction transaction(db, "BEGIN IMMEDIATE");
  if (transaction.begin_error()) {
    return database_error("cannot start the purge", *transaction.begin_error());
  }
  // Only a leading run of old rows goes: a row written after a clock step back
  // waits until the rows before it are old too, so the chain stays whole.
  Statement last_old(db.handle(),
                     "SELECT id, hash FROM verdicts WHERE id < COALESCE("
                     "(SELECT min(id) FROM verdicts WHERE time >= ?), "
                     "(SELECT max(id) + 1 FROM verdicts)) ORDER BY id DESC LIMIT 1");
  last_old.bind(1, cutoff);
  if (last_old.step() != SQLITE_ROW) {
    return PurgeReport{0, read_checkpoint(db).value_or(Link{}).id};
  }
  const Link last{last_old.integer(0), last_old.blob(1)};
  last_old.reset();  // no statement may be running at COMMIT

  // Rows that do not verify are evidence: they are not purged with the others.
  const ChainReport purged_part = check_rows(last.id);
  if (!purged_part.intact) {
    return AuditError{"not purging: the audit chain is broken" +
                      (purged_part.broken_at ? " at row " + std::to_string(*purged_part.broken_at)
                                             : std::string()) +
                      " (" + purged_part.problem + "); the rows are kept as evidence"};
  }
  Statement remove(db.handle(), "DELETE FROM verdicts WHERE id <= ?");
  remove.bind(1, last.id);
  if (remove.step() != SQLITE_DONE) return database_error("cannot purge", db.last_error());
  const std::int64_t removed = sqlite3_changes64(db.handle());
  Statement checkpoint(db.handle(),
                       "INSERT INTO chain_checkpoint (only_row, purged_through, hash, purged_at) "
                       "VALUES (1, ?, ?, ?) ON CONFLICT (only_row) DO UPDATE SET "
                       "purged_through = excluded.purged_through, hash = excluded.hash, "
                       "purged_at = excluded.purged_at");
  checkpoint.bind(1, last.id).bind(2, last.hash).bind(3, now);
  if (checkpoint.step() != SQLITE_DONE) {
    return database_error("cannot write the purge checkpoint", db.last_error());
  }
  if (auto error = transaction.commit()) return database_error("cannot commit the purge", *error);
  // Move the purge into the database file and empty the WAL, so the removed rows
  // do not linger in old WAL frames. Best effort: a reader may hold the WAL.
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return PurgeReport{removed, last.id};
}

Result<PurgeReport> AuditLog::purge(crypto::UnixSeconds now) {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key) return AuditError{"the audit log was opened for review only"};
  return state_->purge(now);
}

Status AuditLog::export_csv(std::ostream& out, const ExportRange& range) const {
  const std::lock_guard lock(state_->mutex);
  const Connection& db = state_->db;
  Transaction snapshot(db, "BEGIN");
  if (snapshot.begin_error())
    return database_error("cannot read the audit log", *snapshot.begin_error());
  Statement rows(db.handle(), std::string("SELECT ") + kRowColumns +
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
    out << row.id << ',' << base::iso8601_utc(row.time) << ','
        << base::iso8601_japan(row.time) << ',' << csv_field(row.verdict) << ','
        << csv_field(row.profile.value_or("")) << ',' << csv_field(row.insurer_number.value_or(""))
        << ',' << number(row.qr_age_seconds) << ',' << number(row.test_material) << ','
        << csv_field(row.kiosk_id) << ',' << (row.cti_pseudonym ? base::encode_hex(*row.cti_pseudonym) : "")
        << ',' << base::encode_hex(stored.hash) << "\r\n";
  }
  if (status != SQLITE_DONE) return database_error("cannot read the audit rows", db.last_error());
  if (!out) return AuditError{"cannot write the export"};
  return std::nullopt;
}

Result<std::string> AuditLog::pseudonym_hex(const crypto::Cti& cti) const {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key)
    return AuditError{"the pseudonym key is needed; open the log with its settings"};
  const auto pseudonym = state_->key->pseudonym(cti);
  if (!pseudonym) return AuditError{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
  return base::encode_hex(*pseudonym);
}

}  // namespace kakunin::audit
