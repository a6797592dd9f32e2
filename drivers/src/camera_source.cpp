// The V4L2 camera source.
//
// Why a reader thread: cv::VideoCapture::read() blocks until the driver hands over
// a frame, and OpenCV 4.6's V4L2 backend waits up to 10 s in select() for a stalled
// camera (OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT; CAP_PROP_READ_TIMEOUT_MSEC applies to
// FFmpeg only). VideoCapture has no non-blocking read to poll with, so the blocking
// read runs on the source's own thread and grab() waits on a condition variable
// for at most CameraOptions::grab_timeout. As a bonus the reader keeps only the
// newest frame: a slow decoder never sees a frame that queued up in the driver
// (scrcpy's frame_buffer does the same), so what is verified is what is shown now.
//
// The reader owns the VideoCapture through a shared state: close() waits a bounded
// time for it, and if the read is stuck it is left to finish by itself, releasing
// the device when the read returns; nothing it touches is freed under it.
#include <kakunin/drivers/sources.h>

#include "capture_frames.h"

#include <opencv2/videoio.hpp>

#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

namespace kakunin::drivers {
namespace {

// Shared by the source and its reader thread.
struct CameraReader {
  std::mutex mutex;
  std::condition_variable changed;
  cv::VideoCapture capture;          // used by the reader thread only, once started
  std::optional<cv::Mat> newest;     // protected by mutex
  std::optional<std::string> failure;  // protected by mutex; the reader has stopped
  bool stop = false;                 // protected by mutex
  bool finished = false;             // protected by mutex
};

void read_frames(const std::shared_ptr<CameraReader>& reader, const std::string& description) {
  for (;;) {
    {
      std::lock_guard lock(reader->mutex);
      if (reader->stop) break;
    }
    cv::Mat image;
    bool ok = false;
    try {
      ok = reader->capture.read(image);
    } catch (const cv::Exception&) {
      ok = false;
    }
    std::lock_guard lock(reader->mutex);
    if (!ok || image.empty()) {
      reader->failure = description + " stopped delivering frames (unplugged or failed)";
      reader->changed.notify_all();
      break;
    }
    reader->newest = std::move(image);
    reader->changed.notify_all();
  }
  reader->capture.release();
  std::lock_guard lock(reader->mutex);
  reader->finished = true;
  reader->changed.notify_all();
}

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
    auto reader = std::make_shared<CameraReader>();
    try {
      reader->capture.open(settings_.device, cv::CAP_V4L2);
    } catch (const cv::Exception&) {
      reader->capture.release();
    }
    if (!reader->capture.isOpened()) {
      reason = "cannot open camera " + settings_.device +
               " (in use by another program, or not a V4L2 capture device)";
      return false;
    }
    apply_settings(reader->capture);
    reader_ = reader;
    const std::string description = "camera " + settings_.device;
    thread_ = std::thread([reader, description] { read_frames(reader, description); });
    return true;
  }

  GrabResult grab() override {
    if (!reader_) return SourceOffline{"camera " + settings_.device + " is not open"};
    std::unique_lock lock(reader_->mutex);
    reader_->changed.wait_for(lock, options_.grab_timeout, [this] {
      return reader_->newest.has_value() || reader_->failure.has_value();
    });
    if (reader_->newest) {
      cv::Mat image = std::move(*reader_->newest);
      reader_->newest.reset();
      lock.unlock();
      return GrabbedFrame{frame_from_mat(image, ++sequence_)};
    }
    if (reader_->failure) return SourceOffline{*reader_->failure};
    return NoFrameYet{};
  }

  void close() override {
    if (!reader_) return;
    bool finished = false;
    {
      std::unique_lock lock(reader_->mutex);
      reader_->stop = true;
      finished = reader_->changed.wait_for(lock, options_.close_timeout,
                                           [this] { return reader_->finished; });
    }
    if (finished) {
      thread_.join();
    } else {
      thread_.detach();  // stuck in read(); it holds the reader and exits when the read returns
    }
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
    if (settings_.mjpg) capture.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
    if (settings_.width > 0) capture.set(cv::CAP_PROP_FRAME_WIDTH, settings_.width);
    if (settings_.height > 0) capture.set(cv::CAP_PROP_FRAME_HEIGHT, settings_.height);
    if (settings_.fps > 0) capture.set(cv::CAP_PROP_FPS, settings_.fps);
    // Few buffers: the reader drains continuously, and deep driver queues only add latency.
    capture.set(cv::CAP_PROP_BUFFERSIZE, 2);
    capture.set(cv::CAP_PROP_AUTOFOCUS, settings_.autofocus ? 1 : 0);
    if (!settings_.autofocus && settings_.focus >= 0) capture.set(cv::CAP_PROP_FOCUS, settings_.focus);
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
  std::shared_ptr<CameraReader> reader_;
  std::thread thread_;
  std::string negotiated_;
  std::uint64_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<FrameSource> make_camera_source(const config::CaptureSettings& settings,
                                                CameraOptions options) {
  return std::make_unique<CameraSource>(settings, options);
}

}  // namespace kakunin::drivers
