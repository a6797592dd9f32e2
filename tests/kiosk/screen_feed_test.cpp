// The hand-over from capture threads to the kiosk loop: newest frame only, a
// frame rate staff can read, and real JHC1 QRs verified once however often seen.
#include "dummy_window.h"
#include "run_health.h"
#include "test_world.h"

#include <kakunin/base/fake_clock.h>
#include <kakunin/base/log.h>
#include <kakunin/kiosk/counter.h>
#include <kakunin/kiosk/kiosk.h>
#include <kakunin/kiosk/screen_feed.h>
#include <kakunin/kiosk/trust_source.h>
#include <kakunin/kiosk/verdict_sink.h>

#include <gtest/gtest.h>

#include <thread>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;

frame::Frame frame_at(std::uint64_t sequence, drivers::SteadyTime at) {
  frame::Frame frame;
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
  frame::Frame out;
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
  EXPECT_EQ(frames.camera_state(), frame::SourceState::running);
}

TEST(LatestFrame, CameraLossIsReportedAndClearsTheRate) {
  kiosk::LatestFrame frames;
  const drivers::SteadyTime t0 = drivers::SteadyTime{} + 10s;
  for (int i = 0; i < 10; ++i) frames.push(frame_at(static_cast<std::uint64_t>(i), t0 + i * 33ms));
  frames.status({frame::SourceState::offline, "unplugged"});
  EXPECT_EQ(frames.camera_state(), frame::SourceState::offline);
  EXPECT_EQ(frames.fps(), 0);
  frames.push(frame_at(11, t0 + 2s));
  EXPECT_EQ(frames.camera_state(), frame::SourceState::running) << "a frame means it is back";
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

// A verdict sink that keeps what it was given.
struct RecordingSink final : kiosk::VerdictSink {
  void verdict(const kiosk::CounterVerdict& v) override { verdicts.push_back(v.result.verdict()); }
  std::vector<crypto::Verdict> verdicts;
};

// A receipt computer whose progress the test decides.
struct FakeHandoff final : kiosk::HandoffTarget {
  std::uint64_t hand_off(const kiosk::CounterVerdict& v) override {
    verdicts.push_back(v.result.verdict());
    return verdicts.size();
  }
  ui::HandoffDisplay progress(std::uint64_t) const override { return now; }
  std::vector<crypto::Verdict> verdicts;
  ui::HandoffDisplay now = ui::HandoffDisplay::sending;
};

struct FakeHealth final : kiosk::HealthSource {
  ui::HealthInfo health() const override { return info; }
  ui::HealthInfo info;
};

// The counter with real lists and no window: what `kakunin run` does each turn.
kiosk::StateMachineSettings automatic_handoff() {
  kiosk::StateMachineSettings settings;
  settings.handoff_enabled = true;
  settings.handoff_automatic = true;
  return settings;
}

struct CounterRig {
  explicit CounterRig(kiosk::StateMachineSettings settings = {})
      : machine(std::move(settings), clock) {
    counter.add_sink(sink);
  }
  const TestWorld world;
  const kiosk::FixedTrust trust{world.trust_list(), world.revocations(), crypto::Mode::production};
  base::FakeClock clock{kNow};  // still unless a test advances it
  kiosk::StateMachine machine;
  kiosk::LatestFrame frames;
  kiosk::ScannedTexts texts;
  RecordingSink sink;
  base::CapturingLogSink log;
  kiosk::Counter counter{machine, texts, &frames, trust, clock, base::Logger(log)};
};

TEST(Counter, RealQrIsVerifiedOnceAndShownWithItsOutline) {
  CounterRig rig;
  const std::string qr = rig.world.holder_qr(crypto::Algorithm::es256);
  const drivers::ScannedText seen{qr, {{10, 10}, {60, 10}, {60, 60}, {10, 60}}, 7, {}};
  for (int i = 0; i < 3; ++i) rig.texts.qr_text(seen);
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  ASSERT_EQ(model.screen, ui::ScreenKind::valid);
  EXPECT_EQ(model.valid->presentation.certificate.name,
            rig.world.member_of(rig.world.es256_insurer).name);
  EXPECT_EQ(model.qr_corners.size(), 4u);
  EXPECT_EQ(rig.sink.verdicts, std::vector<crypto::Verdict>{crypto::Verdict::valid})
      << "three sightings of one QR are one verification";
}

TEST(Counter, ForeignQrIsRefusedWithoutPersonalData) {
  CounterRig rig;
  rig.texts.qr_text({"https://example.com/", {}, 1, {}});
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  ASSERT_EQ(model.screen, ui::ScreenKind::refused);
  EXPECT_EQ(model.refused->verdict, crypto::Verdict::not_jhc1);
  EXPECT_FALSE(model.valid);
  EXPECT_EQ(rig.sink.verdicts, std::vector<crypto::Verdict>{crypto::Verdict::not_jhc1});
}

TEST(Counter, EverySinkGetsEveryVerdictInTheOrderAdded) {
  CounterRig rig;
  std::vector<std::string> calls;
  struct Named final : kiosk::VerdictSink {
    Named(std::string sink_name, std::vector<std::string>& log)
        : name(std::move(sink_name)), calls(log) {}
    void verdict(const kiosk::CounterVerdict& v) override {
      calls.push_back(name + ":" + std::string(crypto::verdict_name(v.result.verdict())));
    }
    std::string name;
    std::vector<std::string>& calls;
  } audit("audit", calls), tones("tones", calls);
  rig.counter.add_sink(audit);
  rig.counter.add_sink(tones);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  rig.texts.qr_text({"https://example.com/", {}, 2, {}});
  rig.counter.step();
  EXPECT_EQ(calls, (std::vector<std::string>{"audit:valid", "tones:valid", "audit:not_jhc1",
                                             "tones:not_jhc1"}));
}

TEST(Counter, HandsOffOnlyTheValidResultStaffSendAndOnlyOnce) {
  kiosk::StateMachineSettings settings;
  settings.handoff_enabled = true;  // staff press S
  CounterRig rig(settings);
  FakeHandoff handed_off;
  rig.counter.set_handoff(handed_off);
  rig.texts.qr_text({"https://example.com/", {}, 1, {}});
  rig.counter.step();
  rig.counter.staff(ui::StaffAction::send_to_receipt);
  EXPECT_TRUE(handed_off.verdicts.empty()) << "a refusal is never handed off";

  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::ed25519), {}, 2, {}});
  rig.counter.step();
  EXPECT_TRUE(handed_off.verdicts.empty()) << "not before staff send it";
  rig.counter.staff(ui::StaffAction::send_to_receipt);
  rig.counter.staff(ui::StaffAction::send_to_receipt);
  rig.counter.step();
  EXPECT_EQ(handed_off.verdicts, std::vector<crypto::Verdict>{crypto::Verdict::valid});
  EXPECT_EQ(rig.sink.verdicts.size(), 2u) << "every verification still reached the verdict sinks";
}

