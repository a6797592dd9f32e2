#include "audit_command.h"

#include "config_file.h"

#include <kakunin/audit/audit_log.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/kiosk/cli.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <variant>

namespace kakunin::kiosk {
namespace {

constexpr crypto::UnixSeconds kDay = crypto::UnixSeconds{24} * 3600;

int setup_error(std::ostream& err, const std::string& reason) {
  err << "kakunin: error: " << reason << '\n';
  return kExitSetup;
}

// The Unix time at which a Japan-time day (YYYY-MM-DD) starts; clinics count
// their days in Japan time, and Japan has no daylight saving time.
std::optional<crypto::UnixSeconds> japan_day_start(const std::string& text) {
  int year = 0, month = 0, day = 0;
  char tail = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
      !crypto::CalendarDate::from_yyyymmdd(year * 10000LL + month * 100LL + day)) {
    return std::nullopt;
  }
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  return static_cast<crypto::UnixSeconds>(timegm(&parts)) - base::kJapanOffsetSeconds;
}

std::string config_path(const AuditOptions& options) {
  return options.config_file.empty() ? config::kDefaultConfigPath : options.config_file;
}

std::string utc_date(crypto::UnixSeconds time) {
  return base::iso_date(base::utc_time_at(time).date());
}

// "rows 1 to N purged by policy", as the chain's own purge record says it.
void print_purges(const audit::ChainReport& report, std::ostream& out) {
  if (report.purged_through == 0) return;
  out << "\n  rows 1 to " << report.purged_through << " were purged by the retention policy";
  if (const auto& last = report.last_purge) {
    out << "; the last purge, on " << utc_date(last->time) << " (row " << last->record_id
        << "), removed rows " << last->purged_from << " to " << last->purged_through;
    if (last->cutoff) out << ", written before " << utc_date(*last->cutoff);
  }
}

int run_verify(const audit::AuditLog& log, const std::string& database, std::ostream& out) {
  const audit::ChainReport report = log.verify_chain();
  if (report.intact) {
    out << database << ": OK, " << report.rows << " rows";
    if (report.rows > 0) out << " (ids " << report.first_id << " to " << report.last_id << ")";
    if (report.purged_through > 0) out << ", purged through id " << report.purged_through;
    print_purges(report, out);
    out << "\n  head hash " << report.head_hash_hex
        << "\n  (note the head hash: a later verify must reach a chain that contains it)\n";
    return kExitOk;
  }
  out << database << ": BROKEN";
  if (report.broken_at) out << " at row " << *report.broken_at;
  out << ": " << report.problem << '\n';
  return kExitRefused;
}

int run_export(const audit::AuditLog& log, const AuditOptions& options, std::ostream& out,
               std::ostream& err) {
  if (!options.csv) return setup_error(err, "give --csv (the only export format)");
  audit::ExportRange range;
  if (!options.since.empty()) {
    range.since = japan_day_start(options.since);
    if (!range.since) return setup_error(err, "--since must be a date YYYY-MM-DD");
  }
  if (!options.until.empty()) {
    const auto start = japan_day_start(options.until);
    if (!start) return setup_error(err, "--until must be a date YYYY-MM-DD");
    range.until = *start + kDay - 1;
  }
  if (const base::Status exported = log.export_csv(out, range); !exported.ok()) {
    return setup_error(err, exported.error().message);
  }
  return kExitOk;
}

int run_purge(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  const auto settings = load_config_reporting(config_path(options), err);
  if (!settings) return kExitSetup;
  audit::AuditOptions log_options;
  log_options.purge_daily = false;  // this command is the purge
  base::StreamLogSink sink(err);
  log_options.log = base::Logger(sink, base::LogLevel::info);
  auto opened = audit::AuditLog::open(settings->audit, log_options);
  if (!opened.ok()) return setup_error(err, opened.error().message);
  // With --now the operator vouches for the time; without, the clock must be
  // synchronised (the same rule as the kiosk's daily purge).
  auto purged = opened.value().purge(options.now);
  if (!purged.ok()) return setup_error(err, purged.error().message);
  const audit::PurgeReport& report = purged.value();
  out << settings->audit.database.string() << ": removed " << report.rows_removed
      << " rows older than " << settings->audit.retention_days << " days and the "
      << audit::kRetentionMarginDays << "-day margin";
  if (report.purged_through > 0) out << "; purged through id " << report.purged_through;
  if (report.record) out << "; the purge record is row " << report.record->record_id;
  out << '\n';
  return kExitOk;
}

}  // namespace

int run_audit(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  if (options.action == AuditOptions::Action::purge) return run_purge(options, out, err);
  std::string database = options.database_file;
  if (database.empty()) {
    const auto settings = load_config_reporting(config_path(options), err);
    if (!settings) return kExitSetup;
    database = settings->audit.database.string();
  }
  // Read-only: reviewing the log needs neither the key nor write access.
  const auto opened = audit::AuditLog::open_for_review(database);
  if (!opened.ok()) return setup_error(err, opened.error().message);
  if (options.action == AuditOptions::Action::verify) {
    return run_verify(opened.value(), database, out);
  }
  return run_export(opened.value(), options, out, err);
}

Command add_audit_command(CLI::App& app) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* command =
      app.add_subcommand("audit", "Verify, export or purge the audit log of verdicts");
  command->require_subcommand(1);
  CLI::App* verify =
      command->add_subcommand("verify", "Check the hash chain; says which row breaks it (exit 1)");
  CLI::App* export_command = command->add_subcommand("export", "Write the rows to standard output");
  CLI::App* purge = command->add_subcommand(
      "purge", "Remove rows older than audit.retention_days (the kiosk also does this daily)");
  for (CLI::App* sub : {verify, export_command}) {
    auto* config = sub->add_option("--config", options->config_file,
                                   "Configuration file naming audit.database (default " +
                                       std::string(config::kDefaultConfigPath) + ")");
    auto* database = sub->add_option("--database", options->database_file,
                                     "The audit database itself (instead of --config)");
    config->excludes(database);
  }
  export_command->add_flag("--csv", options->csv, "CSV (RFC 4180, UTF-8)")->required();
  export_command->add_option("--since", options->since,
                             "First day to export, YYYY-MM-DD (Japan time), inclusive");
  export_command->add_option("--until", options->until,
                             "Last day to export, YYYY-MM-DD (Japan time), inclusive");
  purge->add_option("--config", options->config_file,
                    "Configuration file (default " + std::string(config::kDefaultConfigPath) + ")");
  purge->add_option("--now", options->now, "Purge as of this Unix time instead of the clock");
  return {command, [options, export_command, purge](std::ostream& out, std::ostream& err) {
            options->action = export_command->parsed() ? AuditOptions::Action::export_csv
                              : purge->parsed()        ? AuditOptions::Action::purge
                                                       : AuditOptions::Action::verify;
            return run_audit(*options, out, err);
          }};
}

}  // namespace kakunin::kiosk
