// Private: the V4L2 camera source and the seam under it. Every call the camera
// makes to the kernel goes through V4l2Device, shaped like the system calls
// themselves (open, ioctl, poll, mmap), so the real device is a pass-through and a
// test can be the camera: hand out MJPEG or YUYV buffers, time out, or vanish.
//
//   auto source = make_v4l2_camera_source(settings, options, std::make_unique<FakeCamera>());
//   // production: make_camera_source(settings) (sources.h) passes make_system_v4l2_device()
//
// Raw ioctls from <linux/videodev2.h>, not libv4l2: libv4l2's value is converting
// exotic pixel formats in user space, but the kiosk asks for MJPEG (or YUYV, which
// every UVC camera has) and decodes both itself; libv4l2 would add its own buffer
// emulation between the kernel and this seam, and a dependency, for formats the
// kiosk never asks for.
#pragma once

#include <kakunin/drivers/sources.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace kakunin::drivers {

class V4l2Device {
 public:
  virtual ~V4l2Device() = default;
  // open(path, O_RDWR | O_NONBLOCK): 0, or the errno (ENOENT, EACCES, EBUSY, ...).
  virtual int open(const std::string& path) = 0;
  // ioctl(request, argument), retried on EINTR: 0, or the errno.
  virtual int control(unsigned long request, void* argument) = 0;
  // poll() for a filled buffer: 1 with `revents`, 0 after `timeout`, or -errno.
  virtual int poll(std::chrono::milliseconds timeout, short& revents) = 0;
  // mmap(length, offset) of one driver buffer; nullptr when it fails.
  virtual void* map(std::size_t length, std::uint32_t offset) = 0;
  virtual void unmap(void* address, std::size_t length) = 0;
  virtual void close() = 0;
};

// The kernel's /dev/videoN.
std::unique_ptr<V4l2Device> make_system_v4l2_device();

// The camera source (camera_source.cpp) on `device`.
std::unique_ptr<FrameSource> make_v4l2_camera_source(const config::CaptureSettings& settings,
                                                     CameraOptions options,
                                                     std::unique_ptr<V4l2Device> device);

}  // namespace kakunin::drivers
