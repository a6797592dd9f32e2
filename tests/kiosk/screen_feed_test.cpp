// The hand-over from capture threads to the kiosk loop: newest frame only, a
// frame rate staff can read, and real JHC1 QRs verified once however often seen.
#include "test_world.h"

#include <kakunin/kiosk/screen_feed.h>

#include <gtest/gtest.h>

#include <thread>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;

drivers::Frame frame_at(std::uint64_t sequence, drivers::SteadyTime at) {
  drivers::Frame frame;
  frame.width = 2;
  frame.height = 1;
  frame.stride = 6;
  frame.pixels.assign(6, static_cast<std::uint8_t>(sequence));
  frame.sequence = sequence;
  frame.captured_at = at;
  return frame;
}

TEST(LatestFrame, KeepsOnlyTheNewestFrame) {
  kiosk::LatestFrame frames;
  drivers::Frame out;
  EXPECT_FALSE(frames.take(out));
  const drivers::SteadyTime t0{};
  for (std::uint64_t i = 1; i <= 5; ++i) frames.push(frame_at(i, t0 + i * 33ms));
  ASSERT_TRUE(frames.take(out));
  EXPECT_EQ(out.sequence, 5u);
  EXPECT_FALSE(frames.take(out)) << "nothing new since";
  EXPECT_EQ(out.sequence, 5u) << "the caller keeps the last frame for redraws";
}

TEST(LatestFrame, MeasuresFramesPerSecond) {
  kiosk::LatestFrame frames;
  EXPECT_EQ(frames.fps(), 0);
  const drivers::SteadyTime t0 = drivers::SteadyTime{} + 10s;
  for (int i = 0; i < 90; ++i) frames.push(frame_at(static_cast<std::uint64_t>(i), t0 + i * 40ms));
  EXPECT_NEAR(frames.fps(), 25, 0.5);
  EXPECT_EQ(frames.camera_state(), ui::CameraState::running);
}

TEST(LatestFrame, CameraLossIsReportedAndClearsTheRate) {
  kiosk::LatestFrame frames;
  const drivers::SteadyTime t0 = drivers::SteadyTime{} + 10s;
  for (int i = 0; i < 10; ++i) frames.push(frame_at(static_cast<std::uint64_t>(i), t0 + i * 33ms));
  frames.status({drivers::SourceState::offline, "unplugged"});
  EXPECT_EQ(frames.camera_state(), ui::CameraState::offline);
  EXPECT_EQ(frames.fps(), 0);
  frames.push(frame_at(11, t0 + 2s));
  EXPECT_EQ(frames.camera_state(), ui::CameraState::running) << "a frame means it is back";
}

TEST(ScannedTexts, HandsOverInOrderAndDropsTheOldestWhenFull) {
  kiosk::ScannedTexts texts;
  for (std::size_t i = 0; i < kiosk::ScannedTexts::kCapacity + 3; ++i) {
    texts.qr_text({"JHC1:" + std::to_string(i), {}, i, {}});
  }
  const auto taken = texts.take();
  ASSERT_EQ(taken.size(), kiosk::ScannedTexts::kCapacity);
  EXPECT_EQ(taken.front().text, "JHC1:3");
  EXPECT_EQ(taken.back().text, "JHC1:18");
  EXPECT_TRUE(texts.take().empty());
}

TEST(ScannedTexts, AcceptsTextsFromAnotherThread) {
  kiosk::ScannedTexts texts;
  std::thread scanner([&] {
    for (int i = 0; i < 10; ++i) texts.qr_text({"JHC1:X", {}, 0, {}});
  });
  scanner.join();
  EXPECT_EQ(texts.take().size(), 10u);
}

class FixedClock final : public kiosk::Clock {
 public:
  crypto::UnixSeconds wall_now() const override { return kNow; }
  kiosk::SteadyTime steady_now() const override { return {}; }
};

TEST(Feed, RealQrIsVerifiedOnceAndShownWithItsOutline) {
  const TestWorld world;
  const crypto::Verifier verifier = world.verifier();
  const FixedClock clock;
  kiosk::StateMachine machine({}, clock);
  kiosk::TrustStatus lists;
  lists.usable = true;
  machine.trust_status(lists);

  const std::string qr = world.holder_qr(crypto::Algorithm::es256);
  const drivers::ScannedText seen{qr, {{10, 10}, {60, 10}, {60, 60}, {10, 60}}, 7, {}};
  kiosk::feed(machine, verifier, {seen, seen, seen}, clock);
  const ui::ScreenModel model = machine.model();
  ASSERT_EQ(model.screen, ui::ScreenKind::valid);
  EXPECT_EQ(model.valid->presentation.certificate.name,
            world.member_of(world.es256_insurer).name);
  EXPECT_EQ(model.qr_corners.size(), 4u);
  const auto events = machine.take_events();
  EXPECT_EQ(events.size(), 2u) << "one audit record and one tone for three sightings";
}

TEST(Feed, ForeignQrIsRefusedWithoutPersonalData) {
  const TestWorld world;
  const FixedClock clock;
  kiosk::StateMachine machine({}, clock);
  kiosk::TrustStatus lists;
  lists.usable = true;
  machine.trust_status(lists);
  kiosk::feed(machine, world.verifier(), {{"https://example.com/", {}, 1, {}}}, clock);
  const ui::ScreenModel model = machine.model();
  ASSERT_EQ(model.screen, ui::ScreenKind::refused);
  EXPECT_EQ(model.refused->verdict, crypto::Verdict::not_jhc1);
  EXPECT_FALSE(model.valid);
}

}  // namespace
}  // namespace kakunin::testing
