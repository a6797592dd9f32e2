#include "trust_service.h"

#include "trust_files.h"

#include <filesystem>
#include <system_error>

namespace kakunin::kiosk {

std::optional<TrustService> make_trust_service(const config::KioskConfig& config, base::Logger log,
                                               std::string* error) {
  auto settings = sync::sync_settings_from(config, error);
  if (!settings) return std::nullopt;
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

  TrustService service;
  service.settings = *settings;
  service.store = std::make_unique<sync::TrustStore>(settings->mode, sync::freshness_policy_from(config));
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

ui::ListInfo list_info(const crypto::ListHeader& header) {
  return {header.sequence, header.issued_at, header.next_update};
}

TrustStatus trust_status_of(const sync::TrustStore& store, crypto::UnixSeconds now) {
  TrustStatus status;
  const sync::TrustState state = store.state(now);
  status.usable = state != sync::TrustState::unusable;
  status.stale = state == sync::TrustState::stale_warning;
  const sync::TrustSnapshot snapshot = store.snapshot();
  if (snapshot.trust_list) status.trust_list = list_info(snapshot.trust_list->header());
  if (snapshot.revocations) status.revocations = list_info(snapshot.revocations->header());
  return status;
}

ui::ClockState clock_state_of(const sync::ClockReport& report) {
  switch (report.state) {
    case sync::ClockState::ok:
      return ui::ClockState::synchronised;
    case sync::ClockState::unknown:
      return ui::ClockState::unknown;
    case sync::ClockState::not_synchronised:
    case sync::ClockState::offset_too_large:
      return ui::ClockState::unsynchronised;
  }
  return ui::ClockState::unknown;
}

}  // namespace kakunin::kiosk
