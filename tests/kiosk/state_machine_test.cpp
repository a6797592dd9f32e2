// The kiosk at the counter, driven by a fake clock: every transition and every
// timeout a receptionist would notice (what is on screen, whether a result is
// announced once, whether it is handed off once).
#include <kakunin/base/fake_clock.h>
#include <kakunin/kiosk/state_machine.h>

#include "verify_result_for_testing.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kakunin::testing {
namespace {

using crypto::Verdict;
using kiosk::HandoffRequest;
using kiosk::StaffAction;
using kiosk::StateMachine;
using kiosk::StateMachineSettings;
using ui::ScreenKind;
using namespace std::chrono_literals;

// 2026-11-25 10:00:00 Japan time.
constexpr crypto::UnixSeconds kStart = 1795568400;

crypto::VerifiedPresentation member() {
  crypto::VerifiedPresentation p{};
  p.profile = crypto::Profile::holder_bound;
  p.certificate.insurer_number = "06139993";
  p.certificate.number = "6789012";
  p.certificate.branch = "01";
  p.certificate.name = "見本 太郎";
  p.certificate.birth_date = {1985, 4, 1};
  p.certificate.issued = {2025, 12, 2};
  p.certificate.valid_until = {2030, 12, 1};
  p.insurer_name = "見本健康保険組合";
  p.presented_at = kStart - 2;
  p.age_seconds = 2;
  p.cti.fill(0x42);
  return p;
}

// The same member's phone 10 s later: a new presentation (iat) of the same certificate.
crypto::VerifiedPresentation redrawn(crypto::VerifiedPresentation p, crypto::UnixSeconds iat) {
  p.presented_at = iat;
  p.age_seconds = 1;
  return p;
}
// The next patient: a family member of the same insured, one 枝番 on.
crypto::VerifiedPresentation next_member() {
  crypto::VerifiedPresentation p = member();
  p.certificate.branch = "02";
  p.certificate.name = "見本 花子";
  p.cti.fill(0x43);
  return p;
}

crypto::VerifyResult valid_result(const crypto::VerifiedPresentation& p = member()) {
  return crypto::VerifyResultForTesting::valid(p);
}
crypto::VerifyResult refused(Verdict verdict) {
  return crypto::VerifyResultForTesting::refusal(
      verdict, "test: " + std::string(crypto::verdict_name(verdict)));
}

StateMachineSettings automatic_handoff() {
  StateMachineSettings settings;
  settings.handoff_enabled = true;
  settings.handoff_automatic = true;
  return settings;
}

kiosk::TrustStatus usable_lists() {
  kiosk::TrustStatus status;
  status.usable = true;
  status.trust_list = ui::ListInfo{7, kStart - 3600, kStart + 20L * 3600};
  status.revocations = ui::ListInfo{9, kStart - 600, kStart + 3000};
  return status;
}

class KioskStateMachine : public ::testing::Test {
 protected:
  explicit KioskStateMachine(StateMachineSettings settings = {}) : machine(settings, clock) {
    machine.trust_status(usable_lists());
    machine.camera_state(frame::SourceState::running);
    machine.clock_state(base::ClockState::ok);
  }

  // The kiosk loop's part: a QR arrives, is verified, the result goes back.
  bool scan(const std::string& text, const crypto::VerifyResult& result) {
    if (!machine.qr_seen(text)) return false;
    machine.verified(text, result);
    return true;
  }
  void wait(std::chrono::milliseconds by) {
    clock.advance(by);
    machine.tick();
  }
  ScreenKind screen() const { return machine.model().screen; }

