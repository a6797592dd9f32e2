// The sync thread's heartbeat, as the kiosk's watchdog reads it: between rounds
// it waits and is alive however long the interval; a transfer that never
// returns is stuck once the fake clock passes longest_step(). Steady time is a
// FakeClock's; the only real waits are bounded waits for the thread to get there.
#include "sync_fixture.h"

#include <kakunin/base/fake_clock.h>

#include <chrono>
#include <future>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;

class SyncHeartbeat : public SyncTest {
 protected:
  sync::Syncer& syncer_on(sync::SyncSettings s) {
    on_clock = std::make_unique<sync::Syncer>(std::move(s), world->pins, *store, base::Logger(log),
                                              sync::ServerDateObserver{}, clock);
    return *on_clock;
  }
  void TearDown() override {
    released = true;
    if (on_clock) on_clock->stop();
    on_clock.reset();
    SyncTest::TearDown();
  }
  base::FakeClock clock;  // before the syncer: its thread reads it until TearDown
  std::unique_ptr<sync::Syncer> on_clock;
  // The hanging handler's signal that the transfer reached the server (members:
  // the server thread may still be inside the handler when the test body ends).
  std::promise<void> arrived;
  std::once_flag once;
};

TEST_F(SyncHeartbeat, WaitingBetweenRoundsCountsAsAlive) {
  auto s = settings();
  s.interval = 1h;
  sync::Syncer& syncer = syncer_on(s);
  syncer.start();
  for (int i = 0; i < 1000 && !syncer.last_report(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(syncer.last_report()) << "the first round did not finish";
  clock.advance(24h);
  EXPECT_TRUE(syncer.heartbeat().alive(syncer.longest_step()));
}

TEST_F(SyncHeartbeat, ATransferThatNeverReturnsIsStuckPastTheLongestStep) {
  auto s = settings();
  s.transport.total_timeout = 60s;  // real time: the hang outlasts the test
  s.transport.low_speed_time = 60s;
  s.interval = 1h;
  route("/trustlist.cose", [this](const httplib::Request&, httplib::Response&) {
    std::call_once(once, [&] { arrived.set_value(); });
    hang_until_released();
  });
  sync::Syncer& syncer = syncer_on(s);
  syncer.start();
  ASSERT_EQ(arrived.get_future().wait_for(10s), std::future_status::ready);
  clock.advance(syncer.longest_step());
  EXPECT_TRUE(syncer.heartbeat().alive(syncer.longest_step()));
  clock.advance(1s);
  EXPECT_FALSE(syncer.heartbeat().alive(syncer.longest_step()));
}

}  // namespace
}  // namespace kakunin::testing