TEST(Counter, AnAutomaticHandOffSendsEachValidResultAsItIsShown) {
  CounterRig rig(automatic_handoff());
  FakeHandoff handed_off;
  rig.counter.set_handoff(handed_off);
  rig.texts.qr_text({rig.world.holder_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  EXPECT_EQ(handed_off.verdicts, std::vector<crypto::Verdict>{crypto::Verdict::valid});
}

TEST(Counter, APhoneHeldUpIsAnnouncedAndHandedOffOnceButEveryCheckIsRecorded) {
  CounterRig rig(automatic_handoff());
  FakeHandoff handed_off;
  rig.counter.set_handoff(handed_off);
  struct Announcements final : kiosk::VerdictSink {  // what the tone sink acts on
    void verdict(const kiosk::CounterVerdict& v) override { announced.push_back(v.announced); }
    std::vector<bool> announced;
  } tones;
  rig.counter.add_sink(tones);
  // The member's phone redraws its QR every 10 s: three texts, one credential.
  const signer::Credential credential = rig.world.credential(crypto::Algorithm::es256);
  for (int redraw = 0; redraw < 3; ++redraw) {
    const crypto::UnixSeconds drawn_at = kNow + 10L * redraw - 1;
    rig.texts.qr_text({rig.world.holder_qr(credential, crypto::Algorithm::es256, drawn_at),
                       {},
                       static_cast<std::uint64_t>(redraw),
                       {}});
    rig.counter.step();
    rig.clock.advance(10s);
  }
  EXPECT_EQ(rig.sink.verdicts, std::vector<crypto::Verdict>(3, crypto::Verdict::valid))
      << "the audit records every presentation checked";
  EXPECT_EQ(tones.announced, (std::vector<bool>{true, false, false})) << "one tone";
  EXPECT_EQ(handed_off.verdicts.size(), 1u) << "one hand-off";
  EXPECT_EQ(rig.machine.model().screen, ui::ScreenKind::valid) << "held 30 s after the first";
}

TEST(Counter, ValidCardSaysSentOnlyOnceTheHandOffWasDelivered) {
  kiosk::StateMachineSettings settings;
  settings.handoff_enabled = true;
  CounterRig rig(settings);
  FakeHandoff receipt_pc;
  rig.counter.set_handoff(receipt_pc);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::not_sent);
  rig.counter.staff(ui::StaffAction::send_to_receipt);
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::sending)
      << "staff pressed S: on its way, not yet sent";
  rig.counter.step();
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::sending);
  receipt_pc.now = ui::HandoffDisplay::sent;
  rig.counter.step();
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::sent);
}