  base::FakeClock clock{kStart};
  StateMachine machine;
};

class KioskWithHandoff : public KioskStateMachine {
 protected:
  static StateMachineSettings settings(bool automatic) {
    StateMachineSettings s;
    s.handoff_enabled = true;
    s.handoff_automatic = automatic;
    return s;
  }
  KioskWithHandoff() : KioskStateMachine(settings(false)) {}
};

TEST_F(KioskStateMachine, IdleWhenListsUsableAndCameraRunning) {
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_TRUE(machine.model().warnings.empty());
}

TEST(KioskStateMachineStart, NoTrustListScreenUntilTheSyncReportsUsableLists) {
  base::FakeClock clock{kStart};
  StateMachine machine({}, clock);
  EXPECT_EQ(machine.model().screen, ScreenKind::no_trust_list);
  machine.trust_status(usable_lists());
  EXPECT_EQ(machine.model().screen, ScreenKind::idle);
}

TEST_F(KioskStateMachine, QrSeenShowsReadingUntilVerified) {
  ASSERT_TRUE(machine.qr_seen("JHC1:A"));
  EXPECT_EQ(screen(), ScreenKind::reading);
  EXPECT_FALSE(machine.qr_seen("JHC1:A")) << "the same text while it is being verified";
  machine.verified("JHC1:A", valid_result());
  EXPECT_EQ(screen(), ScreenKind::valid);
}

TEST_F(KioskStateMachine, ValidResultShowsTheCertificate) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  const ui::ScreenModel model = machine.model();
  EXPECT_EQ(model.screen, ScreenKind::valid);
  ASSERT_TRUE(model.valid);
  EXPECT_EQ(model.valid->presentation.certificate.name, "見本 太郎");
  EXPECT_EQ(model.valid->checked_at, kStart);
  EXPECT_FALSE(model.refused);
}

TEST_F(KioskStateMachine, RefusedResultShowsVerdictAndNoPersonalData) {
  ASSERT_TRUE(scan("JHC1:A", refused(Verdict::stale)));
  const ui::ScreenModel model = machine.model();
  EXPECT_EQ(model.screen, ScreenKind::refused);
  ASSERT_TRUE(model.refused);
  EXPECT_EQ(model.refused->verdict, Verdict::stale);
  EXPECT_FALSE(model.valid);
}

TEST_F(KioskStateMachine, ReturnsToIdleAfterResultTimeout) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(19900ms);
  EXPECT_EQ(screen(), ScreenKind::valid);
  wait(100ms);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_FALSE(machine.model().valid) << "the personal data left the screen with the result";
}

TEST_F(KioskStateMachine, ResultIsHiddenAtItsTimeEvenBeforeTheNextTick) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  clock.advance(20s);  // no tick(): a stalled loop
  const ui::ScreenModel model = machine.model();
  EXPECT_EQ(model.screen, ScreenKind::idle);
  EXPECT_FALSE(model.valid);
}

TEST(KioskStateMachineSettings, ResultTimeComesFromTheSettings) {
  base::FakeClock clock{kStart};
  StateMachineSettings settings;
  settings.result_time = 5s;
  StateMachine machine(settings, clock);
  machine.trust_status(usable_lists());
  ASSERT_TRUE(machine.qr_seen("JHC1:A"));
  machine.verified("JHC1:A", refused(Verdict::revoked));
  clock.advance(4999ms);
  machine.tick();
  EXPECT_EQ(machine.model().screen, ScreenKind::refused);
  clock.advance(1ms);
  machine.tick();
  EXPECT_EQ(machine.model().screen, ScreenKind::idle);
}

TEST_F(KioskStateMachine, SameQrWhileShownIsNotAnnouncedTwice) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  for (int frame = 0; frame < 30; ++frame) {
    wait(33ms);
    EXPECT_FALSE(machine.qr_seen("JHC1:A"));
  }
  EXPECT_EQ(screen(), ScreenKind::valid);
}

TEST_F(KioskStateMachine, SameQrIsNotAnnouncedAgainAfterTheResultTimesOut) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(20s);
  EXPECT_FALSE(machine.qr_seen("JHC1:A")) << "a phone left lying in front of the camera";
  EXPECT_EQ(screen(), ScreenKind::idle);
}

TEST_F(KioskStateMachine, DifferentQrReplacesTheResult) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(5s);
  ASSERT_TRUE(scan("JHC1:B", refused(Verdict::bad_signature)));
  const ui::ScreenModel model = machine.model();
  EXPECT_EQ(model.screen, ScreenKind::refused);
  EXPECT_FALSE(model.valid) << "the previous member's data is gone";
  wait(19s);
  EXPECT_EQ(screen(), ScreenKind::refused) << "the new result has its own full time";
}

