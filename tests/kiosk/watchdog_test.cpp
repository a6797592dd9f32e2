// The systemd watchdog as systemd sees it: datagrams on a fake NOTIFY_SOCKET
// bound in this process. READY=1 on the first turn, WATCHDOG=1 at half the
// timeout while every stage is alive, none while one is stuck inside a call,
// STOPPING=1 at the end. Time is a FakeClock's; nothing sleeps.
#include "fake_notify_socket.h"

#include <kakunin/base/fake_clock.h>
#include <kakunin/base/heartbeat.h>
#include <kakunin/kiosk/watchdog.h>

#include <gtest/gtest.h>

#include <chrono>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;
using Datagrams = std::vector<std::string>;

constexpr auto kWatchdogSec = 30s;

class WatchdogTest : public ::testing::Test {
 protected:
  WatchdogTest() : decode(clock), sync(clock) {
    watchdog.watch("decode", decode, 15s);
    watchdog.watch("sync", sync, 2min);
  }
  // A turn of the main loop `after` the previous one.
  void turn_after(std::chrono::milliseconds after) {
    clock.advance(after);
    watchdog.turn("screen idle; capture running");
  }
  bool pinged() {
    for (const std::string& datagram : systemd.take())
      if (datagram == "WATCHDOG=1") return true;
    return false;
  }

  FakeNotifySocket systemd{kWatchdogSec};  // before the notifier: it reads the environment
  std::unique_ptr<kiosk::ServiceNotifier> notifier = kiosk::service_notifier();
  base::FakeClock clock;
  base::Heartbeat decode;
  base::Heartbeat sync;
  kiosk::Watchdog watchdog{*notifier, clock};
};

TEST_F(WatchdogTest, SaysReadyOnTheFirstTurnThenPingsAtHalfTheWatchdogTimeout) {
  watchdog.turn("screen idle; capture running");
  EXPECT_EQ(systemd.take(), Datagrams{"READY=1\nSTATUS=screen idle; capture running"});
  turn_after(14s);
  EXPECT_EQ(systemd.take(), Datagrams{});
  turn_after(1s);
  EXPECT_EQ(systemd.take(), Datagrams{"WATCHDOG=1"});
  turn_after(15s);
  EXPECT_EQ(systemd.take(), Datagrams{"WATCHDOG=1"});
}

TEST_F(WatchdogTest, IdleStagesWaitingForWorkKeepThePingsComing) {
  watchdog.turn("screen idle; capture running");
  systemd.take();
  for (int minute = 0; minute < 60; ++minute) {
    turn_after(15s);
    ASSERT_TRUE(pinged()) << "no ping after " << minute << " min with every stage waiting";
  }
}

TEST_F(WatchdogTest, AStageStuckInsideACallStopsThePingsAndSaysWhichInTheStatus) {
  watchdog.turn("screen idle; capture running");
  systemd.take();
  decode.working();  // a read that will not come back
  turn_after(15s);
  EXPECT_TRUE(pinged()) << "15 s is still within the decoder's limit";
  turn_after(1s);
  EXPECT_EQ(systemd.take(),
            Datagrams{"STATUS=stalled: decode busy for over 15 s; watchdog pings stopped"});
  for (int i = 0; i < 4; ++i) {
    turn_after(15s);
    EXPECT_FALSE(pinged()) << "pinged while the decoder is stuck";
  }
  decode.waiting();  // it came back before systemd gave up
  turn_after(15s);
  EXPECT_EQ(systemd.take(), (Datagrams{"STATUS=screen idle; capture running", "WATCHDOG=1"}));
}

TEST_F(WatchdogTest, ASyncThreadStuckPastItsOwnLimitStopsThePings) {
  watchdog.turn("screen idle; capture running");
  systemd.take();
  sync.working();
  turn_after(2min);
  EXPECT_TRUE(pinged()) << "a transfer within its limit is progress";
  turn_after(15s);
  EXPECT_FALSE(pinged());
  EXPECT_EQ(watchdog.stuck_stage(), "sync busy for over 120 s");
}

TEST_F(WatchdogTest, SaysStoppingWhenTheLoopEnds) {
  watchdog.turn("screen idle; capture running");
  systemd.take();
  watchdog.stopping();
  EXPECT_EQ(systemd.take(), Datagrams{"STOPPING=1\nSTATUS=stopping"});
}

TEST_F(WatchdogTest, TellsEachChangeOfStateOnceAndNothingForTheSameState) {
  watchdog.turn("screen idle; capture running");
  systemd.take();
  watchdog.turn("screen refused; capture running");
  watchdog.turn("screen refused; capture running");
  EXPECT_EQ(systemd.take(), Datagrams{"STATUS=screen refused; capture running"});
}

TEST(WatchdogWithoutWatchdogSec, SaysReadyButSendsNoPings) {
  FakeNotifySocket systemd(std::nullopt);  // Type=notify without WatchdogSec=
  const auto notifier = kiosk::service_notifier();
  base::FakeClock clock;
  kiosk::Watchdog watchdog(*notifier, clock);
  watchdog.turn("screen idle");
  clock.advance(1h);
  watchdog.turn("screen idle");
  EXPECT_EQ(systemd.take(), Datagrams{"READY=1\nSTATUS=screen idle"});
}

TEST(ServiceNotifier, SendsNothingWhenNotStartedBySystemd) {
  std::optional<Datagrams> heard;
  {
    FakeNotifySocket systemd(kWatchdogSec);
    ::unsetenv("NOTIFY_SOCKET");  // as on a terminal: the socket exists, nobody named it
    const auto notifier = kiosk::service_notifier();
    EXPECT_FALSE(notifier->watchdog_timeout());
    ::setenv("NOTIFY_SOCKET", "/nonexistent", 1);  // a notifier made before does not look again
    notifier->ready("screen idle");
    notifier->alive();
    notifier->stopping("stopping");
    heard = systemd.take();
  }
  EXPECT_EQ(heard, Datagrams{});
}

TEST(ServiceStatus, NamesScreenCaptureListsAndClockButNoPersonalData) {
  ui::ScreenModel model;
  model.screen = ui::ScreenKind::valid;
  model.camera = frame::SourceState::running;
  model.status.trust_list = ui::ListInfo{9, 0, 0};
  model.status.clock = base::ClockState::ok;
  crypto::VerifiedPresentation shown{};
  shown.certificate.name = "確認 太郎";
  shown.certificate.number = "12345";
  model.valid = ui::ValidResult{shown, 0, ui::HandoffDisplay::not_sent};
  const std::string line = kiosk::service_status(model);
  EXPECT_EQ(line, "screen valid; capture running; trust list 9; revocations none; clock ok");
}

}  // namespace
}  // namespace kakunin::testing
