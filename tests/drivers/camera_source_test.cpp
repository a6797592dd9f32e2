// The V4L2 camera source on a fake device (v4l2_device.h): what it negotiates,
// what it decodes (MJPEG, YUYV), that it keeps only the newest frame, skips a
// corrupt buffer, waits no longer than the grab timeout, and goes offline with a
// reason when the camera is unplugged. No camera is needed, and nothing sleeps:
// the fake answers poll() at once.
#include "v4l2_device.h"

#include <gtest/gtest.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <vector>

namespace kakunin::drivers {
namespace {

// What the fake camera does and what it was told; shared with the test, since the
// source owns the device.
struct FakeCameraState {
  // Answers
  int open_error = 0;
  std::uint32_t capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
  std::vector<std::uint32_t> pixel_formats = {V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV};
  std::uint32_t max_width = 320, max_height = 240;
  int set_format_error = 0;
  std::deque<std::vector<std::uint8_t>> filled;  // frames the camera has taken
  bool unplugged = false;
  bool unplugged_shows_in_poll = true;  // POLLERR, as uvcvideo; else only DQBUF's ENODEV
  // Record
  std::map<std::uint32_t, int> controls;
  std::uint32_t asked_fps = 0;
  std::vector<std::chrono::milliseconds> poll_timeouts;
  std::vector<std::vector<std::uint8_t>> buffers;
  std::vector<bool> queued;
  bool streaming = false;
  int unmapped = 0;
  int closes = 0;
  v4l2_pix_format format{};
};

class FakeCamera final : public V4l2Device {
 public:
  explicit FakeCamera(std::shared_ptr<FakeCameraState> state) : state_(std::move(state)) {}

  int open(const std::string& /*path*/) override { return state_->open_error; }
  void close() override { ++state_->closes; }
  void* map(std::size_t /*length*/, std::uint32_t offset) override {
    return state_->buffers.at(offset / kPage).data();
  }
  void unmap(void* /*address*/, std::size_t /*length*/) override { ++state_->unmapped; }

  int poll(std::chrono::milliseconds timeout, short& revents) override {
    state_->poll_timeouts.push_back(timeout);
    if (state_->unplugged && state_->unplugged_shows_in_poll) {
      revents = POLLERR;
      return 1;
    }
    revents = POLLIN;
    return state_->filled.empty() && !state_->unplugged ? 0 : 1;
  }

  int control(unsigned long request, void* argument) override {
    switch (request) {
      case VIDIOC_QUERYCAP:
        static_cast<v4l2_capability*>(argument)->capabilities = state_->capabilities;
        return 0;
      case VIDIOC_G_FMT:
        static_cast<v4l2_format*>(argument)->fmt.pix = state_->format;
        return 0;
      case VIDIOC_S_FMT:
        return set_format(static_cast<v4l2_format*>(argument)->fmt.pix);
      case VIDIOC_S_PARM: {
        auto& period = static_cast<v4l2_streamparm*>(argument)->parm.capture.timeperframe;
        state_->asked_fps = period.denominator;
        period = {1, std::min<std::uint32_t>(period.denominator, 30)};
        return 0;
      }
      case VIDIOC_G_PARM:
        static_cast<v4l2_streamparm*>(argument)->parm.capture.timeperframe = {1, 30};
        return 0;
      case VIDIOC_S_CTRL: {
        const auto* control = static_cast<v4l2_control*>(argument);
        state_->controls[control->id] = control->value;
        return 0;
      }
      case VIDIOC_REQBUFS: {
        auto* request_buffers = static_cast<v4l2_requestbuffers*>(argument);
        state_->buffers.assign(request_buffers->count, std::vector<std::uint8_t>(kBufferBytes));
        state_->queued.assign(request_buffers->count, false);
        return 0;
      }
      case VIDIOC_QUERYBUF: {
        auto* buffer = static_cast<v4l2_buffer*>(argument);
        buffer->length = kBufferBytes;
        buffer->m.offset = buffer->index * kPage;
        return 0;
      }
      case VIDIOC_QBUF:
        state_->queued.at(static_cast<v4l2_buffer*>(argument)->index) = true;
        return 0;
      case VIDIOC_DQBUF:
        return dequeue(*static_cast<v4l2_buffer*>(argument));
      case VIDIOC_STREAMON:
        state_->streaming = true;
        return 0;
      case VIDIOC_STREAMOFF:
        state_->streaming = false;
        return 0;
      default:
        return ENOTTY;
    }
  }

 private:
  static constexpr std::uint32_t kPage = 4096;
  static constexpr std::size_t kBufferBytes = std::size_t{320} * 240 * 2;

  int set_format(v4l2_pix_format& asked) {
    if (state_->set_format_error != 0) return state_->set_format_error;
    const auto& offered = state_->pixel_formats;
    if (std::find(offered.begin(), offered.end(), asked.pixelformat) == offered.end()) {
      asked.pixelformat = offered.front();
    }
    asked.width = std::min(asked.width, state_->max_width);
    asked.height = std::min(asked.height, state_->max_height);
    asked.bytesperline = asked.pixelformat == V4L2_PIX_FMT_YUYV ? asked.width * 2 : 0;
    state_->format = asked;
    return 0;
  }