TEST(Counter, ValidCardSaysWhenAHandOffWillNotArrive) {
  CounterRig rig(automatic_handoff());
  FakeHandoff receipt_pc;
  receipt_pc.now = ui::HandoffDisplay::failed;
  rig.counter.set_handoff(receipt_pc);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::failed);
}

TEST(Counter, WarnsWhenVerdictsAreNotRecordedOrTheReceiptPcDoesNotAnswer) {
  CounterRig rig;
  FakeHealth health;
  rig.counter.set_health(health);
  rig.counter.step();
  EXPECT_FALSE(rig.machine.model().has_warning(ui::Warning::audit_delayed));
  health.info.recording = ui::RecordingDisplay::delayed;
  health.info.rows_waiting = 3;
  health.info.handoff_enabled = true;
  health.info.handoff_not_answering = true;
  rig.clock.advance(std::chrono::seconds(2));  // health is asked once a second
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  EXPECT_TRUE(model.has_warning(ui::Warning::audit_delayed));
  EXPECT_TRUE(model.has_warning(ui::Warning::handoff_not_answering));
  EXPECT_EQ(model.status.health.rows_waiting, 3);
  health.info.recording = ui::RecordingDisplay::not_recording;
  rig.clock.advance(std::chrono::seconds(2));
  rig.counter.step();
  EXPECT_TRUE(rig.machine.model().has_warning(ui::Warning::audit_not_recording));
}

TEST(RunHealth, StatusPageGetsTheLastSendTheChannelNotAnsweringAndTheLastError) {
  handoff::QueueFigures queue;
  queue.pending = 4;
  queue.quarantined = 1;
  handoff::ChannelFigures xml{};
  xml.channel = handoff::Channel::xml;
  xml.answering = false;
  xml.last_delivery = kNow - 600;
  handoff::ChannelFigures post{};
  post.channel = handoff::Channel::post;
  post.last_error = "HTTP 500 from http://127.0.0.1:8080/oqs";
  post.last_delivery = kNow - 60;
  queue.channels = {xml, post};
  ui::HealthInfo info;
  kiosk::add_handoff_health(queue, info);
  EXPECT_TRUE(info.handoff_enabled);
  EXPECT_EQ(info.handoff_pending, 4u);
  EXPECT_EQ(info.handoff_quarantined, 1u);
  EXPECT_TRUE(info.handoff_not_answering);
  EXPECT_EQ(info.handoff_stuck_channel, "xml");
  EXPECT_EQ(info.handoff_last_sent, kNow - 60) << "the latest delivery on any channel";
  EXPECT_EQ(info.handoff_last_error, "post: HTTP 500 from http://127.0.0.1:8080/oqs");

  queue.channels[0].answering = true;  // the share is back and the POST went through
  queue.channels[1].last_error.clear();
  ui::HealthInfo healthy;
  kiosk::add_handoff_health(queue, healthy);
  EXPECT_FALSE(healthy.handoff_not_answering);
  EXPECT_TRUE(healthy.handoff_stuck_channel.empty());
  EXPECT_TRUE(healthy.handoff_last_error.empty());
}

TEST(Counter, ReadAgainMakesTheReaderPassOnTheSameQrOnceMore) {
  CounterRig rig;
  int resets = 0;
  rig.counter.on_read_again([&] { ++resets; });
  const std::string qr = rig.world.issuer_qr(crypto::Algorithm::ed25519);
  rig.texts.qr_text({qr, {}, 1, {}});
  rig.counter.step();
  rig.counter.staff(ui::StaffAction::read_again);
  EXPECT_EQ(resets, 1);
  rig.texts.qr_text({qr, {}, 2, {}});
  rig.counter.step();
  EXPECT_EQ(rig.sink.verdicts.size(), 2u) << "staff asked for it: the same QR is verified again";
}

