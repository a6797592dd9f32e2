// The demo plays a scripted counter; each member's QR must get the verdict the
// script promises, or the demo would teach staff the wrong thing.
#include "demo_world.h"

#include <kakunin/ui/catalogue.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kakunin::demo {
namespace {

constexpr crypto::UnixSeconds kStart = 1795132800;  // 2026-11-20T00:00:00Z

crypto::Verifier demo_verifier(const DemoWorld& world) {
  return crypto::Verifier(world.trust_list(), world.revocations(), crypto::Mode::test);
}

TEST(DemoCounter, EveryScriptedQrGetsTheVerdictTheScriptPromises) {
  const DemoWorld world = DemoWorld::create(kStart);
  const crypto::Verifier verifier = demo_verifier(world);
  const crypto::Verifier without_lists(nullptr, nullptr, crypto::Mode::test);
  ASSERT_GE(world.scenes().size(), 8u);
  // Minutes into the demo, live pages have redrawn; the screenshot has not.
  for (const crypto::UnixSeconds now : {kStart + 3, kStart + 125, kStart + 3601}) {
    for (const DemoScene& scene : world.scenes()) {
      const auto result =
          (scene.lists_withheld ? without_lists : verifier).verify(scene.qr_at(now), now);
      EXPECT_EQ(crypto::verdict_name(result.verdict()), crypto::verdict_name(scene.expected))
          << scene.name << " at +" << (now - kStart) << " s: " << result.detail();
    }
  }
}

TEST(DemoCounter, PlaysBothProfilesAndTheRefusalsStaffMustRecognise) {
  const DemoWorld world = DemoWorld::create(kStart);
  const crypto::Verifier verifier = demo_verifier(world);
  std::set<std::string> profiles;
  std::set<crypto::Verdict> verdicts;
  for (const DemoScene& scene : world.scenes()) {
    const auto result = verifier.verify(scene.qr_at(kStart + 1), kStart + 1);
    verdicts.insert(result.verdict());
    if (result.presentation())
      profiles.insert(std::string(crypto::profile_name(result.presentation()->profile)));
  }
  EXPECT_EQ(profiles, (std::set<std::string>{"issuer", "holder"}));
  for (const auto v : {crypto::Verdict::stale, crypto::Verdict::revoked, crypto::Verdict::not_jhc1,
                       crypto::Verdict::certificate_expired, crypto::Verdict::bad_signature}) {
    EXPECT_TRUE(verdicts.count(v)) << crypto::verdict_name(v);
  }
}

TEST(DemoCounter, ShowsEveryTierStaffMustTellApart) {
  const DemoWorld world = DemoWorld::create(kStart);
  std::set<ui::VerdictTier> tiers;
  for (const DemoScene& scene : world.scenes()) {
    tiers.insert(ui::verdict_tier(scene.expected));
  }
  EXPECT_EQ(tiers, (std::set<ui::VerdictTier>{ui::VerdictTier::ok, ui::VerdictTier::retry,
                                              ui::VerdictTier::stop, ui::VerdictTier::terminal}));
}

TEST(DemoCounter, NothingInTheDemoPassesOnAProductionKiosk) {
  const DemoWorld world = DemoWorld::create(kStart);
  const crypto::Verifier production(world.trust_list(), world.revocations(),
                                    crypto::Mode::production);
  for (const DemoScene& scene : world.scenes()) {
    const auto verdict = production.verify(scene.qr_at(kStart + 1), kStart + 1).verdict();
    EXPECT_NE(verdict, crypto::Verdict::valid) << scene.name;
  }
}

TEST(DemoCounter, APhoneShowsOneQrPerRedrawLikeARealPage) {
  const DemoWorld world = DemoWorld::create(kStart);
  const DemoScene& live = world.scenes()[0];
  // Same text for every camera frame until the page redraws (10 s), then a new one:
  // otherwise every frame would look like a new member at the counter.
  EXPECT_EQ(live.qr_at(kStart + 1), live.qr_at(kStart + 9));
  EXPECT_NE(live.qr_at(kStart + 9), live.qr_at(kStart + 10));
}

TEST(DemoTimeline, HoldsEachPhoneUpThenLeavesTheCounterEmptyAndLoops) {
  const DemoWorld world = DemoWorld::create(kStart);
  const DemoTimeline timeline(world.scenes(), 4.0, 2.0);
  EXPECT_EQ(timeline.at(0.0).scene, &world.scenes()[0]);
  EXPECT_EQ(timeline.at(3.9).scene, &world.scenes()[0]);
  EXPECT_EQ(timeline.at(4.1).scene, nullptr);  // the member walks away
  EXPECT_EQ(timeline.at(6.0).scene, &world.scenes()[1]);
  const double round = timeline.round_seconds();
  EXPECT_EQ(timeline.at(round + 0.5).scene, &world.scenes()[0]);
  EXPECT_EQ(timeline.at(round + 0.5).round, 1u);
}

}  // namespace
}  // namespace kakunin::demo