TEST_F(KioskStateMachine, StaffClearReturnsToIdleAtOnce) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  machine.staff(StaffAction::clear);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_FALSE(machine.model().valid);
  EXPECT_FALSE(machine.qr_seen("JHC1:A")) << "clearing does not re-announce the same QR";
}

TEST_F(KioskStateMachine, ReadAgainAcceptsTheSameQr) {
  ASSERT_TRUE(scan("JHC1:A", refused(Verdict::no_trust_list)));
  machine.staff(StaffAction::read_again);
  EXPECT_EQ(screen(), ScreenKind::idle);
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_EQ(screen(), ScreenKind::valid);
}

TEST_F(KioskStateMachine, CameraOfflineShowsItsScreenAndRecovers) {
  machine.camera_fps(29.5);
  machine.camera_state(frame::SourceState::offline);
  EXPECT_EQ(screen(), ScreenKind::camera_offline);
  EXPECT_EQ(machine.model().camera_fps, 0);
  machine.camera_state(frame::SourceState::running);
  machine.camera_fps(30);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_EQ(machine.model().camera_fps, 30);
}

TEST_F(KioskStateMachine, AVideoAtItsEndShowsTheCameraOfflineScreen) {
  machine.camera_state(frame::SourceState::ended);
  EXPECT_EQ(screen(), ScreenKind::camera_offline);
  EXPECT_EQ(machine.model().camera_fps, 0);
}

TEST_F(KioskStateMachine, CameraLossDoesNotHideAResultOnScreen) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  machine.camera_state(frame::SourceState::offline);
  EXPECT_EQ(screen(), ScreenKind::valid);
  wait(20s);
  EXPECT_EQ(screen(), ScreenKind::camera_offline);
}

TEST_F(KioskStateMachine, NoTrustListScreenWhenListsUnusable) {
  kiosk::TrustStatus gone;
  gone.usable = false;
  machine.trust_status(gone);
  EXPECT_EQ(screen(), ScreenKind::no_trust_list);
  EXPECT_FALSE(machine.model().status.trust_list);
  machine.trust_status(usable_lists());
  EXPECT_EQ(screen(), ScreenKind::idle);
}

TEST_F(KioskStateMachine, NoTrustListOutranksCameraOffline) {
  machine.camera_state(frame::SourceState::offline);
  machine.trust_status({});
  EXPECT_EQ(screen(), ScreenKind::no_trust_list);
}

TEST_F(KioskStateMachine, StaleTrustListWarnsButStillVerifies) {
  kiosk::TrustStatus stale = usable_lists();
  stale.stale = true;
  machine.trust_status(stale);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_TRUE(machine.model().has_warning(ui::Warning::trust_list_stale));
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_TRUE(machine.model().has_warning(ui::Warning::trust_list_stale))
      << "warnings stay visible over results";
}

TEST_F(KioskStateMachine, UnsynchronisedClockWarnsUntilSynchronised) {
  machine.clock_state(base::ClockState::not_synchronised);
  EXPECT_TRUE(machine.model().has_warning(ui::Warning::clock_unsynchronised));
  ASSERT_TRUE(scan("JHC1:A", refused(Verdict::stale)));
  EXPECT_TRUE(machine.model().has_warning(ui::Warning::clock_unsynchronised));
  machine.clock_state(base::ClockState::ok);
  EXPECT_FALSE(machine.model().has_warning(ui::Warning::clock_unsynchronised));
  EXPECT_EQ(machine.model().status.clock, base::ClockState::ok);
}

TEST_F(KioskStateMachine, ClockAwayFromTheSyncServerWarnsButAnUncheckedClockDoesNot) {
  machine.clock_state(base::ClockState::offset_too_large);
  EXPECT_TRUE(machine.model().has_warning(ui::Warning::clock_unsynchronised));
  machine.clock_state(base::ClockState::unknown);
  EXPECT_FALSE(machine.model().has_warning(ui::Warning::clock_unsynchronised));
}

