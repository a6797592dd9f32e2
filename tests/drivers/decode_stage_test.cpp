// The decode stage: newest frame only (drops, never queues), one forward per
// sighting of a QR, a preview of where it is, and a clean shutdown.
#include <kakunin/base/fake_clock.h>
#include <kakunin/drivers/decode_stage.h>
#include <kakunin/drivers/qr_decode.h>
#include <kakunin/drivers/synthetic_source.h>

#include "sample_photographs.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

namespace kakunin::drivers {
namespace {

using namespace std::chrono_literals;

const std::string kFirst = "JHC1:FIRST PRESENTATION 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const std::string kSecond =
    "JHC1:SECOND PRESENTATION 9876543210 ZYXWVUTSRQPONMLKJIHGFEDCBA :/.-+*%$";

// Frames of a steady phone showing `text` (empty: the phone without a QR).
Frame phone_frame(const std::string& text, std::uint64_t index = 0) {
  SyntheticPhoneOptions options;
  options.seed = 21;
  options.difficulty = 0.1;
  options.frames_per_presentation = 0;
  SyntheticPhoneSource source(options, [text](std::uint64_t) { return text; });
  return source.render(index);
}

// Records what reaches the verifier; can hold the decode thread inside qr_text().
class RecordingSink : public QrTextSink {
 public:
  void qr_text(const ScannedText& scanned) override {
    std::unique_lock lock(mutex_);
    texts_.push_back(scanned.text);
    inside_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !holding_; });
    inside_ = false;
  }
  void status(const SourceStatus& status) override {
    std::lock_guard lock(mutex_);
    statuses_.push_back(status);
  }
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
    }
    changed_.notify_all();
  }
  bool wait_until_inside() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [this] { return inside_; });
  }
  std::vector<std::string> texts() const {
    std::lock_guard lock(mutex_);
    return texts_;
  }
  std::vector<SourceStatus> statuses() const {
    std::lock_guard lock(mutex_);
    return statuses_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> texts_;
  std::vector<SourceStatus> statuses_;
  bool holding_ = false;
  bool inside_ = false;
};

// Pushes `frame` stamped as captured at `at`, and waits until it is decoded.
void show(DecodeStage& stage, Frame frame, SteadyTime at, std::uint64_t sequence) {
  frame.captured_at = at;
  frame.sequence = sequence;
  stage.push(frame);
  ASSERT_TRUE(stage.drain(10s));
}

TEST(DecodeStage, DropsFramesInsteadOfQueueingWhenTheVerifierIsSlow) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const Frame first = phone_frame(kFirst), second = phone_frame(kSecond);
  sink.hold();
  stage.push(first);
  ASSERT_TRUE(sink.wait_until_inside());  // the decode thread is stuck in the verifier
  for (int i = 0; i < 10; ++i) stage.push(i < 9 ? first : second);  // only the last one counts
  EXPECT_EQ(stage.figures().frames_dropped, 9u);
  sink.release();
  ASSERT_TRUE(stage.drain(10s));
  const DecodeFigures figures = stage.figures();
  EXPECT_EQ(figures.frames_pushed, 11u);
  EXPECT_EQ(figures.frames_decoded, 2u);  // the first and the newest, nothing queued between
  EXPECT_EQ(figures.frames_dropped, 9u);
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{kFirst, kSecond}));
  EXPECT_GT(figures.ms_per_frame, 0.0);
}

TEST(DecodeStage, ForwardsAQrHeldInFrontOfTheCameraOnce) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < 5; ++i) show(stage, phone_frame(kFirst, i), t0 + i * 33ms, i + 1);
  EXPECT_EQ(sink.texts(), std::vector<std::string>{kFirst});
  EXPECT_EQ(stage.figures().texts_forwarded, 1u);
}

TEST(DecodeStage, ForwardsTheSameQrAgainAfterItWasOutOfSight) {
  RecordingSink sink;
  DecodeStageOptions options;
  options.forward_again_after = 1000ms;
  DecodeStage stage(sink, options);
  const Frame qr = phone_frame(kFirst), no_qr = phone_frame("");
  const auto t0 = std::chrono::steady_clock::now();
  show(stage, qr, t0, 1);
  show(stage, no_qr, t0 + 500ms, 2);
  show(stage, qr, t0 + 900ms, 3);  // back within the second: the same sighting
  EXPECT_EQ(sink.texts().size(), 1u);
  show(stage, no_qr, t0 + 1500ms, 4);
  show(stage, qr, t0 + 2500ms, 5);  // gone 1.6 s: a new presentation of the same QR
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{kFirst, kFirst}));
}

TEST(DecodeStage, ForwardsTheSameQrAgainAfterAReset) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const Frame qr = phone_frame(kFirst);
  const auto t0 = std::chrono::steady_clock::now();
  show(stage, qr, t0, 1);
  show(stage, qr, t0 + 33ms, 2);
  stage.reset();
  show(stage, qr, t0 + 66ms, 3);
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{kFirst, kFirst}));
}