  int dequeue(v4l2_buffer& buffer) {
    if (state_->unplugged) return ENODEV;
    if (state_->filled.empty()) return EAGAIN;
    const auto free = std::find(state_->queued.begin(), state_->queued.end(), true);
    if (free == state_->queued.end()) return EAGAIN;  // every buffer is with the source
    const auto index = static_cast<std::uint32_t>(free - state_->queued.begin());
    const std::vector<std::uint8_t> bytes = std::move(state_->filled.front());
    state_->filled.pop_front();
    std::memcpy(state_->buffers[index].data(), bytes.data(), bytes.size());
    state_->queued[index] = false;
    buffer.index = index;
    buffer.bytesused = static_cast<std::uint32_t>(bytes.size());
    buffer.flags = 0;
    return 0;
  }

  std::shared_ptr<FakeCameraState> state_;
};

std::vector<std::uint8_t> jpeg_of(cv::Scalar colour) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", cv::Mat(240, 320, CV_8UC3, colour), bytes));
  return bytes;
}

// A 320x240 YUYV frame: Y rises along each row, U and V fixed.
std::vector<std::uint8_t> yuyv_frame() {
  std::vector<std::uint8_t> bytes(std::size_t{320} * 240 * 2);
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const auto y = static_cast<std::uint8_t>((i / 4) % 160 + 40);
    bytes[i] = y, bytes[i + 1] = 100, bytes[i + 2] = y, bytes[i + 3] = 160;
  }
  return bytes;
}

class CameraSourceTest : public ::testing::Test {
 protected:
  CameraSourceTest() {
    settings.device = "/dev/video0";
    settings.width = 320;
    settings.height = 240;
    settings.fps = 60;
  }

  std::unique_ptr<FrameSource> camera() {
    return make_v4l2_camera_source(settings, options, std::make_unique<FakeCamera>(state));
  }
  std::unique_ptr<FrameSource> opened_camera() {
    auto source = camera();
    std::string reason;
    EXPECT_TRUE(source->open(reason)) << reason;
    return source;
  }

  std::shared_ptr<FakeCameraState> state = std::make_shared<FakeCameraState>();
  config::CaptureSettings settings;
  CameraOptions options;
};

Frame expect_frame(FrameSource& source) {
  auto result = source.grab();
  auto* grabbed = std::get_if<GrabbedFrame>(&result);
  EXPECT_NE(grabbed, nullptr) << "expected a frame from " << source.describe();
  return grabbed ? std::move(grabbed->frame) : Frame{};
}

TEST_F(CameraSourceTest, MjpegCameraGivesDecodedFramesAndSaysWhatItNegotiated) {
  auto source = opened_camera();
  EXPECT_EQ(source->describe(), "camera /dev/video0 (320x240 30 fps MJPG)");
  EXPECT_EQ(state->asked_fps, 60u);
  EXPECT_TRUE(state->streaming);
  state->filled.push_back(jpeg_of(cv::Scalar(10, 120, 230)));
  const Frame frame = expect_frame(*source);
  ASSERT_EQ(frame.width, 320);
  ASSERT_EQ(frame.height, 240);
  EXPECT_EQ(frame.format, FrameView::Format::bgr24);
  EXPECT_NEAR(frame.pixels[0], 10, 4);
  EXPECT_NEAR(frame.pixels[1], 120, 4);
  EXPECT_NEAR(frame.pixels[2], 230, 4);
  EXPECT_EQ(frame.sequence, 1u);
  EXPECT_EQ(std::count(state->queued.begin(), state->queued.end(), true),
            static_cast<std::ptrdiff_t>(state->queued.size()))
      << "the buffer goes back to the driver";
}

TEST_F(CameraSourceTest, CameraWithoutMjpegFallsBackToYuyv) {
  state->pixel_formats = {V4L2_PIX_FMT_YUYV};
  auto source = opened_camera();
  EXPECT_EQ(source->describe(), "camera /dev/video0 (320x240 30 fps YUYV)");
  const auto yuyv = yuyv_frame();
  state->filled.push_back(yuyv);
  const Frame frame = expect_frame(*source);
  cv::Mat expected;
  cv::cvtColor(cv::Mat(240, 320, CV_8UC2, const_cast<std::uint8_t*>(yuyv.data())), expected,
               cv::COLOR_YUV2BGR_YUYV);
  ASSERT_EQ(frame.pixels.size(), expected.total() * 3);
  EXPECT_EQ(std::memcmp(frame.pixels.data(), expected.data, frame.pixels.size()), 0);
}

TEST_F(CameraSourceTest, AsksForYuyvFirstWhenMjpegIsSwitchedOff) {
  settings.mjpg = false;
  auto source = opened_camera();
  EXPECT_EQ(source->describe(), "camera /dev/video0 (320x240 30 fps YUYV)");
}