TEST(KioskStateMachineSettings, TestModeWarnsOnEveryScreenAndSaysFreshnessIsSkipped) {
  base::FakeClock clock{kStart};
  StateMachineSettings settings;
  settings.test_mode = true;
  settings.freshness_skipped = true;
  StateMachine machine(settings, clock);
  EXPECT_TRUE(machine.model().test_mode);
  for (int step = 0; step < 3; ++step) {
    const ui::ScreenModel model = machine.model();
    EXPECT_TRUE(model.has_warning(ui::Warning::test_mode)) << ui::screen_name(model.screen);
    EXPECT_TRUE(model.has_warning(ui::Warning::freshness_skipped));
    if (step == 0) machine.trust_status(usable_lists());
    if (step == 1) {
      ASSERT_TRUE(machine.qr_seen("JHC1:A"));
      machine.verified("JHC1:A", valid_result());
    }
  }
}

TEST(KioskStateMachineSettings, FreshnessSkippedIsNeverShownOutsideTestMode) {
  base::FakeClock clock{kStart};
  StateMachineSettings settings;
  settings.freshness_skipped = true;  // ignored: the verifier ignores it in production too
  StateMachine machine(settings, clock);
  EXPECT_TRUE(machine.model().warnings.empty());
}

TEST_F(KioskWithHandoff, SendToReceiptOnlyWhileAValidResultIsShown) {
  machine.staff(StaffAction::send_to_receipt);
  EXPECT_TRUE(machine.take_handoff_requests().empty()) << "idle: nothing to send";
  ASSERT_TRUE(scan("JHC1:R", refused(Verdict::revoked)));
  machine.staff(StaffAction::send_to_receipt);
  EXPECT_TRUE(machine.take_handoff_requests().empty()) << "a refusal is never handed off";

  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_TRUE(machine.model().handoff_enabled);
  machine.staff(StaffAction::send_to_receipt);
  std::vector<HandoffRequest> requests = machine.take_handoff_requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_NE(requests[0].presentation, nullptr);
  EXPECT_EQ(requests[0].presentation->certificate.number, "6789012");
  EXPECT_EQ(requests[0].checked_at, machine.model().valid->checked_at) << "the time on screen";
  EXPECT_EQ(machine.model().valid->handoff, ui::HandoffDisplay::sending);

  machine.staff(StaffAction::send_to_receipt);
  EXPECT_TRUE(machine.take_handoff_requests().empty()) << "sent once per result";
}

TEST(KioskHandoffSettings, AutomaticHandoffSendsEachValidResultOnce) {
  base::FakeClock clock{kStart};
  StateMachine machine(automatic_handoff(), clock);
  machine.trust_status(usable_lists());
  ASSERT_TRUE(machine.qr_seen("JHC1:A"));
  machine.verified("JHC1:A", valid_result());
  EXPECT_EQ(machine.take_handoff_requests().size(), 1u);
  EXPECT_FALSE(machine.model().handoff_enabled) << "no send button when it is automatic";
  EXPECT_FALSE(machine.qr_seen("JHC1:A"));
  EXPECT_TRUE(machine.take_handoff_requests().empty());
}

TEST_F(KioskStateMachine, NoHandoffWhenDisabled) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_FALSE(machine.model().handoff_enabled);
  machine.staff(StaffAction::send_to_receipt);
  EXPECT_TRUE(machine.take_handoff_requests().empty());
}

TEST_F(KioskStateMachine, StatusPageOpensClosesAndTimesOut) {
  machine.staff(StaffAction::toggle_status);
  EXPECT_EQ(screen(), ScreenKind::status);
  machine.staff(StaffAction::toggle_status);
  EXPECT_EQ(screen(), ScreenKind::idle);
  machine.staff(StaffAction::toggle_status);
  machine.staff(StaffAction::clear);
  EXPECT_EQ(screen(), ScreenKind::idle) << "Esc closes the status page too";
  machine.staff(StaffAction::toggle_status);
  wait(60s);
  EXPECT_EQ(screen(), ScreenKind::idle) << "the status page does not stay up forever";
}