TEST(DecodeStage, ShowsWhereTheLastQrWasForThePreview) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const auto t0 = std::chrono::steady_clock::now();
  show(stage, phone_frame(kFirst), t0, 7);
  const Detection seen = stage.last_detection();
  ASSERT_EQ(seen.corners.size(), 4u);
  EXPECT_EQ(seen.frame_sequence, 7u);
  for (const auto& [x, y] : seen.corners) {
    EXPECT_TRUE(x >= 0 && x < 1280 && y >= 0 && y < 720) << x << "," << y;
  }
  show(stage, phone_frame(""), t0 + 33ms, 8);
  EXPECT_TRUE(stage.last_detection().corners.empty());
}

TEST(DecodeStage, PassesTheSourceStatusOn) {
  RecordingSink sink;
  DecodeStage stage(sink);
  stage.status({SourceState::offline, "no such device /dev/video0"});
  ASSERT_EQ(sink.statuses().size(), 1u);
  EXPECT_EQ(sink.statuses()[0].state, SourceState::offline);
}

TEST(DecodeStage, ShutsDownCleanlyWithAFramePendingAndOneBeingRead) {
  RecordingSink sink;
  const Frame qr = phone_frame(kFirst);
  {
    DecodeStage stage(sink);
    for (int i = 0; i < 5; ++i) stage.push(qr);
  }  // destroyed mid-work: joins its thread, frees the frames (ASan checks the rest)
  {
    DecodeStage idle(sink);  // never given a frame
  }
  SUCCEED();
}

// The fleet metrics' histogram: every frame read lands in exactly one bucket,
// and the total time is their sum.
TEST(DecodeStage, CountsEveryReadInOneDecodeTimeBucket) {
  RecordingSink sink;
  DecodeStageOptions options;
  options.idle_frames_per_second = 0;  // every frame read, none held back
  DecodeStage stage(sink, options);
  for (std::uint64_t i = 0; i < 3; ++i) {
    stage.push(phone_frame(kFirst, i));
    ASSERT_TRUE(stage.drain(10s));
  }
  const DecodeFigures figures = stage.figures();
  std::uint64_t bucketed = 0;
  for (const std::uint64_t n : figures.decoded_by_ms) bucketed += n;
  EXPECT_EQ(figures.frames_decoded, 3u);
  EXPECT_EQ(bucketed, 3u);
  EXPECT_GT(figures.total_ms, 0);
  EXPECT_DOUBLE_EQ(figures.ms_per_frame, figures.total_ms / 3);
}

// A still desk, as a fixed camera films an empty counter: the same picture each
// frame but for sensor noise of a few grey levels.
Frame empty_counter_frame(std::uint32_t noise_seed) {
  Frame frame;
  frame.width = 640;
  frame.height = 360;
  frame.stride = frame.width * 3;
  frame.format = frame::FrameView::Format::bgr24;
  frame.pixels.resize(static_cast<std::size_t>(frame.stride) * frame.height);
  std::uint32_t state = noise_seed * 2654435761u + 1;
  for (int y = 0; y < frame.height; ++y) {
    for (int x = 0; x < frame.stride; ++x) {
      state = state * 1664525u + 1013904223u;
      const int noise = static_cast<int>(state >> 29) - 4;  // -4 .. +3
      const int base = y < 200 ? 150 : 80;                  // wall, desk
      frame.pixels[static_cast<std::size_t>(y) * frame.stride + x] =
          static_cast<std::uint8_t>(base + noise);
    }
  }
  return frame;
}

TEST(DecodeStage, LeavesAnUnchangedEmptyCounterUnreadAndReadsAPhoneTheMomentItAppears) {
  RecordingSink sink;
  DecodeStageOptions options;
  options.idle_frames_per_second = 0;  // no pacing: only the change detection holds back
  DecodeStage stage(sink, options);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < 20; ++i) show(stage, empty_counter_frame(i), t0 + i * 33ms, i + 1);
  DecodeFigures figures = stage.figures();
  EXPECT_LE(figures.frames_decoded, 3u) << "read until the counter looked empty, then no more";
  EXPECT_GE(figures.frames_unchanged, 17u);

  Frame phone = phone_frame(kFirst);
  show(stage, phone, t0 + 21 * 33ms, 21);
  EXPECT_EQ(sink.texts(), std::vector<std::string>{kFirst}) << "read on the first frame";
}

TEST(DecodeStage, StillReadsAnUnchangedCounterNowAndThen) {
  RecordingSink sink;
  DecodeStageOptions options;
  options.idle_frames_per_second = 0;
  options.read_unchanged_every = 1ms;  // each unchanged frame is already due again
  DecodeStage stage(sink, options);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(2ms);  // past the 1 ms, whatever the scheduler does
    show(stage, empty_counter_frame(i), t0 + i * 33ms, i + 1);
  }
  EXPECT_EQ(stage.figures().frames_decoded, 6u);
  EXPECT_EQ(stage.figures().frames_unchanged, 0u);
}

