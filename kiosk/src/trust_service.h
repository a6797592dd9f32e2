// The kiosk's trust material at run time, built from the configuration: the held
// lists (TrustStore), the background sync that replaces them (Syncer) and the
// clock check fed by the sync server's Date header. Shared by `kakunin run` and
// `kakunin sync --once`.
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/kiosk/state_machine.h>
#include <kakunin/kiosk/trust_source.h>
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
// `operator_run`: an operator's `kakunin sync --once`, which leaves alone a state
// folder the service uses with another mode or other pinned keys.
enum class StateFolderRole { service, operator_run };
std::optional<TrustService> make_trust_service(const config::KioskConfig& config, base::Logger log,
                                               std::string* error,
                                               StateFolderRole role = StateFolderRole::service);

// The held lists as the counter sees them: the store's verifier and staleness,
// and the clock check fed by the sync server's Date header.
class HeldTrust final : public TrustSource {
 public:
  explicit HeldTrust(const TrustService& service)
      : store_(*service.store),
        clock_(*service.clock),
        syncer_(*service.syncer),
        sync_configured_(!service.settings.trust_list_url.empty() ||
                         !service.settings.revocations_url.empty()) {}
  std::shared_ptr<const crypto::Verifier> verifier() const override { return store_.verifier(); }
  TrustStatus status(crypto::UnixSeconds now) const override;
  base::ClockState clock_state() const override;
  ui::StatusFacts status_facts() const override;

 private:
  const sync::TrustStore& store_;
  const sync::ClockCheck& clock_;
  const sync::Syncer& syncer_;  // says when a held list was refused as a rollback
  bool sync_configured_;
};

}  // namespace kakunin::kiosk
