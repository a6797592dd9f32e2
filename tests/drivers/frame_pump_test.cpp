// Camera fault recovery: the pump reports a missing, unplugged or stalled camera
// at once, re-opens it by itself when it comes back, and never hangs on stop().
// Tests wait for events (up to 10 s), never for fixed times, so a slow CI machine
// makes them slower, not red.
#include <kakunin/base/fake_clock.h>
#include <kakunin/drivers/fault_source.h>
#include <kakunin/drivers/frame_pump.h>
#include <kakunin/drivers/sources.h>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace kakunin::drivers {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 10s;

// For conditions no sink hears about (the fault source's own counters).
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Stall detection is slow here, so a test thread held up on a loaded machine is
// not taken for a stalled camera; the stall tests use stalling_timings().
PumpTimings fast_timings() {
  PumpTimings timings;
  timings.stall_after = 2s;
  timings.reopen_initial = 5ms;
  timings.reopen_max = 20ms;
  timings.stop_timeout = 200ms;
  return timings;
}

class RecordingSink : public FrameSink {
 public:
  explicit RecordingSink(std::shared_ptr<FaultControl> control = nullptr)
      : control_(std::move(control)) {}

  void push(const Frame& frame) override {
    std::lock_guard lock(mutex_);
    ++frames_;
    last_pixel_ = frame.pixels.empty() ? -1 : frame.pixels[0];
    last_sequence_ = frame.sequence;
    changed_.notify_all();
  }
  void status(const SourceStatus& status) override {
    std::lock_guard lock(mutex_);
    statuses_.push_back(status);
    if (control_) open_attempts_at_status_.push_back(control_->open_attempts());
    changed_.notify_all();
  }

  bool wait(const std::function<bool()>& condition) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, condition);
  }
  bool wait_frames(std::uint64_t count) {
    return wait([&] { return frames_ >= count; });
  }
  // Waits for the n-th report of `state` (1-based).
  bool wait_state(SourceState state, int nth = 1) {
    return wait([&] {
      int seen = 0;
      for (const auto& status : statuses_) seen += status.state == state ? 1 : 0;
      return seen >= nth;
    });
  }
  std::vector<SourceStatus> statuses() {
    std::lock_guard lock(mutex_);
    return statuses_;
  }
  std::vector<SourceState> states() {
    std::vector<SourceState> states;
    for (const auto& status : statuses()) states.push_back(status.state);
    return states;
  }
  std::uint64_t frames() {
    std::lock_guard lock(mutex_);
    return frames_;
  }
  std::size_t events() {
    std::lock_guard lock(mutex_);
    return frames_ + statuses_.size();
  }
  std::vector<int> open_attempts_at_status() {
    std::lock_guard lock(mutex_);
    return open_attempts_at_status_;
  }

 private:
  std::shared_ptr<FaultControl> control_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SourceStatus> statuses_;
  std::vector<int> open_attempts_at_status_;
  std::uint64_t frames_ = 0;
  int last_pixel_ = -1;
  std::uint64_t last_sequence_ = 0;
};

PumpTimings stalling_timings() {
  auto timings = fast_timings();
  timings.stall_after = 100ms;
  return timings;
}

struct PumpRig {
  explicit PumpRig(PumpTimings timings = fast_timings())
      : control(std::make_shared<FaultControl>()),
        sink(control),
        pump(make_fault_source(control), timings) {
    pump.add_sink(sink);
  }
  std::shared_ptr<FaultControl> control;
  RecordingSink sink;
  FramePump pump;
};

using S = SourceState;

TEST(FramePump, ReportsMissingCameraAtOnce) {
  PumpRig rig;
  rig.control->fail_next_opens(-1, "no such device /dev/video9 (camera not connected)");
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_state(S::offline));
  const auto statuses = rig.sink.statuses();
  EXPECT_EQ(statuses[0].state, S::starting);
  EXPECT_EQ(statuses[1].state, S::offline);
  EXPECT_EQ(statuses[1].reason, "no such device /dev/video9 (camera not connected)");
  // Reported after the very first failed open, not after retries.
  EXPECT_EQ(rig.sink.open_attempts_at_status().at(1), 1);
  EXPECT_EQ(rig.pump.stats().status.state, S::offline);
  EXPECT_EQ(rig.sink.frames(), 0u);
}