// The watchdog's view of the stage: no frame to read is idle, not stuck, however
// long it lasts; a read that does not come back (held inside the sink) is stuck
// once the fake clock passes the limit.
TEST(DecodeStage, HeartbeatCountsWaitingForAFrameAsAliveAndAReadThatHangsAsStuck) {
  base::FakeClock clock;
  RecordingSink sink;
  DecodeStage stage(sink, {}, clock);
  clock.advance(1h);
  EXPECT_TRUE(stage.heartbeat().alive(15s));

  sink.hold();
  stage.push(phone_frame(kFirst));
  ASSERT_TRUE(sink.wait_until_inside());
  clock.advance(15s);
  EXPECT_TRUE(stage.heartbeat().alive(15s));
  clock.advance(1s);
  EXPECT_FALSE(stage.heartbeat().alive(15s));

  sink.release();
  ASSERT_TRUE(stage.drain(10s));
  clock.advance(1h);
  EXPECT_TRUE(stage.heartbeat().alive(15s));
}

// ---------------------------------------------------------------- dear passes --

// A sample photograph as a gray camera frame, and an empty grey counter of its size.
Frame photograph_frame(const char* name) {
  const auto image = load_image(testing::sample_photograph(name).string());
  if (!image) return {};
  Frame frame;
  frame.width = image->width;
  frame.height = image->height;
  frame.stride = image->width;
  frame.format = frame::FrameView::Format::gray8;
  frame.pixels = image->pixels;
  return frame;
}

Frame grey_counter_like(const Frame& like) {
  Frame frame = like;
  std::fill(frame.pixels.begin(), frame.pixels.end(), std::uint8_t{128});
  return frame;
}

// An empty counter for a few frames, then `held` held still for `frames` frames
// at 30 fps, in real time (the dear passes' budget follows the frames' times).
void hold_up(DecodeStage& stage, const Frame& held, int frames) {
  Frame counter = grey_counter_like(held), frame = held;
  std::uint64_t sequence = 0;
  auto at = std::chrono::steady_clock::now();
  for (int i = 0; i < 5 + frames; ++i) {
    std::this_thread::sleep_until(at);
    Frame& shown = i < 5 ? counter : frame;
    shown.sequence = ++sequence;
    shown.captured_at = std::chrono::steady_clock::now();
    stage.push(shown);
    at += 33ms;
  }
}

bool wait_for_texts(const RecordingSink& sink, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (sink.texts().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  return !sink.texts().empty();
}

std::string expected_text_of(const char* name) {
  std::ifstream in(testing::sample_photograph(name).replace_extension(".txt"), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// qrcode-2/#1086.png: zxing-cpp does not even locate it; only whole-frame WeChat,
// a dear pass, reads it. A member holding such a phone still is read in the
// background within a second; without the dear passes, never.
TEST(DecodeStage, ReadsAPhoneOnlyTheDearPassesReadOnceItHoldsStill) {
  const Frame photo = photograph_frame("qrcode-2/#1086.png");
  ASSERT_GT(photo.width, 0);
  RecordingSink with_dear;
  {
    DecodeStage stage(with_dear);
    hold_up(stage, photo, 30);
    ASSERT_TRUE(wait_for_texts(with_dear, 10s));
    EXPECT_GE(stage.figures().dear_texts_forwarded, 1u);
  }
  EXPECT_EQ(with_dear.texts(), std::vector<std::string>{expected_text_of("qrcode-2/#1086.png")});

  RecordingSink cheap_only;
  DecodeStageOptions options;
  options.dear_passes = false;
  DecodeStage stage(cheap_only, options);
  hold_up(stage, photo, 30);
  EXPECT_FALSE(wait_for_texts(cheap_only, 500ms));
  EXPECT_EQ(stage.figures().dear_passes_run, 0u);
}

TEST(DecodeStage, AnEmptyCounterAndAPhoneReadAtOnceCostNoDearPass) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < 20; ++i) show(stage, empty_counter_frame(i), t0 + i * 33ms, i + 1);
  const Frame phone = phone_frame(kFirst);
  for (std::uint32_t i = 20; i < 30; ++i) show(stage, phone, t0 + i * 33ms, i + 1);
  EXPECT_EQ(sink.texts(), std::vector<std::string>{kFirst});
  EXPECT_EQ(stage.figures().dear_passes_run, 0u);
}

// Something new in front of the camera that holds still and reads as nothing (a
// phone still unlocking): the dear passes look at it, once, not on every frame.
TEST(DecodeStage, LooksAtANewSteadySceneWithTheDearPassesOnce) {
  RecordingSink sink;
  DecodeStage stage(sink);
  const Frame unlocking = phone_frame("");
  hold_up(stage, unlocking, 10);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (stage.figures().dear_passes_run < dear_pass_count() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(stage.figures().dear_passes_run, dear_pass_count());
  std::this_thread::sleep_for(100ms);  // past the last pass's bookkeeping
  hold_up(stage, unlocking, 10);       // the same scene again: nothing new to look at
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(stage.figures().dear_passes_run, dear_pass_count());
  EXPECT_TRUE(sink.texts().empty());
}

}  // namespace
}  // namespace kakunin::drivers
