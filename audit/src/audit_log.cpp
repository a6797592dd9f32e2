#include <kakunin/audit/audit_log.h>

#include "database.h"
#include "pseudonym_key.h"
#include "purge_policy.h"
#include "row.h"

#include <kakunin/base/hex.h>

#include <kakunin/sync/clock.h>

#include <ctime>
#include <iostream>
#include <mutex>

namespace kakunin::audit {

using detail::Blob;
using detail::Database;
using detail::Row;

namespace {

constexpr auto kPurgeInterval = std::chrono::hours(24);
constexpr auto kPurgeRetry = std::chrono::hours(1);

std::string utc_date(crypto::UnixSeconds time) {
  const std::time_t seconds = static_cast<std::time_t>(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

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
  if (report.state == sync::ClockState::ok) return std::nullopt;
  return report.message;
}

void log_to_stderr(std::string_view line) { std::cerr << "kakunin: audit: " << line << '\n'; }

AuditOptions with_defaults(AuditOptions options) {
  if (!options.clock) options.clock = &base::system_clock();
  if (!options.clock_problem) options.clock_problem = kernel_clock_problem;
  if (!options.log) options.log = log_to_stderr;
  return options;
}

std::string purge_line(const PurgeReport& report, int retention_days) {
  return "purged rows " + std::to_string(report.record->purged_from) + " to " +
         std::to_string(report.record->purged_through) + " (" +
         std::to_string(report.rows_removed) + " rows written " + utc_date(report.oldest_removed) +
         " to " + utc_date(report.newest_removed) + " UTC), older than " +
         std::to_string(retention_days + kRetentionMarginDays) + " days (retention " +
         std::to_string(retention_days) + " + " + std::to_string(kRetentionMarginDays) +
         "-day margin); the purge record is row " + std::to_string(report.record->record_id);
}

}  // namespace

struct AuditLog::State {
  State(Database database, std::optional<detail::PseudonymKey> pseudonym_key, int retention,
        AuditOptions opts, detail::TimeEvidence time_evidence)
      : db(std::move(database)),
        key(std::move(pseudonym_key)),
        retention_days(retention),
        options(std::move(opts)),
        evidence(time_evidence) {}

  mutable std::mutex mutex;
  Database db;
  std::optional<detail::PseudonymKey> key;  // absent when opened for review
  int retention_days;
  AuditOptions options;  // with defaults filled in
  detail::TimeEvidence evidence;
  std::optional<base::SteadyTime> next_purge;  // nullopt: at the next record()
  std::optional<AuditError> last_purge_error;

  Result<PurgeReport> purge(std::optional<crypto::UnixSeconds> given_now);
  void purge_when_due();
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;
AuditLog::~AuditLog() = default;

Result<AuditLog> AuditLog::open(const config::AuditSettings& settings, AuditOptions options) {
  options = with_defaults(std::move(options));
  for (const auto& path : {settings.database, settings.secret_file}) {
    if (auto error = make_parent(path)) return AuditError{*error};
  }
  std::string error;
  auto key = detail::PseudonymKey::load_or_create(settings.secret_file, &error);
  if (!key) return AuditError{error};
  auto db = Database::open_for_writing(settings.database);
  if (!db.ok()) return AuditError{db.error().message};
  const auto newest = db.value().newest_row_time();
  if (!newest.ok()) return AuditError{newest.error().message};
  const detail::TimeEvidence evidence(newest.value().value_or(options.clock->wall_now()),
                                      options.clock->steady_now());
  return AuditLog(std::make_unique<State>(std::move(db.value()), std::move(key),
                                          settings.retention_days, std::move(options), evidence));
}

Result<AuditLog> AuditLog::open_for_review(const std::filesystem::path& database) {
  auto db = Database::open_read_only(database);
  if (!db.ok()) return AuditError{db.error().message};
  AuditOptions options = with_defaults({});
  options.purge_daily = false;
  const detail::TimeEvidence evidence(0, options.clock->steady_now());
  return AuditLog(
      std::make_unique<State>(std::move(db.value()), std::nullopt, 0, std::move(options), evidence));
}

Result<PurgeReport> AuditLog::State::purge(std::optional<crypto::UnixSeconds> given_now) {
  const base::Clock& clock = *options.clock;
  detail::PurgeClock purge_clock;
  purge_clock.now = given_now.value_or(clock.wall_now());
  if (!given_now) purge_clock.clock_problem = options.clock_problem();
  purge_clock.latest_believable = evidence.latest_believable(clock.steady_now());
  purge_clock.evidence_anchor = evidence.anchor();
  if (auto refusal = detail::purge_refusal(purge_clock)) return AuditError{*refusal};
  auto purged = db.purge({purge_clock.now, detail::purge_cutoff(purge_clock.now, retention_days)});
  if (!purged.ok()) return AuditError{purged.error().message};
  if (purged.value().record) options.log(purge_line(purged.value(), retention_days));
  return purged.value();
}

void AuditLog::State::purge_when_due() {
  const base::SteadyTime now = options.clock->steady_now();
  if (!options.purge_daily || (next_purge && now < *next_purge)) return;
  auto purged = purge(std::nullopt);
  next_purge = now + (purged.ok() ? kPurgeInterval : kPurgeRetry);
  std::optional<AuditError> error;
  if (!purged.ok()) error = purged.error();
  // Said once per change, not every hour while the clock stays unsynchronised.
  if (error && (!last_purge_error || last_purge_error->message != error->message)) {
    options.log(error->message);
  }
  last_purge_error = std::move(error);
}

Result<std::int64_t> AuditLog::record(const crypto::VerifyResult& result, crypto::UnixSeconds now,
                                      const std::string& kiosk_id) {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key) return AuditError{"the audit log was opened for review only"};
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
    const auto pseudonym = state_->key->pseudonym(presentation->cti);
    if (!pseudonym) return AuditError{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
    row.cti_pseudonym = Blob(pseudonym->begin(), pseudonym->end());
  }
  state_->purge_when_due();
  auto appended = state_->db.append(std::move(row));
  if (!appended.ok()) return AuditError{appended.error().message};
  return appended.value();
}

std::optional<AuditError> AuditLog::last_purge_error() const {
  const std::lock_guard lock(state_->mutex);
  return state_->last_purge_error;
}

ChainReport AuditLog::verify_chain() const {
  const std::lock_guard lock(state_->mutex);
  return state_->db.verify();
}

Result<PurgeReport> AuditLog::purge(std::optional<crypto::UnixSeconds> now) {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key) return AuditError{"the audit log was opened for review only"};
  return state_->purge(now);
}

Status AuditLog::export_csv(std::ostream& out, const ExportRange& range) const {
  const std::lock_guard lock(state_->mutex);
  return state_->db.export_csv(out, range);
}

Result<std::string> AuditLog::pseudonym_hex(const crypto::Cti& cti) const {
  const std::lock_guard lock(state_->mutex);
  if (!state_->key)
    return AuditError{"the pseudonym key is needed; open the log with its settings"};
  const auto pseudonym = state_->key->pseudonym(cti);
  if (!pseudonym) return AuditError{"cannot compute the cti pseudonym (OpenSSL HMAC failed)"};
  return base::encode_hex(Blob(pseudonym->begin(), pseudonym->end()));
}

}  // namespace kakunin::audit