TEST(Counter, LogsACameraLossWithItsReasonOnceAndItsReturn) {
  CounterRig rig;
  rig.counter.step();  // starting: nothing to say yet
  rig.frames.status({frame::SourceState::offline, "no such device /dev/video0"});
  rig.counter.step();
  rig.counter.step();  // still offline: not logged again
  EXPECT_EQ(rig.machine.model().screen, ui::ScreenKind::camera_offline);
  rig.frames.push(frame_at(1, drivers::SteadyTime{} + 1s));
  rig.counter.step();
  EXPECT_EQ(rig.log.lines(),
            (std::vector<std::string>{"warning: capture: offline: no such device /dev/video0",
                                      "info: capture: running"}));
}

// Lists given once, with the facts a synced kiosk's clock check and last round
// would report.
struct MeasuredTrust final : kiosk::TrustSource {
  explicit MeasuredTrust(const kiosk::TrustSource& given) : lists(given) {}
  std::shared_ptr<const crypto::Verifier> verifier() const override { return lists.verifier(); }
  kiosk::TrustStatus status(crypto::UnixSeconds now) const override { return lists.status(now); }
  base::ClockState clock_state() const override { return base::ClockState::offset_too_large; }
  ui::StatusFacts status_facts() const override { return facts; }
  const kiosk::TrustSource& lists;
  ui::StatusFacts facts;
};

TEST(Counter, CarriesTheMeasuredFactsAndTheCaptureReasonToTheStatusPage) {
  CounterRig rig;
  MeasuredTrust trust(rig.trust);
  trust.facts.clock = {47, "lists.example.jp", false};
  trust.facts.sync = {true, kNow - 60, ui::SyncResult::failed, ui::SyncResult::unchanged,
                      "trust list: HTTP 503"};
  kiosk::Counter counter{rig.machine, rig.texts, &rig.frames,
                         trust,       rig.clock, base::Logger(rig.log)};
  rig.frames.status({frame::SourceState::offline, "no such device /dev/video0"});
  counter.step();
  const ui::StatusFacts shown = rig.machine.model().status.facts;
  EXPECT_EQ(shown.clock, trust.facts.clock);
  EXPECT_EQ(shown.sync, trust.facts.sync);
  EXPECT_EQ(shown.capture, ui::CaptureKind::camera);
  EXPECT_EQ(shown.capture_reason, "no such device /dev/video0");
  EXPECT_EQ(rig.machine.model().status.clock, base::ClockState::offset_too_large);
}

TEST(Counter, ScannerKioskSaysScannerOnTheStatusPage) {
  CounterRig rig;
  kiosk::Counter counter{rig.machine, rig.texts, nullptr,
                         rig.trust,   rig.clock, base::Logger(rig.log)};
  counter.step();
  EXPECT_EQ(rig.machine.model().status.facts.capture, ui::CaptureKind::scanner);
}

TEST(Counter, StatusPageSaysWhenTheGraceOfEachListRunsOut) {
  CounterRig rig;
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  ASSERT_TRUE(model.status.trust_list && model.status.revocations);
  constexpr crypto::UnixSeconds kGrace = 7L * 86400;  // the spec's default
  EXPECT_EQ(model.status.trust_list->verification_stops,
            model.status.trust_list->next_update + kGrace);
  EXPECT_EQ(model.status.revocations->verification_stops,
            model.status.revocations->next_update + kGrace);
}

TEST(Counter, ShowsTheListsItWasGivenOnTheStatusPage) {
  CounterRig rig;
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  EXPECT_EQ(model.screen, ui::ScreenKind::idle) << "usable lists: not the no-trust-list screen";
  ASSERT_TRUE(model.status.trust_list);
  EXPECT_EQ(model.status.trust_list->sequence, 7u);
  EXPECT_EQ(model.status.clock, base::ClockState::ok);
}

