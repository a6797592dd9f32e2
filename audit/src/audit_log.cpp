#include <kakunin/audit/audit_log.h>

#include "database.h"
#include "pseudonym_key.h"
#include "queue.h"
#include "recorder.h"
#include "row.h"

#include <kakunin/base/hex.h>
#include <kakunin/sync/clock.h>

#include <iostream>
#include <mutex>

namespace kakunin::audit {

using detail::Blob;
using detail::Database;
using detail::Row;

namespace {

std::optional<std::string> make_parent(const std::filesystem::path& path) {
  std::error_code error;
  const auto parent = path.parent_path();
  if (parent.empty() || std::filesystem::exists(parent, error)) return std::nullopt;
  std::filesystem::create_directories(parent, error);
  if (error) return "cannot create the folder " + parent.string() + ": " + error.message();
  return std::nullopt;
}

// Without a sync server to compare with, the kernel's word: a clock no NTP
// client disciplines is not trusted to destroy rows.
std::optional<std::string> kernel_clock_problem() {
  const sync::ClockReport report = sync::ClockCheck(config::ClockSettings{}).report();
  if (report.state == base::ClockState::ok) return std::nullopt;
  return report.message;
}

base::LogSink& standard_error() {
  static base::StreamLogSink sink(std::cerr, "kakunin",
                                  base::stderr_is_journal()
                                      ? base::StreamLogSink::Priority::syslog_prefix
                                      : base::StreamLogSink::Priority::none);
  return sink;
}

AuditOptions with_defaults(AuditOptions options) {
  if (!options.clock) options.clock = &base::system_clock();
  if (!options.clock_problem) options.clock_problem = kernel_clock_problem;
  if (!options.log.enabled(base::LogLevel::error)) options.log = base::Logger(standard_error());
  return options;
}

// The queue lives beside the database, like SQLite's -wal and -shm files.
std::filesystem::path queue_folder(const std::filesystem::path& database) {
  return database.string() + "-queue";
}

Row row_of(const crypto::VerifyResult& result, crypto::UnixSeconds now,
           const std::string& kiosk_id) {
  Row row;
  row.time = now;
  row.verdict = std::string(crypto::verdict_name(result.verdict()));
  if (const auto profile = result.profile())
    row.profile = std::string(crypto::profile_name(*profile));
  row.kiosk_id = kiosk_id;
  return row;
}

}  // namespace

std::string_view recording_state_name(RecordingState state) {
  switch (state) {
    case RecordingState::recording:
      return "recording";
    case RecordingState::delayed:
      return "delayed";
    case RecordingState::not_recording:
      return "not_recording";
  }
  return "not_recording";
}

std::string_view recording_problem_name(RecordingProblem problem) {
  switch (problem) {
    case RecordingProblem::none:
      return "none";
    case RecordingProblem::database_locked:
      return "database_locked";
    case RecordingProblem::disk_full:
      return "disk_full";
    case RecordingProblem::database_damaged:
      return "database_damaged";
    case RecordingProblem::database_unavailable:
      return "database_unavailable";
    case RecordingProblem::queue_unwritable:
      return "queue_unwritable";
  }
  return "database_unavailable";
}

// Opened with open(): key and recorder. Opened for review: the database only.
struct AuditLog::State {
  std::optional<detail::PseudonymKey> key;
  std::unique_ptr<detail::Recorder> recorder;
  mutable std::mutex review_mutex;
  std::optional<Database> review_db;

