// The newest-frame slot and the frame-rate meter the decode stage, the camera's
// reader thread, the pump and the kiosk's preview share.
#include <kakunin/drivers/frame_rate.h>
#include <kakunin/drivers/newest_frame.h>

#include <gtest/gtest.h>

namespace kakunin::drivers {
namespace {

using namespace std::chrono_literals;

frame::Frame numbered(std::uint64_t sequence) {
  frame::Frame frame;
  frame.width = 2;
  frame.height = 1;
  frame.stride = 2;
  frame.format = frame::FrameView::Format::gray8;
  frame.pixels.assign(2, static_cast<std::uint8_t>(sequence));
  frame.sequence = sequence;
  return frame;
}

TEST(NewestFrame, HandsOverOnlyTheNewestAndCountsWhatItReplaced) {
  NewestFrame slot;
  frame::Frame out;
  EXPECT_FALSE(slot.take(out));
  EXPECT_FALSE(slot.put(numbered(1))) << "nothing was replaced";
  EXPECT_TRUE(slot.put(numbered(2))) << "frame 1 was never taken";
  ASSERT_TRUE(slot.take(out));
  EXPECT_EQ(out.sequence, 2u);
  EXPECT_EQ(out.pixels, std::vector<std::uint8_t>(2, 2));
  EXPECT_FALSE(slot.take(out)) << "nothing new since";
  EXPECT_EQ(out.sequence, 2u) << "a failed take leaves the caller's frame alone";
  EXPECT_FALSE(slot.put(numbered(3))) << "frame 2 was taken, so nothing is dropped";
}

TEST(FrameRate, ReadsTheRateOfTheLastWindow) {
  FrameRate rate(1s);
  EXPECT_EQ(rate.per_second(), 0);
  const base::SteadyTime t0 = base::SteadyTime{} + 10s;
  for (int i = 0; i < 50; ++i) rate.count(t0 + i * 100ms);           // 10 fps for 5 s
  for (int i = 1; i <= 30; ++i) rate.count(t0 + 4900ms + i * 40ms);  // then 25 fps
  EXPECT_NEAR(rate.per_second(), 25, 0.5) << "the older, slower frames are out of the window";
}

TEST(FrameRate, AStalledSourceReadsZeroWhenAskedWithTheTime) {
  FrameRate rate(2s);
  const base::SteadyTime t0 = base::SteadyTime{} + 10s;
  for (int i = 0; i < 30; ++i) rate.count(t0 + i * 33ms);
  const base::SteadyTime last = t0 + 29 * 33ms;
  EXPECT_GT(rate.per_second(last + 1s), 29);
  EXPECT_EQ(rate.per_second(last + 2s), 0);
  EXPECT_GT(rate.per_second(), 29) << "without the time, the held frames' rate";
}

TEST(FrameRate, ASourceSlowerThanTheWindowStillShowsItsRate) {
  FrameRate rate(1s);
  const base::SteadyTime t0 = base::SteadyTime{} + 10s;
  for (int i = 0; i < 5; ++i) rate.count(t0 + i * 2s);  // one frame every 2 s
  EXPECT_DOUBLE_EQ(rate.per_second(), 0.5);
  rate.clear();
  EXPECT_EQ(rate.per_second(), 0);
}

}  // namespace
}  // namespace kakunin::drivers