TEST_F(CameraSourceTest, GivesOnlyTheNewestOfTheFramesThatQueuedUp) {
  auto source = opened_camera();
  state->filled.push_back(jpeg_of(cv::Scalar::all(30)));
  state->filled.push_back(jpeg_of(cv::Scalar::all(200)));
  const Frame frame = expect_frame(*source);
  EXPECT_NEAR(frame.pixels[0], 200, 4);
  EXPECT_TRUE(state->filled.empty());
  EXPECT_EQ(std::count(state->queued.begin(), state->queued.end(), true),
            static_cast<std::ptrdiff_t>(state->queued.size()));
}

TEST_F(CameraSourceTest, SkipsACorruptMjpegBufferAndGoesOn) {
  auto source = opened_camera();
  state->filled.push_back({0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x13, 0x37});  // cut short
  EXPECT_TRUE(std::holds_alternative<NoFrameYet>(source->grab()));
  state->filled.push_back(jpeg_of(cv::Scalar::all(90)));
  EXPECT_NEAR(expect_frame(*source).pixels[0], 90, 4);
}

TEST_F(CameraSourceTest, WaitsNoLongerThanTheGrabTimeoutForAFrame) {
  options.grab_timeout = std::chrono::milliseconds(150);
  auto source = opened_camera();
  EXPECT_TRUE(std::holds_alternative<NoFrameYet>(source->grab()));
  ASSERT_EQ(state->poll_timeouts.size(), 1u);
  EXPECT_EQ(state->poll_timeouts[0], std::chrono::milliseconds(150));
}

TEST_F(CameraSourceTest, CameraUnpluggedMidStreamGoesOfflineAndOpensAgainWhenBack) {
  for (const bool shows_in_poll : {true, false}) {
    state = std::make_shared<FakeCameraState>();
    state->unplugged_shows_in_poll = shows_in_poll;
    auto source = opened_camera();
    state->filled.push_back(jpeg_of(cv::Scalar::all(50)));
    expect_frame(*source);
    state->unplugged = true;
    auto result = source->grab();
    ASSERT_TRUE(std::holds_alternative<SourceOffline>(result)) << shows_in_poll;
    EXPECT_EQ(std::get<SourceOffline>(result).reason,
              "camera /dev/video0 stopped delivering frames (unplugged or failed)");
    source->close();  // as the FramePump does, before it opens again
    EXPECT_EQ(state->unmapped, 2);
    EXPECT_FALSE(state->streaming);
    state->unplugged = false;
    std::string reason;
    ASSERT_TRUE(source->open(reason)) << reason;
    state->filled.push_back(jpeg_of(cv::Scalar::all(70)));
    EXPECT_NEAR(expect_frame(*source).pixels[0], 70, 4);
  }
}

TEST_F(CameraSourceTest, SetsTheControlsTheSettingsName) {
  opened_camera();
  EXPECT_EQ(state->controls[V4L2_CID_FOCUS_AUTO], 1);
  EXPECT_EQ(state->controls[V4L2_CID_EXPOSURE_AUTO], V4L2_EXPOSURE_APERTURE_PRIORITY);
  EXPECT_EQ(state->controls.count(V4L2_CID_FOCUS_ABSOLUTE), 0u);
  state = std::make_shared<FakeCameraState>();
  settings.autofocus = false;
  settings.focus = 30;
  settings.exposure = 200;
  opened_camera();
  EXPECT_EQ(state->controls[V4L2_CID_FOCUS_AUTO], 0);
  EXPECT_EQ(state->controls[V4L2_CID_FOCUS_ABSOLUTE], 30);
  EXPECT_EQ(state->controls[V4L2_CID_EXPOSURE_AUTO], V4L2_EXPOSURE_MANUAL);
  EXPECT_EQ(state->controls[V4L2_CID_EXPOSURE_ABSOLUTE], 200);
}

TEST_F(CameraSourceTest, RefusesWithAReasonTheVendorCanActOn) {
  std::string reason;
  state->open_error = EACCES;
  EXPECT_FALSE(camera()->open(reason));
  EXPECT_NE(reason.find("no permission to open /dev/video0"), std::string::npos) << reason;
  EXPECT_NE(reason.find("group video"), std::string::npos) << reason;

  state = std::make_shared<FakeCameraState>();
  state->set_format_error = EBUSY;
  EXPECT_FALSE(camera()->open(reason));
  EXPECT_EQ(reason, "cannot open camera /dev/video0 (in use by another program)");

  state = std::make_shared<FakeCameraState>();
  state->capabilities = V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_STREAMING;
  EXPECT_FALSE(camera()->open(reason));
  EXPECT_NE(reason.find("not a streaming capture"), std::string::npos) << reason;
  EXPECT_EQ(state->closes, 1) << "a refused device is closed again";

  state = std::make_shared<FakeCameraState>();
  state->pixel_formats = {V4L2_PIX_FMT_H264};
  EXPECT_FALSE(camera()->open(reason));
  EXPECT_NE(reason.find("neither MJPEG nor YUYV"), std::string::npos) << reason;
}

}  // namespace
}  // namespace kakunin::drivers