TEST_F(KioskStateMachine, NewResultClosesTheStatusPage) {
  machine.staff(StaffAction::toggle_status);
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_EQ(screen(), ScreenKind::valid);
}

TEST_F(KioskStateMachine, StatusPageHasListsClockAndVersion) {
  StateMachineSettings settings;
  settings.version = "9.9.9";
  settings.kiosk_id = "desk-2";
  StateMachine configured(settings, clock);
  configured.trust_status(usable_lists());
  configured.clock_state(base::ClockState::not_synchronised);
  const ui::ScreenModel model = configured.model();
  EXPECT_EQ(model.status.version, "9.9.9");
  EXPECT_EQ(model.status.kiosk_id, "desk-2");
  ASSERT_TRUE(model.status.trust_list);
  EXPECT_EQ(model.status.trust_list->sequence, 7u);
  EXPECT_EQ(model.status.revocations->sequence, 9u);
  EXPECT_EQ(model.status.clock, base::ClockState::not_synchronised);
}

TEST_F(KioskStateMachine, ReadingTimesOutWhenVerificationNeverReturns) {
  ASSERT_TRUE(machine.qr_seen("JHC1:A"));
  wait(2900ms);
  EXPECT_EQ(screen(), ScreenKind::reading);
  wait(100ms);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_TRUE(machine.qr_seen("JHC1:A")) << "it may be read again";
}

TEST_F(KioskStateMachine, LateVerificationOfAnotherQrIsDropped) {
  ASSERT_TRUE(machine.qr_seen("JHC1:A"));
  ASSERT_TRUE(machine.qr_seen("JHC1:B"));
  machine.verified("JHC1:A", valid_result());
  EXPECT_EQ(screen(), ScreenKind::reading);
  machine.verified("JHC1:B", refused(Verdict::stale));
  EXPECT_EQ(screen(), ScreenKind::refused);
}

TEST_F(KioskStateMachine, VerificationWithoutAReadingIsIgnored) {
  machine.verified("JHC1:A", valid_result());
  EXPECT_EQ(screen(), ScreenKind::idle);
}

TEST_F(KioskStateMachine, CountsTodaysResultsByVerdict) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  ASSERT_TRUE(scan("JHC1:A2", valid_result(redrawn(member(), kStart))));  // held: not counted
  ASSERT_TRUE(scan("JHC1:B", valid_result(next_member())));
  ASSERT_TRUE(scan("JHC1:C", refused(Verdict::stale)));
  const ui::ScreenModel model = machine.model();
  EXPECT_EQ(model.counts[static_cast<std::size_t>(Verdict::valid)], 2);
  EXPECT_EQ(model.counts[static_cast<std::size_t>(Verdict::stale)], 1);
  EXPECT_EQ(model.counts[static_cast<std::size_t>(Verdict::revoked)], 0);
}

TEST_F(KioskStateMachine, CountsStartAgainAtJapanMidnight) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(std::chrono::hours(13) + 59min);  // 23:59 JST
  EXPECT_EQ(machine.model().counts[static_cast<std::size_t>(Verdict::valid)], 1);
  wait(1min);  // 00:00 JST
  EXPECT_EQ(machine.model().counts[static_cast<std::size_t>(Verdict::valid)], 0);
  ASSERT_TRUE(scan("JHC1:B", valid_result(next_member())));
  EXPECT_EQ(machine.model().counts[static_cast<std::size_t>(Verdict::valid)], 1);
}

TEST_F(KioskStateMachine, QrOutlineIsDrawnBrieflyAfterItsLastSighting) {
  machine.qr_outline({{10, 10}, {90, 10}, {90, 90}, {10, 90}});
  EXPECT_EQ(machine.model().qr_corners.size(), 4u);
  wait(400ms);
  EXPECT_EQ(machine.model().qr_corners.size(), 4u);
  wait(100ms);
  EXPECT_TRUE(machine.model().qr_corners.empty());
}

