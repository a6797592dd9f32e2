// base::Heartbeat: waiting for work is alive however long it lasts; one piece of
// work is alive only until its limit. Time is a FakeClock's, never slept.
#include <kakunin/base/fake_clock.h>
#include <kakunin/base/heartbeat.h>

#include <gtest/gtest.h>

#include <chrono>

namespace kakunin::base {
namespace {

using namespace std::chrono_literals;

TEST(Heartbeat, AThreadWaitingForWorkIsAliveHoweverLongItWaits) {
  FakeClock clock;
  Heartbeat heartbeat(clock);
  heartbeat.waiting();
  clock.advance(24h);
  EXPECT_TRUE(heartbeat.alive(10s));
  EXPECT_FALSE(heartbeat.working_for());
}

TEST(Heartbeat, AThreadStuckInsideOneCallIsNotAlivePastItsLimit) {
  FakeClock clock;
  Heartbeat heartbeat(clock);
  heartbeat.working();
  clock.advance(10s);
  EXPECT_TRUE(heartbeat.alive(10s));
  clock.advance(1ms);
  EXPECT_FALSE(heartbeat.alive(10s));
  EXPECT_EQ(heartbeat.working_for(), 10001ms);
}

TEST(Heartbeat, EachNewPieceOfWorkHasItsOwnLimit) {
  FakeClock clock;
  Heartbeat heartbeat(clock);
  heartbeat.working();
  clock.advance(8s);
  heartbeat.working();  // the next transfer attempt
  clock.advance(8s);
  EXPECT_TRUE(heartbeat.alive(10s));
}

}  // namespace
}  // namespace kakunin::base
