#include "trust_service.h"

#include "trust_files.h"

#include <filesystem>
#include <optional>
#include <system_error>

namespace kakunin::kiosk {

std::optional<TrustService> make_trust_service(const config::KioskConfig& config, base::Logger log,
                                               std::string* error, StateFolderRole role) {
  auto settings = sync::sync_settings_from(config, error);
  if (!settings) return std::nullopt;
  settings->owns_state_dir = role == StateFolderRole::service;
  std::error_code ec;
  std::filesystem::create_directories(settings->state_dir, ec);
  if (ec) {
    *error = "cannot create the state folder " + settings->state_dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  std::vector<std::string> pin_paths;
  for (const auto& path : config.trust.pinned_keys) pin_paths.push_back(path.string());
  auto pins = load_pinned_keys(pin_paths, error);
  if (!pins) return std::nullopt;

  const auto policy = sync::freshness_policy_from(config, error);
  if (!policy) return std::nullopt;

  TrustService service;
  service.settings = *settings;
  service.store = std::make_unique<sync::TrustStore>(settings->mode, *policy);
  service.clock = std::make_unique<sync::ClockCheck>(config.clock);
  sync::ClockCheck* clock = service.clock.get();
  service.syncer = std::make_unique<sync::Syncer>(
      *settings, std::move(*pins), *service.store, log,
      [clock](crypto::UnixSeconds server_date, crypto::UnixSeconds local_time,
              std::string_view server) {
        clock->observe_server_date(server_date, local_time, server);
      });
  service.syncer->load_held();
  return service;
}

TrustStatus HeldTrust::status(crypto::UnixSeconds now) const {
  TrustStatus status;
  const sync::TrustState state = store_.state(now);
  status.usable = state != sync::TrustState::unusable;
  status.stale = state == sync::TrustState::stale_warning;
  const sync::TrustSnapshot snapshot = store_.snapshot();
  if (snapshot.trust_list) {
    status.trust_list = list_info(snapshot.trust_list->header(), store_.policy());
  }
  if (snapshot.revocations) {
    status.revocations = list_info(snapshot.revocations->header(), store_.policy());
  }
  status.held_list_rolled_back = syncer_.held_list_rolled_back();
  return status;
}

base::ClockState HeldTrust::clock_state() const { return clock_.report().state; }

namespace {

ui::SyncResult sync_result(sync::ListOutcome::Result result) {
  switch (result) {
    case sync::ListOutcome::Result::updated:
      return ui::SyncResult::updated;
    case sync::ListOutcome::Result::unchanged:
      return ui::SyncResult::unchanged;
    case sync::ListOutcome::Result::refused:
      return ui::SyncResult::refused;
    case sync::ListOutcome::Result::failed:
      return ui::SyncResult::failed;
    case sync::ListOutcome::Result::not_configured:
      break;
  }
  return ui::SyncResult::not_configured;
}

bool went_wrong(const sync::ListOutcome& outcome) {
  return outcome.result == sync::ListOutcome::Result::failed ||
         outcome.result == sync::ListOutcome::Result::refused;
}

}  // namespace

ui::StatusFacts HeldTrust::status_facts() const {
  ui::StatusFacts facts;
  const sync::ClockReport clock = clock_.report();
  facts.clock = {clock.offset_seconds, clock.offset_source, clock.kernel_synchronised};
  facts.sync.configured = sync_configured_;
  if (const std::optional<sync::RoundReport> round = syncer_.last_report()) {
    facts.sync.last_round = round->finished_at;
    facts.sync.trust_list = sync_result(round->trust_list.result);
    facts.sync.revocations = sync_result(round->revocations.result);
    if (went_wrong(round->trust_list)) {
      facts.sync.error = round->trust_list.reason;
    } else if (went_wrong(round->revocations)) {
      facts.sync.error = round->revocations.reason;
    }
  }
  return facts;
}

}  // namespace kakunin::kiosk
