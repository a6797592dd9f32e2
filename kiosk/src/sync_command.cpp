#include "sync_command.h"

#include "kiosk_log.h"

#include "config_file.h"
#include "trust_service.h"

#include "trust_files.h"

#include <kakunin/base/clock.h>
#include <kakunin/kiosk/cli.h>
#include <kakunin/sync/clock.h>
#include <kakunin/sync/sync.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>

namespace kakunin::kiosk {
namespace {

int setup_error(std::ostream& err, const std::string& reason) {
  err << "kakunin: error: " << reason << '\n';
  return kExitSetup;
}

void print_outcome(const sync::ListOutcome& outcome, std::ostream& out) {
  out << sync::list_kind_name(outcome.kind) << ": " << sync::list_result_name(outcome.result);
  if (outcome.held_sequence) out << " (held sequence " << *outcome.held_sequence << ")";
  out << '\n';
}

// A list that was downloaded and refused (unsigned, a rollback, a TEST list on a
// production kiosk, hostile content) is not a passing network problem: the source
// serves material the kiosk must never use, so the run fails like a setup error.
bool refused(const sync::RoundReport& report) {
  return report.trust_list.result == sync::ListOutcome::Result::refused ||
         report.revocations.result == sync::ListOutcome::Result::refused;
}

bool acceptable(const sync::RoundReport& report) {
  using Result = sync::ListOutcome::Result;
  auto fine = [](const sync::ListOutcome& o) {
    return o.ok() || o.result == Result::not_configured;
  };
  return fine(report.trust_list) && fine(report.revocations);
}

}  // namespace

std::optional<config::KioskConfig> sync_config(const SyncOptions& options, std::ostream& err) {
  config::KioskConfig config;
  if (!options.config_path.empty()) {
    auto loaded = load_config_reporting(options.config_path, err);
    if (!loaded) return std::nullopt;
    config = std::move(*loaded);
  }
  config::TrustSettings& t = config.trust;
  if (options.trust_list_url) t.trust_list_url = *options.trust_list_url;
  if (options.revocations_url) t.revocations_url = *options.revocations_url;
  if (options.state_dir) t.state_dir = *options.state_dir;
  if (!options.pinned_key_paths.empty()) {
    t.pinned_keys.assign(options.pinned_key_paths.begin(), options.pinned_key_paths.end());
  }
  if (options.ca_file) t.ca_file = *options.ca_file;
  if (options.public_key_pin) t.public_key_pin = *options.public_key_pin;
  if (options.proxy) t.proxy = *options.proxy;
  if (options.retries) t.retries = *options.retries;
  if (options.mode) {
    config.kiosk.mode = *options.mode == "test" ? crypto::Mode::test : crypto::Mode::production;
  }
  return config;
}

int run_sync(const SyncOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.once) {
    return setup_error(err, "give --once: the kiosk service syncs in the background by itself");
  }
  const auto config = sync_config(options, err);
  if (!config) return kExitSetup;
  std::string error;
  const KioskLog log(*config, err);
  auto service = make_trust_service(*config, log.logger(), &error, StateFolderRole::operator_run);
  if (!service) return setup_error(err, error);
  if (auto foreign = service->syncer->foreign_state_folder()) return setup_error(err, *foreign);
  if (service->settings.trust_list_url.empty() && service->settings.revocations_url.empty()) {
    return setup_error(err, "no trust_list_url or revocations_url configured: nothing to sync");
  }
  sync::TrustStore& store = *service->store;
  const sync::ClockCheck& clock = *service->clock;
  const sync::RoundReport report = service->syncer->sync_once();

  print_outcome(report.trust_list, out);
  print_outcome(report.revocations, out);
  out << "lists: " << sync::trust_state_name(store.state(base::system_clock().wall_now())) << '\n';
  const sync::ClockReport clock_report = clock.report();
  out << "clock: " << base::clock_state_name(clock_report.state) << " — " << clock_report.message
      << '\n';
  if (refused(report)) return kExitSetup;
  return acceptable(report) ? kExitOk : kExitRefused;
}

Command add_sync_command(CLI::App& app) {
  auto options = std::make_shared<SyncOptions>();
  CLI::App* sync = app.add_subcommand(
      "sync",
      "Download the trust list and revocation list once (checked, then replaced atomically)");
  sync->add_flag("--once", options->once, "Run one sync round and exit (required)");
  sync->add_option("--config", options->config_path,
                   "Configuration file (e.g. /etc/kakunin/kakunin.toml); flags override it");
  sync->add_option("--trust-list-url", options->trust_list_url,
                   "https:// or file:// URL of trustlist.cose");
  sync->add_option("--revocations-url", options->revocations_url,
                   "https:// or file:// URL of revocations.cose");
  sync->add_option("--state-dir", options->state_dir,
                   "Folder holding the lists (default /var/lib/kakunin/trust)");
  sync->add_option("--pinned-key", options->pinned_key_paths,
                   "PEM public key that signs trust lists (give the option once or twice)")
      ->allow_extra_args(false);
  sync->add_option("--ca-file", options->ca_file,
                   "CA certificates (PEM) for the sync server; default: the system CAs");
  sync->add_option("--public-key-pin", options->public_key_pin,
                   "Server public key pin, sha256//BASE64 (curl's format)");
  sync->add_option("--proxy", options->proxy, "HTTP(S) proxy, e.g. http://proxy.clinic.local:8080");
  sync->add_option("--mode", options->mode, "production (default) or test")
      ->check(CLI::IsMember({"production", "test"}));
  sync->add_option("--retries", options->retries, "Further attempts per list after a failure")
      ->check(CLI::Range(0, 20));
  return {sync,
          [options](std::ostream& out, std::ostream& err) { return run_sync(*options, out, err); }};
}

}  // namespace kakunin::kiosk