TEST(FramePump, ReopensCameraWhenItComesBack) {
  PumpRig rig;
  rig.control->fail_next_opens(3, "no such device /dev/video9");
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(5));
  // One offline for three failed opens: the same fault is not reported again.
  EXPECT_EQ(rig.sink.states(), (std::vector<S>{S::starting, S::offline, S::running}));
  EXPECT_EQ(rig.control->open_attempts(), 4);
  EXPECT_EQ(rig.pump.stats().reopens, 3u);
  EXPECT_EQ(rig.pump.stats().status.state, S::running);
}

TEST(FramePump, ReportsUnpluggedCameraAndReopens) {
  PumpRig rig;
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(3));
  rig.control->fail_next_opens(2, "no such device /dev/video9");
  rig.control->queue(fault::Disconnect{"camera unplugged"});
  ASSERT_TRUE(rig.sink.wait_state(S::running, 2));
  const auto statuses = rig.sink.statuses();
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_EQ(statuses[2].state, S::offline);
  EXPECT_EQ(statuses[2].reason, "camera unplugged");
  EXPECT_EQ(statuses[3].reason, "no such device /dev/video9");
  EXPECT_EQ(statuses[4].state, S::running);
  EXPECT_GE(rig.control->closes(), 1);  // the lost device was closed before re-opening
  const auto frames_before = rig.sink.frames();
  EXPECT_TRUE(rig.sink.wait_frames(frames_before + 3));
}

TEST(FramePump, ReportsStalledCameraAndRecovers) {
  PumpRig rig(stalling_timings());
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(3));
  rig.control->queue(fault::Gap{1'000'000});  // the device is there, but no frame comes
  ASSERT_TRUE(rig.sink.wait_state(S::offline));
  EXPECT_EQ(rig.sink.statuses()[2].reason,
            "camera stalled: no frame from fault-injecting test camera for 100 ms");
  // The pump re-opens the stalled camera, which unsticks it.
  ASSERT_TRUE(rig.sink.wait_state(S::running, 2));
  EXPECT_GE(rig.control->closes(), 1);
  EXPECT_GE(rig.control->opens(), 2);
}

// Stalls are judged on the pump's clock, not on how long a loaded machine took:
// with that clock standing still, a long real gap is no stall; once it has moved
// past stall_after, the same gap is one.
TEST(FramePump, MeasuresAStallOnItsOwnClock) {
  base::FakeClock clock;
  const auto control = std::make_shared<FaultControl>();
  RecordingSink sink(control);
  FramePump pump(make_fault_source(control), stalling_timings(), clock);
  pump.add_sink(sink);
  pump.start();
  ASSERT_TRUE(sink.wait_frames(3));
  control->queue(fault::Gap{200});  // about 0.4 s of real time, twice stall_after
  control->queue(fault::Frames{5});
  const auto frames_before = sink.frames();
  ASSERT_TRUE(sink.wait_frames(frames_before + 5));
  EXPECT_EQ(sink.states(), (std::vector<S>{S::starting, S::running}))
      << "no stall while the clock stood still";

  control->queue(fault::Gap{1'000'000});
  // Moves the clock on until the pump, now in the gap, calls it a stall.
  ASSERT_TRUE(eventually([&] {
    clock.advance(50ms);
    return pump.stats().status.state == S::offline;
  }));
  // The capture loop (no frame for 100 ms) or the watchdog (a grab not back for
  // 100 ms) may see it first: the clock leaps while a 2 ms grab sleeps. Both
  // measure on the pump's clock, which is what this checks.
  EXPECT_TRUE(sink.statuses()[2].reason.starts_with("camera stalled: "))
      << sink.statuses()[2].reason;
  EXPECT_NE(sink.statuses()[2].reason.find(" 100 ms"), std::string::npos)
      << sink.statuses()[2].reason;
  pump.stop();
}

TEST(FramePump, ReportsGrabThatNeverReturnsAsStalled) {
  PumpRig rig(stalling_timings());
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(3));
  rig.control->queue(fault::Stuck{});
  ASSERT_TRUE(rig.sink.wait_state(S::offline));
  EXPECT_EQ(rig.sink.statuses()[2].reason,
            "camera stalled: fault-injecting test camera has not returned from a read for 100 ms");
  EXPECT_TRUE(rig.control->stuck());
  rig.control->release();
  ASSERT_TRUE(rig.sink.wait_state(S::running, 2));
}

