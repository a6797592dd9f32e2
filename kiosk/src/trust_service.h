// The kiosk's trust material at run time, built from the configuration: the held
// lists (TrustStore), the background sync that replaces them (Syncer) and the
// clock check fed by the sync server's Date header. Shared by `kakunin run` and
// `kakunin sync --once`.
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/kiosk/state_machine.h>
#include <kakunin/sync/clock.h>
#include <kakunin/sync/sync.h>

#include <memory>
#include <optional>
#include <string>

namespace kakunin::kiosk {

struct TrustService {
  sync::SyncSettings settings;
  std::unique_ptr<sync::TrustStore> store;
  std::unique_ptr<sync::ClockCheck> clock;
  std::unique_ptr<sync::Syncer> syncer;  // has loaded the held lists; not started
};

// Pinned keys, state folder and sync settings from `config`; nullopt with
// `error` (one English line) when any is unusable.
std::optional<TrustService> make_trust_service(const config::KioskConfig& config, base::Logger log,
                                               std::string* error);

// What the screens show of the lists and the clock.
ui::ListInfo list_info(const crypto::ListHeader& header);
TrustStatus trust_status_of(const sync::TrustStore& store, crypto::UnixSeconds now);
ui::ClockState clock_state_of(const sync::ClockReport& report);

}  // namespace kakunin::kiosk