// The whole loop in a window on SDL's dummy video driver: a camera frame and a
// decoded QR go in, the valid screen comes out, verified once.
TEST(KioskLoop, CameraFrameAndQrBecomeAVerifiedScreenVerifiedOnce) {
  auto window = open_dummy_window();
  ASSERT_TRUE(window);

  CounterRig rig;
  rig.frames.push(frame_at(1, drivers::SteadyTime{} + 1s));
  EXPECT_EQ(kiosk::kiosk_loop_turn(*window, rig.counter, 0).screen, ui::ScreenKind::idle);
  ASSERT_NE(rig.counter.preview(), nullptr);
  EXPECT_EQ(rig.counter.preview()->sequence, 1u) << "the frame is on screen";

  const std::string qr = rig.world.holder_qr(crypto::Algorithm::es256);
  rig.texts.qr_text({qr, {}, 2, {}});
  rig.texts.qr_text({qr, {}, 3, {}});
  const kiosk::LoopTurn turn = kiosk::kiosk_loop_turn(*window, rig.counter, 0);
  EXPECT_TRUE(turn.keep_running);
  EXPECT_EQ(turn.screen, ui::ScreenKind::valid);
  EXPECT_EQ(rig.sink.verdicts, std::vector<crypto::Verdict>{crypto::Verdict::valid});
}

// The same picture is not drawn again: an idle screen is drawn when a camera
// frame comes or something on it changes, not on every turn of the loop.
TEST(KioskLoop, DrawsOnlyWhenANewFrameOrAChangeIsThere) {
  auto window = open_dummy_window();
  ASSERT_TRUE(window);

  CounterRig rig;
  rig.frames.push(frame_at(1, drivers::SteadyTime{} + 1s));
  EXPECT_TRUE(kiosk::kiosk_loop_turn(*window, rig.counter, 0).drawn) << "the first frame";
  EXPECT_FALSE(kiosk::kiosk_loop_turn(*window, rig.counter, 0).drawn) << "nothing new";
  rig.frames.push(frame_at(2, drivers::SteadyTime{} + 2s));
  EXPECT_TRUE(kiosk::kiosk_loop_turn(*window, rig.counter, 0).drawn) << "a newer frame";
  rig.texts.qr_text({rig.world.holder_qr(crypto::Algorithm::es256), {}, 3, {}});
  EXPECT_TRUE(kiosk::kiosk_loop_turn(*window, rig.counter, 0).drawn) << "a verdict, no frame";
  EXPECT_FALSE(kiosk::kiosk_loop_turn(*window, rig.counter, 0).drawn);
}

TEST(KioskLoop, WithoutListsEveryQrIsRefusedNotCrashed) {
  auto window = open_dummy_window();
  ASSERT_TRUE(window);
  const FixedClock clock;
  kiosk::StateMachine machine({}, clock);
  kiosk::ScannedTexts texts;
  const kiosk::FixedTrust no_lists(nullptr, nullptr, crypto::Mode::production);
  kiosk::Counter counter(machine, texts, nullptr, no_lists,
                         clock);  // a scanner-only kiosk, no lists
  texts.status({frame::SourceState::running, ""});
  EXPECT_EQ(kiosk::kiosk_loop_turn(*window, counter, 0).screen, ui::ScreenKind::no_trust_list);
  texts.qr_text({"JHC1:NOT-REALLY", {}, 0, {}});
  EXPECT_EQ(kiosk::kiosk_loop_turn(*window, counter, 0).screen, ui::ScreenKind::refused);
  EXPECT_EQ(machine.model().refused->verdict, crypto::Verdict::malformed);
}

// ---- オンライン資格確認 (docs/online.md): the national answer beside the verdict --

// A national system whose answer the test decides.
struct FakeOnline final : online::OnlineAsker {
  std::uint64_t ask(const crypto::VerifiedPresentation& p, crypto::UnixSeconds) override {
    asked.push_back(p.certificate.number);
    return asked.size();
  }
  online::OnlineStatus status(std::uint64_t) const override { return now; }
  std::shared_ptr<const online::NationalAnswer> answer(std::uint64_t) const override {
    return now.final() ? national : nullptr;
  }
  std::vector<std::string> asked;
  online::OnlineStatus now;  // pending
  std::shared_ptr<const online::NationalAnswer> national =
      std::make_shared<online::NationalAnswer>();
};

// A receipt computer that keeps what each hand-off carried.
struct RecordingHandoff final : kiosk::HandoffTarget {
  std::uint64_t hand_off(const kiosk::CounterVerdict& v) override {
    carried.push_back(v.online);
    answers.push_back(v.national);
    return carried.size();
  }
  ui::HandoffDisplay progress(std::uint64_t) const override { return ui::HandoffDisplay::sending; }
  std::vector<std::optional<online::OnlineStatus>> carried;
  std::vector<std::shared_ptr<const online::NationalAnswer>> answers;
};

