#include "trust_service.h"

#include "trust_files.h"

#include <filesystem>
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
      [clock](crypto::UnixSeconds server_date, crypto::UnixSeconds local_time) {
        clock->observe_server_date(server_date, local_time);
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
  if (snapshot.trust_list) status.trust_list = list_info(snapshot.trust_list->header());
  if (snapshot.revocations) status.revocations = list_info(snapshot.revocations->header());
  status.held_list_rolled_back = syncer_.held_list_rolled_back();
  return status;
}

base::ClockState HeldTrust::clock_state() const { return clock_.report().state; }

}  // namespace kakunin::kiosk