TEST_F(KioskStateMachine, ClockOnScreenIsTheInjectedTime) {
  wait(90s);
  EXPECT_EQ(machine.model().now, kStart + 90);
}

TEST(KioskStateMachineSettings, LanguageComesFromTheSettings) {
  base::FakeClock clock{kStart};
  StateMachineSettings settings;
  settings.language = ui::Language::english;
  StateMachine machine(settings, clock);
  EXPECT_EQ(machine.model().language, ui::Language::english);
}

// ------------------------------------------- countdown, hold and pin (issue 11) --

TEST_F(KioskStateMachine, RepresentedCertificateIsHeldNotAnnouncedAgain) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(15s);
  // The phone redraws its QR: a new text (new iat) of the same certificate.
  ASSERT_TRUE(machine.qr_seen("JHC1:A-redrawn"));
  EXPECT_EQ(machine.verified("JHC1:A-redrawn", valid_result(redrawn(member(), kStart + 13))),
            StateMachine::Shown::held);
  const ui::ScreenModel model = machine.model();
  ASSERT_EQ(model.screen, ScreenKind::valid);
  EXPECT_EQ(model.valid->checked_at, kStart) << "the result staff were reading, unchanged";
  EXPECT_EQ(model.counts[static_cast<std::size_t>(Verdict::valid)], 1) << "one patient";
  wait(15s);
  EXPECT_EQ(screen(), ScreenKind::valid) << "30 s after the first check: the countdown restarted";
  wait(5s);
  EXPECT_EQ(screen(), ScreenKind::idle);
}

TEST_F(KioskStateMachine, RepresentedRefusalIsHeldNotAnnouncedAgain) {
  ASSERT_TRUE(scan("JHC1:R", refused(Verdict::revoked)));
  wait(10s);
  ASSERT_TRUE(machine.qr_seen("JHC1:R-redrawn"));
  EXPECT_EQ(machine.verified("JHC1:R-redrawn", refused(Verdict::revoked)),
            StateMachine::Shown::held);
  EXPECT_EQ(machine.model().countdown->remaining, 20s);
  EXPECT_EQ(machine.model().counts[static_cast<std::size_t>(Verdict::revoked)], 1);
}

TEST_F(KioskStateMachine, DifferentCertificateReplacesTheResult) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(5s);
  ASSERT_TRUE(machine.qr_seen("JHC1:B"));
  EXPECT_EQ(machine.verified("JHC1:B", valid_result(next_member())),
            StateMachine::Shown::announced);
  const ui::ScreenModel model = machine.model();
  ASSERT_EQ(model.screen, ScreenKind::valid);
  EXPECT_EQ(model.valid->presentation.certificate.name, "見本 花子");
  EXPECT_EQ(model.valid->checked_at, kStart + 5);
  EXPECT_EQ(model.counts[static_cast<std::size_t>(Verdict::valid)], 2);
}

TEST_F(KioskStateMachine, ACertificateChangedByTheInsurerIsANewResult) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  crypto::VerifiedPresentation reissued = redrawn(member(), kStart + 8);
  reissued.certificate.ratio_tenths = 2;  // same member, same cti: a field staff copy changed
  ASSERT_TRUE(machine.qr_seen("JHC1:A-reissued"));
  EXPECT_EQ(machine.verified("JHC1:A-reissued", valid_result(reissued)),
            StateMachine::Shown::announced);
  EXPECT_EQ(machine.model().valid->presentation.certificate.ratio_tenths, 2);
}

TEST_F(KioskStateMachine, ARefusalOfTheSameMemberReplacesTheirValidResult) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  ASSERT_TRUE(machine.qr_seen("JHC1:A-screenshot"));
  EXPECT_EQ(machine.verified("JHC1:A-screenshot", refused(Verdict::stale)),
            StateMachine::Shown::announced);
  EXPECT_EQ(screen(), ScreenKind::refused);
  EXPECT_FALSE(machine.model().valid);
}

