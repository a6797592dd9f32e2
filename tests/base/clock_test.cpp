#include <kakunin/base/clock.h>
#include <kakunin/base/fake_clock.h>

#include <gtest/gtest.h>

#include <chrono>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, StandsStillUntilAdvanced) {
  base::FakeClock clock(1795568400);
  const auto steady = clock.steady_now();
  EXPECT_EQ(clock.wall_now(), 1795568400);
  clock.advance(1500ms);
  EXPECT_EQ(clock.steady_now() - steady, 1500ms);
  EXPECT_EQ(clock.wall_now(), 1795568401) << "whole seconds";
  clock.advance(500ms);
  EXPECT_EQ(clock.wall_now(), 1795568402);
}

TEST(FakeClock, AWallClockJumpLeavesSteadyTimeAlone) {
  base::FakeClock clock(1795568400);
  clock.advance(10s);
  const auto steady = clock.steady_now();
  clock.set_wall(1795568400 + 1097 * 86400);
  EXPECT_EQ(clock.wall_now(), 1795568400 + 1097 * 86400);
  EXPECT_EQ(clock.steady_now(), steady);
  clock.advance(1s);
  EXPECT_EQ(clock.wall_now(), 1795568400 + 1097 * 86400 + 1);
}

TEST(FakeClock, SteadyTimeIsNeverTheDefaultTimePoint) {
  const base::FakeClock clock;
  EXPECT_GT(clock.steady_now(), base::SteadyTime{});
}

TEST(SystemClock, TellsTheSystemsWallTime) {
  // Not std::time: glibc reads the coarse clock there, which can still show the
  // previous second just after the precise clock has ticked over.
  const auto seconds_now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto before = seconds_now();
  const auto now = base::system_clock().wall_now();
  const auto after = seconds_now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

TEST(SystemClock, SteadyTimeNeverGoesBack) {
  const auto first = base::system_clock().steady_now();
  EXPECT_GE(base::system_clock().steady_now(), first);
}

}  // namespace
}  // namespace kakunin::testing