kiosk::StateMachineSettings online_with_automatic_handoff() {
  kiosk::StateMachineSettings settings = automatic_handoff();
  settings.online_enabled = true;
  return settings;
}

TEST(CounterOnline, AValidResultShowsPendingThenTheNationalAnswerBesideIt) {
  CounterRig rig(online_with_automatic_handoff());
  FakeOnline national;
  rig.counter.set_online(national);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  ASSERT_EQ(rig.machine.model().screen, ui::ScreenKind::valid);
  ASSERT_TRUE(rig.machine.model().valid->online);
  EXPECT_EQ(rig.machine.model().valid->online->state, online::OnlineState::pending);
  national.now = {online::OnlineState::confirmed, online::OnlineReason::none, {}, {}};
  rig.counter.step();
  EXPECT_EQ(rig.machine.model().valid->online->state, online::OnlineState::confirmed);
}

TEST(CounterOnline, AnOnlineFailureNeverHidesOrChangesTheOfflineVerdict) {
  CounterRig rig(online_with_automatic_handoff());
  FakeOnline national;
  rig.counter.set_online(national);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  const crypto::VerifiedPresentation shown = rig.machine.model().valid->presentation;
  national.now = {online::OnlineState::unavailable, online::OnlineReason::timed_out, {}, {}};
  rig.counter.step();
  const ui::ScreenModel model = rig.machine.model();
  EXPECT_EQ(model.screen, ui::ScreenKind::valid);
  EXPECT_EQ(model.valid->presentation, shown);
  EXPECT_EQ(model.valid->online->reason, online::OnlineReason::timed_out);
}

TEST(CounterOnline, OnlyAValidVerdictIsAskedAboutAndARedrawnQrIsNotAskedAgain) {
  CounterRig rig(online_with_automatic_handoff());
  FakeOnline national;
  rig.counter.set_online(national);
  rig.texts.qr_text({"https://example.com/", {}, 1, {}});
  rig.counter.step();
  EXPECT_TRUE(national.asked.empty()) << "no request without a valid verdict";
  const signer::Credential credential = rig.world.credential(crypto::Algorithm::es256);
  for (int redraw = 0; redraw < 3; ++redraw) {
    rig.texts.qr_text(
        {rig.world.holder_qr(credential, crypto::Algorithm::es256, kNow + 10L * redraw - 1),
         {},
         static_cast<std::uint64_t>(redraw + 2),
         {}});
    rig.counter.step();
    rig.clock.advance(10s);
  }
  EXPECT_EQ(national.asked.size(), 1u) << "one scan, one request";
}

TEST(CounterOnline, TheHandOffWaitsForTheNationalAnswerAndCarriesIt) {
  CounterRig rig(online_with_automatic_handoff());
  FakeOnline national;
  RecordingHandoff receipt_pc;
  rig.counter.set_online(national);
  rig.counter.set_handoff(receipt_pc);
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  rig.counter.step();
  EXPECT_TRUE(receipt_pc.carried.empty()) << "not before the national system answered";
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::waiting_online);
  national.now = {online::OnlineState::mismatch,
                  online::OnlineReason::none,
                  {{online::OnlineField::ratio, "020"}},
                  {}};
  rig.counter.step();
  ASSERT_EQ(receipt_pc.carried.size(), 1u);
  ASSERT_TRUE(receipt_pc.carried[0]);
  EXPECT_EQ(receipt_pc.carried[0]->state, online::OnlineState::mismatch);
  EXPECT_EQ(receipt_pc.answers[0], national.national) << "with the national answer itself";
  EXPECT_EQ(rig.machine.model().valid->handoff, ui::HandoffDisplay::sending);
  rig.counter.step();
  EXPECT_EQ(receipt_pc.carried.size(), 1u) << "once";
}

TEST(CounterOnline, WithoutAnAskerTheCardSaysTheCheckWasNotMade) {
  CounterRig rig(online_with_automatic_handoff());
  rig.texts.qr_text({rig.world.issuer_qr(crypto::Algorithm::es256), {}, 1, {}});
  rig.counter.step();
  ASSERT_TRUE(rig.machine.model().valid->online);
  EXPECT_EQ(rig.machine.model().valid->online->reason, online::OnlineReason::not_asked);
}

}  // namespace
}  // namespace kakunin::testing