TEST_F(KioskStateMachine, CountdownClearsOnTime) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  ASSERT_TRUE(machine.model().countdown);
  EXPECT_EQ(machine.model().countdown->total, 20s);
  EXPECT_EQ(machine.model().countdown->remaining, 20s);
  EXPECT_FALSE(machine.model().countdown->pinned);
  wait(7250ms);
  EXPECT_EQ(machine.model().countdown->remaining, 12800ms) << "rounded up to the bar's step";
  wait(12650ms);
  EXPECT_EQ(machine.model().countdown->remaining, 100ms);
  wait(100ms);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_FALSE(machine.model().countdown);
}

TEST_F(KioskStateMachine, CountdownChangesTheModelOnlyWhenTheBarMoves) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(1010ms);
  const ui::ScreenModel before = machine.model();
  wait(40ms);  // the next frame: the bar has not moved a step
  EXPECT_EQ(machine.model(), before) << "no redraw for nothing";
  wait(60ms);
  EXPECT_NE(machine.model(), before) << "a step later the bar drains";
}

TEST_F(KioskStateMachine, PinnedResultStaysUntilUnpinned) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  wait(10s);
  machine.staff(StaffAction::pin);
  ASSERT_TRUE(machine.model().countdown);
  EXPECT_TRUE(machine.model().countdown->pinned);
  wait(4min);
  EXPECT_EQ(screen(), ScreenKind::valid) << "staff are still typing";
  EXPECT_FALSE(machine.qr_seen("JHC1:B")) << "the next patient's QR waits";
  EXPECT_EQ(machine.model().valid->presentation.certificate.name, "見本 太郎");
  machine.staff(StaffAction::pin);
  EXPECT_FALSE(machine.model().countdown->pinned);
  EXPECT_EQ(machine.model().countdown->remaining, 20s) << "unpinned: the whole countdown";
  wait(20s);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_TRUE(machine.qr_seen("JHC1:B"));
}

TEST_F(KioskStateMachine, PinnedResultClearsAtTheCeiling) {
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  machine.staff(StaffAction::pin);
  EXPECT_EQ(machine.model().countdown->total, 5min);
  wait(4min + 59s + 500ms);
  EXPECT_EQ(machine.model().countdown->remaining, 1s) << "whole seconds while pinned";
  EXPECT_EQ(screen(), ScreenKind::valid);
  wait(500ms);
  EXPECT_EQ(screen(), ScreenKind::idle);
  EXPECT_FALSE(machine.model().valid) << "personal data never stays all day";
}

TEST_F(KioskStateMachine, ClearEndsAPinnedResultAtOnce) {
  ASSERT_TRUE(scan("JHC1:A", refused(Verdict::stale)));
  machine.staff(StaffAction::pin);
  machine.staff(StaffAction::clear);
  EXPECT_EQ(screen(), ScreenKind::idle);
  ASSERT_TRUE(scan("JHC1:B", valid_result()));
  EXPECT_FALSE(machine.model().countdown->pinned) << "the next result is not pinned";
}

TEST_F(KioskStateMachine, PinDoesNothingWithoutAResult) {
  machine.staff(StaffAction::pin);
  ASSERT_TRUE(scan("JHC1:A", valid_result()));
  EXPECT_FALSE(machine.model().countdown->pinned);
  wait(20s);
  EXPECT_EQ(screen(), ScreenKind::idle);
}

TEST(KioskHandoffSettings, AutomaticHandoffSendsARepresentedCertificateOnce) {
  base::FakeClock clock{kStart};
  StateMachine machine(automatic_handoff(), clock);
  machine.trust_status(usable_lists());
  for (int redraw = 0; redraw < 3; ++redraw) {
    const std::string text = "JHC1:A" + std::to_string(redraw);
    ASSERT_TRUE(machine.qr_seen(text));
    machine.verified(text, valid_result(redrawn(member(), kStart + 10L * redraw)));
    clock.advance(10s);
  }
  EXPECT_EQ(machine.take_handoff_requests().size(), 1u);
}

}  // namespace
}  // namespace kakunin::testing
