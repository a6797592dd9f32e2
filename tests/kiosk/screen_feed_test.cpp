// The hand-over from capture threads to the kiosk loop: newest frame only, a
// frame rate staff can read, and real JHC1 QRs verified once however often seen.
#include "test_world.h"

#include <kakunin/kiosk/kiosk_loop.h>
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

// The whole loop in a window on SDL's dummy video driver: a camera frame and a
// decoded QR go in, the valid screen comes out with one audit event.
TEST(KioskLoop, CameraFrameAndQrBecomeAVerifiedScreenWithOneAuditRecord) {
  setenv("SDL_VIDEODRIVER", "dummy", 0);
  ui::WindowSettings window_settings;
  window_settings.fullscreen = false;
  window_settings.width = 1024;
  window_settings.height = 768;
  std::string error;
  auto window = ui::KioskWindow::open(window_settings, &error);
  ASSERT_TRUE(window) << error;

  const TestWorld world;
  const auto verifier = std::make_shared<const crypto::Verifier>(world.verifier());
  const FixedClock clock;
  kiosk::StateMachine machine({}, clock);
  kiosk::LatestFrame frames;
  kiosk::ScannedTexts texts;
  std::vector<kiosk::KioskEvent> events;
  kiosk::KioskLoopParts parts;
  parts.window = window.get();
  parts.machine = &machine;
  parts.clock = &clock;
  parts.texts = &texts;
  parts.frames = &frames;
  parts.verifier = [&] { return verifier; };
  parts.trust_status = [] {
    kiosk::TrustStatus status;
    status.usable = true;
    return status;
  };
  parts.on_event = [&](const kiosk::KioskEvent& e) { events.push_back(e); };

  drivers::Frame frame = frame_at(1, drivers::SteadyTime{} + 1s);
  frames.push(frame);
  EXPECT_EQ(kiosk::kiosk_loop_turn(parts, 0).screen, ui::ScreenKind::idle);
  EXPECT_EQ(parts.preview.sequence, 1u) << "the frame is on screen";

  const std::string qr = world.holder_qr(crypto::Algorithm::es256);
  texts.qr_text({qr, {}, 2, {}});
  texts.qr_text({qr, {}, 3, {}});
  const kiosk::LoopTurn turn = kiosk::kiosk_loop_turn(parts, 0);
  EXPECT_TRUE(turn.keep_running);
  EXPECT_EQ(turn.screen, ui::ScreenKind::valid);
  ASSERT_EQ(events.size(), 1u) << "tones are played by the loop; audit goes out once";
  EXPECT_EQ(events[0].kind, kiosk::KioskEvent::Kind::record_audit);
  EXPECT_EQ(events[0].verdict, crypto::Verdict::valid);
}

TEST(KioskLoop, WithoutListsEveryQrIsRefusedNotCrashed) {
  setenv("SDL_VIDEODRIVER", "dummy", 0);
  ui::WindowSettings window_settings;
  window_settings.fullscreen = false;
  std::string error;
  auto window = ui::KioskWindow::open(window_settings, &error);
  ASSERT_TRUE(window) << error;
  const FixedClock clock;
  kiosk::StateMachine machine({}, clock);
  kiosk::ScannedTexts texts;
  kiosk::KioskLoopParts parts;
  parts.window = window.get();
  parts.machine = &machine;
  parts.clock = &clock;
  parts.texts = &texts;  // a scanner-only kiosk: no frames
  texts.status({drivers::SourceState::running, ""});
  EXPECT_EQ(kiosk::kiosk_loop_turn(parts, 0).screen, ui::ScreenKind::no_trust_list);
  texts.qr_text({"JHC1:NOT-REALLY", {}, 0, {}});
  EXPECT_EQ(kiosk::kiosk_loop_turn(parts, 0).screen, ui::ScreenKind::refused);
  EXPECT_EQ(machine.model().refused->verdict, crypto::Verdict::malformed);
}

TEST(KioskLoop, RefusesToRunWithoutItsRequiredParts) {
  kiosk::KioskLoopParts parts;
  const std::atomic<bool> stop{false};
  EXPECT_EQ(kiosk::run_kiosk_loop(parts, stop), 2);
}

}  // namespace
}  // namespace kakunin::testing
