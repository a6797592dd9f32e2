// Where the counter gets its verifier, and what the screens say about the lists
// and the clock. `kakunin run` holds synced lists behind it (kiosk/src/
// trust_service.h); kakunin-demo, the benchmark and tests give lists once:
//
//   kiosk::FixedTrust trust(world.trust_list(), world.revocations(), crypto::Mode::test);
//   kiosk::Kiosk kiosk(std::move(capture), trust, settings, clock);
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/kiosk/state_machine.h>

#include <memory>

namespace kakunin::kiosk {

// Asked from the main thread: verifier() for each new QR, the rest once a second.
class TrustSource {
 public:
  virtual ~TrustSource() = default;
  // The verifier for the lists held now; nullptr while none are usable.
  virtual std::shared_ptr<const crypto::Verifier> verifier() const = 0;
  virtual TrustStatus status(crypto::UnixSeconds now) const = 0;
  virtual base::ClockState clock_state() const = 0;
  // What the clock check measured and how the last sync round went, for the status
  // page and the strips. None here: lists given once are not synced, the clock
  // not measured.
  virtual ui::StatusFacts status_facts() const { return {}; }
};

// Lists given once, already loaded against a pinned key; usable while both are
// there, never stale, the clock taken as synchronised. Without lists every QR
// that parses is no_trust_list.
class FixedTrust final : public TrustSource {
 public:
  FixedTrust(std::shared_ptr<const crypto::TrustList> trust_list,
             std::shared_ptr<const crypto::RevocationList> revocations, crypto::Mode mode);
  std::shared_ptr<const crypto::Verifier> verifier() const override { return verifier_; }
  TrustStatus status(crypto::UnixSeconds now) const override;
  base::ClockState clock_state() const override { return base::ClockState::ok; }

 private:
  std::shared_ptr<const crypto::TrustList> trust_list_;
  std::shared_ptr<const crypto::RevocationList> revocations_;
  std::shared_ptr<const crypto::Verifier> verifier_;
};

// A list's sequence, issue time, next update and the moment `policy`'s grace runs
// out, for the status page.
ui::ListInfo list_info(const crypto::ListHeader& header, const crypto::FreshnessPolicy& policy);

}  // namespace kakunin::kiosk
