// The demo's counter: a TEST world made in memory when kakunin-demo starts (a
// pinned list key, two fictitious insurers, test-flagged lists) and a script of
// members' phones — valid QRs of both profiles, a screenshot replayed a minute
// later, forgeries, a revoked and an out-of-date certificate, a URL QR — each with
// the verdict the kiosk must give. Nothing here is real: every list is marked test,
// so a production kiosk refuses all of it. It signs, so it lives outside the
// kiosk: only kakunin-demo and kakunin-bench link it.
//
//   const demo::DemoWorld world = demo::DemoWorld::create(now);
//   const crypto::Verifier verifier(world.trust_list(), world.revocations(), crypto::Mode::test);
//   verifier.verify(world.scenes()[0].qr_at(now), now);  // valid
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::demo {

// One member at the counter: what their phone shows at a given time.
struct DemoScene {
  std::string name;            // "valid-issuer-signed", ...
  std::string description_en;  // for the headless log
  crypto::Verdict expected;
  // The QR text the phone draws at `now` (live pages redraw every 10 s; a
  // screenshot keeps the text it had).
  std::function<std::string(crypto::UnixSeconds now)> qr_at;
  // The kiosk's own fault, not the phone's: while this scene is at the counter
  // the demo kiosk holds no lists (as one whose lists were lost), so the demo
  // shows the terminal tier too (docs/screens.md).
  bool lists_withheld = false;
};

// A member the national system knows (the demo's simulated 資格確認端末 answers
// from these), with the insurer's display name.
struct DemoMember {
  crypto::Certificate certificate;
  std::string insurer_name;
};

class DemoWorld {
 public:
  // Makes keys, lists and scenes; `start` anchors key periods, lists and the
  // screenshot's age.
  static DemoWorld create(crypto::UnixSeconds start);

  std::shared_ptr<const crypto::TrustList> trust_list() const { return trust_list_; }
  std::shared_ptr<const crypto::RevocationList> revocations() const { return revocations_; }
  const std::vector<DemoScene>& scenes() const { return scenes_; }
  const std::vector<DemoMember>& roster() const { return roster_; }

 private:
  std::shared_ptr<const crypto::TrustList> trust_list_;
  std::shared_ptr<const crypto::RevocationList> revocations_;
  std::vector<DemoScene> scenes_;
  std::vector<DemoMember> roster_;
};

// Which scene is at the counter `elapsed` seconds into the demo: each phone is
// held up for `show_seconds`, then the counter is empty for `gap_seconds`, and
// the script loops.
struct DemoMoment {
  const DemoScene* scene = nullptr;  // nullptr: nobody at the counter
  std::size_t index = 0;             // scene index
  std::uint64_t round = 0;           // how many times the script has looped
};

class DemoTimeline {
 public:
  DemoTimeline(const std::vector<DemoScene>& scenes, double show_seconds, double gap_seconds)
      : scenes_(&scenes), show_(show_seconds), gap_(gap_seconds) {}
  DemoMoment at(double elapsed_seconds) const;
  double round_seconds() const { return static_cast<double>(scenes_->size()) * (show_ + gap_); }

 private:
  const std::vector<DemoScene>* scenes_;
  double show_;
  double gap_;
};

}  // namespace kakunin::demo
