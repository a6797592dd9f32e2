// The V4L2 camera source: the kernel's streaming API directly (v4l2_device.h).
//
// open(): QUERYCAP (a capture device that streams), S_FMT MJPEG at the configured
// size (YUYV when the camera has no MJPEG, or the other way round with mjpg off),
// S_PARM for the rate, the controls, then two mmap'ed buffers and STREAMON.
// grab(): poll() for at most the grab timeout, then DQBUF every filled buffer and
// keep only the newest (a slow decoder never works on a frame that queued up in the
// driver: what is verified is what the camera sees now), decode it, QBUF.
//
// No reader thread: the device is opened O_NONBLOCK and poll() has a timeout, so
// grab() never blocks longer than CameraOptions::grab_timeout and the FramePump's
// capture thread can call it directly.
#include "v4l2_device.h"

#include "image_formats.h"

#include <linux/videodev2.h>

#include <opencv2/imgproc.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace kakunin::drivers {
namespace {

// Two buffers: one filling while the other is decoded. More only add frames that
// wait in the driver and are thrown away here as stale.
constexpr std::uint32_t kBuffers = 2;

std::string fourcc_text(std::uint32_t code) {
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((code >> shift) & 0xff);
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return text;
}

bool device_gone(int error) { return error == ENODEV || error == EIO || error == ENXIO; }

class SystemV4l2Device final : public V4l2Device {
 public:
  ~SystemV4l2Device() override { close(); }

  int open(const std::string& path) override {
    close();
    fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    return fd_ < 0 ? errno : 0;
  }
  int control(unsigned long request, void* argument) override {
    int result = 0;
    do {
      result = ::ioctl(fd_, request, argument);
    } while (result < 0 && errno == EINTR);
    return result < 0 ? errno : 0;
  }
  int poll(std::chrono::milliseconds timeout, short& revents) override {
    pollfd entry{fd_, POLLIN, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    if (ready < 0) return errno == EINTR ? 0 : -errno;
    revents = entry.revents;
    return ready;
  }
  void* map(std::size_t length, std::uint32_t offset) override {
    void* address = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, offset);
    return address == MAP_FAILED ? nullptr : address;
  }
  void unmap(void* address, std::size_t length) override { ::munmap(address, length); }
  void close() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct MappedBuffer {
  void* address = nullptr;
  std::size_t length = 0;
};

class CameraSource final : public FrameSource {
 public:
  CameraSource(config::CaptureSettings settings, CameraOptions options,
               std::unique_ptr<V4l2Device> device)
      : settings_(std::move(settings)), options_(options), device_(std::move(device)) {}
  ~CameraSource() override { close(); }

  std::string describe() const override {
    std::string text = "camera " + settings_.device;
    if (!negotiated_.empty()) text += " (" + negotiated_ + ")";
    return text;
  }

  bool open(std::string& reason) override {
    close();
    if (!open_device(reason) || !negotiate_format(reason)) {
      close();
      return false;
    }
    set_frame_rate();
    apply_controls();
    if (!start_streaming(reason)) {
      close();
      return false;
    }
    return true;
  }

