// The V4L2 camera source.
//
// Why a reader thread: cv::VideoCapture::read() blocks until the driver hands over
// a frame, and OpenCV 4.6's V4L2 backend waits up to 10 s in select() for a stalled
// camera (OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT; CAP_PROP_READ_TIMEOUT_MSEC applies to
// FFmpeg only). VideoCapture has no non-blocking read to poll with, so the blocking
// read runs on a ReaderThread (reader_thread.h) and grab() waits for at most
// CameraOptions::grab_timeout. As a bonus only the newest frame is kept: a slow
// decoder never works on a frame that queued up in the driver, so what is verified
// is what the camera sees now.
//
// The reader owns the VideoCapture: close() waits a bounded time for it, and if the
// read is stuck it is left to finish by itself, releasing the device when the read
// returns; nothing it touches is freed under it.
#include <kakunin/drivers/reader_thread.h>
#include <kakunin/drivers/sources.h>

#include "capture_frames.h"

#include <opencv2/videoio.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace kakunin::drivers {
namespace {

std::string fourcc_text(double value) {
  const auto code = static_cast<std::uint32_t>(value);
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((code >> shift) & 0xff);
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return text;
}

class CameraSource final : public FrameSource {
 public:
  CameraSource(config::CaptureSettings settings, CameraOptions options)
      : settings_(std::move(settings)), options_(options) {}
  ~CameraSource() override { close(); }

  std::string describe() const override {
    std::string text = "camera " + settings_.device;
    if (!negotiated_.empty()) text += " (" + negotiated_ + ")";
    return text;
  }

  bool open(std::string& reason) override {
    close();
    if (!check_device(reason)) return false;
    auto capture = std::make_shared<cv::VideoCapture>();
    try {
      capture->open(settings_.device, cv::CAP_V4L2);
    } catch (const cv::Exception&) {
      capture->release();
    }
    if (!capture->isOpened()) {
      reason = "cannot open camera " + settings_.device +
               " (in use by another program, or not a V4L2 capture device)";
      return false;
    }
    apply_settings(*capture);
    reader_ = std::make_unique<ReaderThread>(
        [capture, description = "camera " + settings_.device]() -> BlockingReadResult {
          cv::Mat image;
          bool ok = false;
          try {
            ok = capture->read(image);
          } catch (const cv::Exception&) {
            ok = false;
          }
          if (!ok || image.empty()) {
            return SourceOffline{description + " stopped delivering frames (unplugged or failed)"};
          }
          return frame_from_mat(image, 0);
        });
    return true;
  }

  GrabResult grab() override {
    if (!reader_) return SourceOffline{"camera " + settings_.device + " is not open"};
    auto result = reader_->take(options_.grab_timeout);
    if (auto* grabbed = std::get_if<GrabbedFrame>(&result)) grabbed->frame.sequence = ++sequence_;
    return result;
  }

  void close() override {
    if (!reader_) return;
    reader_->stop(options_.close_timeout);
    reader_.reset();
  }

 private:
  // A missing node or a missing permission is told apart from a busy camera, so
  // the IT vendor knows whether to plug in, fix groups, or close another program.
  bool check_device(std::string& reason) const {
    if (::access(settings_.device.c_str(), F_OK) != 0) {
      reason = "no such device " + settings_.device + " (camera not connected)";
      return false;
    }
    if (::access(settings_.device.c_str(), R_OK | W_OK) != 0) {
      reason = "no permission to open " + settings_.device + " (" + std::strerror(errno) +
               "; the kiosk user must be in group video)";
      return false;
    }
    return true;
  }

  // Order matters for UVC cameras: the pixel format first (it decides which sizes
  // and rates exist), then size, then rate. A value the camera refuses is left at
  // its default; what it settled on is shown by describe().
  void apply_settings(cv::VideoCapture& capture) {
    if (settings_.mjpg)
      capture.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
    if (settings_.width > 0) capture.set(cv::CAP_PROP_FRAME_WIDTH, settings_.width);
    if (settings_.height > 0) capture.set(cv::CAP_PROP_FRAME_HEIGHT, settings_.height);
    if (settings_.fps > 0) capture.set(cv::CAP_PROP_FPS, settings_.fps);
    // Few buffers: the reader drains continuously, and deep driver queues only add latency.
    capture.set(cv::CAP_PROP_BUFFERSIZE, 2);
    capture.set(cv::CAP_PROP_AUTOFOCUS, settings_.autofocus ? 1 : 0);
    if (!settings_.autofocus && settings_.focus >= 0)
      capture.set(cv::CAP_PROP_FOCUS, settings_.focus);
    if (settings_.exposure >= 0) {
      // V4L2_CID_EXPOSURE_AUTO: 1 is manual, 3 aperture priority (automatic).
      capture.set(cv::CAP_PROP_AUTO_EXPOSURE, 1);
      capture.set(cv::CAP_PROP_EXPOSURE, settings_.exposure);
    } else {
      capture.set(cv::CAP_PROP_AUTO_EXPOSURE, 3);
    }
    negotiated_ = std::to_string(static_cast<int>(capture.get(cv::CAP_PROP_FRAME_WIDTH))) + "x" +
                  std::to_string(static_cast<int>(capture.get(cv::CAP_PROP_FRAME_HEIGHT))) + " " +
                  std::to_string(static_cast<int>(capture.get(cv::CAP_PROP_FPS))) + " fps " +
                  fourcc_text(capture.get(cv::CAP_PROP_FOURCC));
  }

  config::CaptureSettings settings_;
  CameraOptions options_;
  std::unique_ptr<ReaderThread> reader_;
  std::string negotiated_;
  std::uint64_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<FrameSource> make_camera_source(const config::CaptureSettings& settings,
                                                CameraOptions options) {
  return std::make_unique<CameraSource>(settings, options);
}

}  // namespace kakunin::drivers