  // f(const Database&), or unavailable(DbError) when it cannot be opened.
  template <typename F, typename G>
  auto read(F&& f, G&& unavailable) const {
    if (recorder) return recorder->with_database(std::forward<F>(f), std::forward<G>(unavailable));
    const std::lock_guard lock(review_mutex);
    return f(static_cast<const Database&>(*review_db));
  }
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;
AuditLog::~AuditLog() = default;

base::Result<AuditLog> AuditLog::open(const config::AuditSettings& settings, AuditOptions options) {
  options = with_defaults(std::move(options));
  // Refused at start: what a person must fix and no retry changes. The key
  // (its permissions, owner, size) and a file that is not this audit log.
  if (auto error = make_parent(settings.secret_file)) return base::Error{*error};
  std::string error;
  auto key = detail::PseudonymKey::load_or_create(settings.secret_file, &error);
  if (!key) return base::Error{error};
  // Tolerated at start as mid-run: a locked, full, damaged or missing database,
  // an unwritable queue. The kiosk starts and its status says what is wrong.
  make_parent(settings.database);
  auto db = Database::open_for_writing(settings.database, detail::kBusyTimeout);
  if (!db.ok() && db.error().sqlite_code == 0) return base::Error{db.error().message};
  detail::Queue queue(queue_folder(settings.database));
  auto contents = queue.open();
  if (!contents.ok()) {
    options.log.error("audit: the queue cannot be opened, verdicts may not be recorded: " +
                      contents.error().message);
  }
  detail::RecorderSetup setup{settings.database, settings.retention_days, std::move(options)};
  auto state = std::make_unique<State>();
  state->key = std::move(key);
  state->recorder = std::make_unique<detail::Recorder>(
      std::move(setup), std::move(db), std::move(queue),
      contents.ok() ? std::move(contents.value()) : detail::QueueContents{});
  return AuditLog(std::move(state));
}

base::Result<AuditLog> AuditLog::open_for_review(const std::filesystem::path& database) {
  auto db = Database::open_read_only(database);
  if (!db.ok()) return base::Error{db.error().message};
  auto state = std::make_unique<State>();
  state->review_db.emplace(std::move(db.value()));
  return AuditLog(std::move(state));
}

base::Result<std::int64_t> AuditLog::record(const crypto::VerifyResult& result,
                                            crypto::UnixSeconds now, const std::string& kiosk_id) {
  if (!state_->recorder) return base::Error{"the audit log was opened for review only"};
  Row row = row_of(result, now, kiosk_id);
  // Only a valid result has a certificate. Of it, the log takes the 保険者番号
  // and nothing else that is printed on the 資格確認書 (健康保険法 194条の2).
  if (const crypto::VerifiedPresentation* presentation = result.presentation()) {
    row.insurer_number = presentation->certificate.insurer_number;
    row.qr_age_seconds = presentation->age_seconds;
    row.test_material = presentation->test_material ? 1 : 0;
    const auto pseudonym = state_->key->pseudonym(presentation->cti);
    if (!pseudonym) return base::Error{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
    row.cti_pseudonym = Blob(pseudonym->begin(), pseudonym->end());
  }
  return state_->recorder->record(std::move(row));
}

RecordingStatus AuditLog::recording_status() const {
  if (!state_->recorder) {
    return {RecordingState::not_recording, RecordingProblem::none, 0, "opened for review only"};
  }
  return state_->recorder->status();
}

base::Status AuditLog::flush(std::chrono::milliseconds timeout) {
  if (!state_->recorder) return {};
  return state_->recorder->flush(timeout);
}

std::optional<base::Error> AuditLog::last_purge_error() const {
  if (!state_->recorder) return std::nullopt;
  return state_->recorder->last_purge_error();
}

ChainReport AuditLog::verify_chain() const {
  return state_->read([](const Database& db) { return db.verify(); },
                      [](const detail::DbError& error) {
                        ChainReport report;
                        report.problem = error.message;
                        return report;
                      });
}

base::Result<PurgeReport> AuditLog::purge(std::optional<crypto::UnixSeconds> now) {
  if (!state_->recorder) return base::Error{"the audit log was opened for review only"};
  return state_->recorder->purge(now);
}

base::Status AuditLog::export_csv(std::ostream& out, const ExportRange& range) const {
  return state_->read(
      [&](const Database& db) { return db.export_csv(out, range); },
      [](const detail::DbError& error) -> base::Status { return base::Error{error.message}; });
}

base::Result<std::string> AuditLog::pseudonym_hex(const crypto::Cti& cti) const {
  if (!state_->key)
    return base::Error{"the pseudonym key is needed; open the log with its settings"};
  const auto pseudonym = state_->key->pseudonym(cti);
  if (!pseudonym) return base::Error{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
  return base::encode_hex(Blob(pseudonym->begin(), pseudonym->end()));
}

}  // namespace kakunin::audit