TEST(FramePump, StopReturnsWhileSourceIsStuck) {
  PumpRig rig;
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(1));
  rig.control->queue(fault::Stuck{});
  ASSERT_TRUE(eventually([&] { return rig.control->stuck(); }));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_FALSE(rig.pump.stop());  // left behind, stuck in the source
  // Bounded by stop_timeout (200 ms); the bound checked is loose on purpose.
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  const auto events = rig.sink.events();
  rig.control->release();
  // The left-behind thread finishes and closes the source, and tells no sink.
  ASSERT_TRUE(eventually([&] { return rig.control->closes() >= 1; }));
  EXPECT_EQ(rig.sink.events(), events);
}

TEST(FramePump, StopIsPromptWhileWaitingToReopen) {
  auto timings = fast_timings();
  timings.reopen_initial = 60s;
  PumpRig rig(timings);
  rig.control->fail_next_opens(-1);
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_state(S::offline));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(rig.pump.stop());
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

TEST(FramePump, BacksOffBetweenFailedOpens) {
  auto timings = fast_timings();
  timings.reopen_initial = 20ms;
  timings.reopen_max = 80ms;
  PumpRig rig(timings);
  rig.control->fail_next_opens(-1);
  rig.pump.start();
  ASSERT_TRUE(eventually([&] { return rig.control->open_attempts() >= 4; }));
  const auto started = std::chrono::steady_clock::now();
  const int attempts_then = rig.control->open_attempts();
  std::this_thread::sleep_for(400ms);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // At most one attempt per reopen_max once backed off (+1 for the edges); a
  // slow machine only makes fewer.
  const auto allowed = elapsed / timings.reopen_max + 2;
  EXPECT_LE(rig.control->open_attempts() - attempts_then, allowed);
}

TEST(FramePump, EndsWithTheStream) {
  PumpRig rig;
  rig.control->queue(fault::Frames{3});
  rig.control->queue(fault::End{});
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_state(S::ended));
  EXPECT_EQ(rig.sink.frames(), 3u);
  EXPECT_EQ(rig.sink.states(), (std::vector<S>{S::starting, S::running, S::ended}));
  EXPECT_TRUE(rig.pump.stop());
  EXPECT_EQ(rig.control->closes(), 1);
  EXPECT_EQ(rig.control->open_attempts(), 1);  // an ended file is not re-opened
}

TEST(FramePump, ReportsFramesPerSecond) {
  PumpRig rig;
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(20));
  const auto stats = rig.pump.stats();
  EXPECT_GE(stats.frames, 20u);
  // Frames come every 2 ms at most; a loaded machine only lowers the figure.
  EXPECT_GT(stats.fps, 0.0);
  EXPECT_LE(stats.fps, 600.0);
  EXPECT_EQ(stats.source, "fault-injecting test camera");
}

TEST(FramePump, NoSinkIsCalledAfterStop) {
  PumpRig rig;
  rig.pump.start();
  ASSERT_TRUE(rig.sink.wait_frames(3));
  EXPECT_TRUE(rig.pump.stop());
  const auto events = rig.sink.events();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(rig.sink.events(), events);
  EXPECT_EQ(rig.control->closes(), 1);
}

TEST(FramePump, ReportsMissingRealCameraWithItsDevice) {
  config::CaptureSettings settings;
  settings.device = "/dev/video98";
  RecordingSink sink;
  FramePump pump(make_camera_source(settings), fast_timings());
  pump.add_sink(sink);
  pump.start();
  ASSERT_TRUE(sink.wait_state(S::offline));
  EXPECT_EQ(sink.statuses()[1].reason, "no such device /dev/video98 (camera not connected)");
  EXPECT_TRUE(pump.stop());
}

TEST(FramePump, ReadsEveryImageOfAFolderAndEnds) {
  // The whole path a field test takes: a folder of sample images through the pump.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kakunin-pump-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"sample-1.png", "sample-2.jpg", "sample-3.bmp"}) {
    ASSERT_TRUE(cv::imwrite((dir / name).string(), cv::Mat(24, 32, CV_8UC3, cv::Scalar::all(90))));
  }
  std::ofstream(dir / "sample-1.txt") << "the expected text, not an image";
  RecordingSink sink;
  FramePump pump(make_image_folder_source(dir), fast_timings());
  pump.add_sink(sink);
  pump.start();
  ASSERT_TRUE(sink.wait_state(S::ended));
  EXPECT_EQ(sink.frames(), 3u);
  EXPECT_EQ(sink.states(), (std::vector<S>{S::starting, S::running, S::ended}));
  EXPECT_TRUE(pump.stop());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kakunin::drivers