  GrabResult grab() override {
    if (!streaming_) return SourceOffline{describe() + " is not open"};
    short revents = 0;
    const int ready = device_->poll(options_.grab_timeout, revents);
    if (ready < 0 || (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return gone();
    if (ready == 0) return NoFrameYet{};
    v4l2_buffer newest{};
    const int taken = take_newest(newest);
    if (taken == EAGAIN) return NoFrameYet{};
    if (taken != 0) return gone();
    auto frame = decode(newest);
    if (device_->control(VIDIOC_QBUF, &newest) != 0) return gone();
    // A corrupt MJPEG buffer (a USB transfer cut short) is skipped, not fatal: the
    // next frame comes a few tens of milliseconds later.
    if (!frame.ok()) return NoFrameYet{};
    frame.value().sequence = ++sequence_;
    frame.value().captured_at = std::chrono::steady_clock::now();
    return GrabbedFrame{std::move(frame.value())};
  }

  void close() override {
    if (streaming_) {
      int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      (void)device_->control(VIDIOC_STREAMOFF, &type);
      streaming_ = false;
    }
    for (const MappedBuffer& buffer : buffers_) device_->unmap(buffer.address, buffer.length);
    buffers_.clear();
    if (opened_) device_->close();
    opened_ = false;
  }

 private:
  SourceOffline gone() const {
    return SourceOffline{"camera " + settings_.device +
                         " stopped delivering frames (unplugged or failed)"};
  }

  // A missing node or a missing permission is told apart from a busy camera, so
  // the IT vendor knows whether to plug in, fix groups, or close another program.
  bool open_device(std::string& reason) {
    const std::string& path = settings_.device;
    const int error = device_->open(path);
    if (error == ENOENT || error == ENODEV || error == ENXIO) {
      reason = "no such device " + path + " (camera not connected)";
    } else if (error == EACCES || error == EPERM) {
      reason = "no permission to open " + path + " (" + std::strerror(error) +
               "; the kiosk user must be in group video)";
    } else if (error != 0) {
      reason = "cannot open camera " + path + " (" + std::strerror(error) + ")";
    }
    if (error != 0) return false;
    opened_ = true;
    v4l2_capability capability{};
    const std::uint32_t needed = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    if (device_->control(VIDIOC_QUERYCAP, &capability) != 0) {
      reason = "cannot open camera " + path + " (not a V4L2 capture device)";
      return false;
    }
    const std::uint32_t caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS) != 0
                                   ? capability.device_caps
                                   : capability.capabilities;
    if ((caps & needed) != needed) {
      reason = "cannot open camera " + path + " (a V4L2 device, but not a streaming capture one)";
      return false;
    }
    return true;
  }

  int set_format(std::uint32_t pixel_format, v4l2_format& format) {
    format = {};
    format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (const int error = device_->control(VIDIOC_G_FMT, &format); error != 0) return error;
    if (settings_.width > 0) format.fmt.pix.width = static_cast<std::uint32_t>(settings_.width);
    if (settings_.height > 0) format.fmt.pix.height = static_cast<std::uint32_t>(settings_.height);
    format.fmt.pix.pixelformat = pixel_format;
    format.fmt.pix.field = V4L2_FIELD_ANY;
    return device_->control(VIDIOC_S_FMT, &format);
  }

  // The driver answers S_FMT with what it can do: another size, or another pixel
  // format when it has not the one asked for. MJPEG is wanted for 1280x720 at 30
  // fps over USB 2; YUYV, which every UVC camera has, is the fallback.
  bool negotiate_format(std::string& reason) {
    const std::uint32_t first = settings_.mjpg ? V4L2_PIX_FMT_MJPEG : V4L2_PIX_FMT_YUYV;
    const std::uint32_t second = settings_.mjpg ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
    v4l2_format format{};
    int error = set_format(first, format);
    if (error == 0 && format.fmt.pix.pixelformat != first) error = set_format(second, format);
    if (error == EBUSY) {
      reason = "cannot open camera " + settings_.device + " (in use by another program)";
      return false;
    }
    const std::uint32_t got = format.fmt.pix.pixelformat;
    if (error != 0 || (got != V4L2_PIX_FMT_MJPEG && got != V4L2_PIX_FMT_YUYV)) {
      reason = "cannot open camera " + settings_.device + " (it offers neither MJPEG nor YUYV" +
               (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) + ")";
      return false;
    }
    if (auto refused = check_dimensions(format.fmt.pix.width, format.fmt.pix.height, limits_)) {
      reason = "cannot open camera " + settings_.device + " (" + refused->message + ")";
      return false;
    }
    format_ = format.fmt.pix;
    return true;
  }

  // A rate the camera refuses is left at its default; describe() shows what it took.
  void set_frame_rate() {
    v4l2_streamparm parameters{};
    parameters.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (settings_.fps > 0) {
      parameters.parm.capture.timeperframe = {1, static_cast<std::uint32_t>(settings_.fps)};
      (void)device_->control(VIDIOC_S_PARM, &parameters);
    }
    if (settings_.fps <= 0) (void)device_->control(VIDIOC_G_PARM, &parameters);
    const v4l2_fract period = parameters.parm.capture.timeperframe;
    const std::uint32_t fps = period.numerator > 0 ? period.denominator / period.numerator : 0;
    negotiated_ = std::to_string(format_.width) + "x" + std::to_string(format_.height) + " " +
                  std::to_string(fps) + " fps " + fourcc_text(format_.pixelformat);
  }

  // The same controls as before, each left at the camera's default when refused.
  void apply_controls() {
    set_control(V4L2_CID_FOCUS_AUTO, settings_.autofocus ? 1 : 0);
    if (!settings_.autofocus && settings_.focus >= 0) {
      set_control(V4L2_CID_FOCUS_ABSOLUTE, settings_.focus);
    }
    if (settings_.exposure >= 0) {
      set_control(V4L2_CID_EXPOSURE_AUTO, V4L2_EXPOSURE_MANUAL);
      set_control(V4L2_CID_EXPOSURE_ABSOLUTE, settings_.exposure);
    } else {
      set_control(V4L2_CID_EXPOSURE_AUTO, V4L2_EXPOSURE_APERTURE_PRIORITY);
    }
  }

  void set_control(std::uint32_t id, int value) {
    v4l2_control control{id, value};
    (void)device_->control(VIDIOC_S_CTRL, &control);
  }

  bool start_streaming(std::string& reason) {
    const std::string cannot = "cannot open camera " + settings_.device + " (";
    v4l2_requestbuffers request{};
    request.count = kBuffers;
    request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    request.memory = V4L2_MEMORY_MMAP;
    if (const int error = device_->control(VIDIOC_REQBUFS, &request);
        error != 0 || request.count == 0) {
      reason = cannot +
               (error == EBUSY ? std::string("in use by another program")
                               : "no capture buffers: " + std::string(std::strerror(error))) +
               ")";
      return false;
    }
    for (std::uint32_t index = 0; index < request.count; ++index) {
      v4l2_buffer buffer{};
      buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buffer.memory = V4L2_MEMORY_MMAP;
      buffer.index = index;
      void* address = nullptr;
      if (device_->control(VIDIOC_QUERYBUF, &buffer) == 0) {
        address = device_->map(buffer.length, buffer.m.offset);
      }
      if (address == nullptr) {
        reason = cannot + "cannot map its buffers)";
        return false;
      }
      buffers_.push_back({address, buffer.length});
      if (device_->control(VIDIOC_QBUF, &buffer) != 0) {
        reason = cannot + "cannot queue its buffers)";
        return false;
      }
    }
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (const int error = device_->control(VIDIOC_STREAMON, &type); error != 0) {
      reason = cannot + "it does not start streaming: " + std::strerror(error) + ")";
      return false;
    }
    streaming_ = true;
    return true;
  }

  // Every filled buffer is dequeued; all but the newest go straight back. 0 with
  // `newest` set, EAGAIN when none was filled after all, else the errno.
  int take_newest(v4l2_buffer& newest) {
    bool have = false;
    for (;;) {
      v4l2_buffer buffer{};
      buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buffer.memory = V4L2_MEMORY_MMAP;
      const int error = device_->control(VIDIOC_DQBUF, &buffer);
      if (error == EAGAIN) return have ? 0 : EAGAIN;
      if (error != 0) return device_gone(error) ? error : (have ? 0 : error);
      if (buffer.index >= buffers_.size()) return EIO;
      if (have && device_->control(VIDIOC_QBUF, &newest) != 0) return EIO;
      newest = buffer;
      have = true;
    }
  }

  base::Result<Frame> decode(const v4l2_buffer& buffer) const {
    const MappedBuffer& mapped = buffers_[buffer.index];
    const auto* bytes = static_cast<const std::uint8_t*>(mapped.address);
    const std::size_t used = std::min<std::size_t>(buffer.bytesused, mapped.length);
    if ((buffer.flags & V4L2_BUF_FLAG_ERROR) != 0)
      return base::Error{"the driver flagged the frame"};
    if (format_.pixelformat == V4L2_PIX_FMT_MJPEG) {
      return decode_jpeg({bytes, used}, frame::FrameView::Format::bgr24, limits_);
    }
    return yuyv_to_bgr(bytes, used);
  }

  base::Result<Frame> yuyv_to_bgr(const std::uint8_t* bytes, std::size_t used) const {
    const int width = static_cast<int>(format_.width);
    const int height = static_cast<int>(format_.height);
    const std::size_t line =
        std::max<std::size_t>(format_.bytesperline, std::size_t{format_.width} * 2);
    if (used < line * format_.height) return base::Error{"a YUYV frame cut short"};
    Frame frame;
    frame.width = width;
    frame.height = height;
    frame.stride = width * 3;
    frame.format = frame::FrameView::Format::bgr24;
    frame.pixels.resize(static_cast<std::size_t>(frame.stride) * static_cast<std::size_t>(height));
    const cv::Mat yuyv(height, width, CV_8UC2, const_cast<std::uint8_t*>(bytes), line);
    cv::Mat bgr(height, width, CV_8UC3, frame.pixels.data(),
                static_cast<std::size_t>(frame.stride));
    cv::cvtColor(yuyv, bgr, cv::COLOR_YUV2BGR_YUYV);
    return frame;
  }

  config::CaptureSettings settings_;
  CameraOptions options_;
  std::unique_ptr<V4l2Device> device_;
  ImageLimits limits_;
  v4l2_pix_format format_{};
  std::vector<MappedBuffer> buffers_;
  bool opened_ = false;
  bool streaming_ = false;
  std::string negotiated_;
  std::uint64_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<V4l2Device> make_system_v4l2_device() {
  return std::make_unique<SystemV4l2Device>();
}

std::unique_ptr<FrameSource> make_v4l2_camera_source(const config::CaptureSettings& settings,
                                                     CameraOptions options,
                                                     std::unique_ptr<V4l2Device> device) {
  return std::make_unique<CameraSource>(settings, options, std::move(device));
}

std::unique_ptr<FrameSource> make_camera_source(const config::CaptureSettings& settings,
                                                CameraOptions options) {
  return make_v4l2_camera_source(settings, options, make_system_v4l2_device());
}

}  // namespace kakunin::drivers
