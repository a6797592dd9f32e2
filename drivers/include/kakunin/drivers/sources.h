// The frame sources behind the capture seam (frame_source.h): a V4L2 camera, one
// image file, a folder of images and a video file. Factories return the seam's
// interface so no library's types reach a header; each source is used by one
// thread at a time (the FramePump's capture thread).
//
//   std::string reason;
//   std::unique_ptr<drivers::FrameSource> source = drivers::make_frame_source(config.capture,
//   reason); if (!source) return refuse(reason);  // a scanner kind: not a frame source
//   drivers::FramePump pump(std::move(source));
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/drivers/frame_source.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace kakunin::drivers {

struct CameraOptions {
  // grab() returns NoFrameYet after this long without a frame; the FramePump
  // decides when "no frame" has gone on long enough to call the camera stalled.
  std::chrono::milliseconds grab_timeout{200};
};

// A UVC/V4L2 camera through the kernel's streaming API (mmap buffers, poll() with
// the grab timeout), set up from the [capture] settings: device, width × height,
// fps, MJPG (else YUYV), autofocus/focus, exposure; describe() says what the camera
// settled on. A missing device, a device without permission (group `video`), a busy
// one or a camera that stops delivering (unplugged) gives a reason in English.
std::unique_ptr<FrameSource> make_camera_source(const config::CaptureSettings& settings,
                                                CameraOptions options = {});

struct ImageFileOptions {
  // false: the image once, then EndOfStream. true: the same image again every
  // `interval` (a kiosk demo on a printed sample, a soak test).
  bool repeat = false;
  std::chrono::milliseconds interval{100};
};

// One image file (PNG, JPEG, WebP, BMP, TIFF, binary PGM/PPM), delivered as BGR.
// Larger than 8192 pixels a side, 40 megapixels or 64 MiB: refused with a reason.
std::unique_ptr<FrameSource> make_image_file_source(const std::filesystem::path& path,
                                                    ImageFileOptions options = {});

struct SkippedFile {
  std::filesystem::path path;
  std::string reason;  // English
};

struct ImageFolderOptions {
  // Pause between images (0: as fast as the pump pulls).
  std::chrono::milliseconds interval{0};
  // Told about every image file that cannot be read; it is skipped and the folder
  // goes on. Called on the capture thread.
  std::function<void(const SkippedFile&)> on_skipped;
};

// The image files of a folder (by extension: .png .jpg .jpeg .webp .bmp .tif
// .tiff .pgm .ppm .pnm), in file-name order, one frame each, then EndOfStream.
// Other files (a sample's .txt with its expected text) are not images and are
// passed over silently.
std::unique_ptr<FrameSource> make_image_folder_source(const std::filesystem::path& folder,
                                                      ImageFolderOptions options = {});

struct VideoFileOptions {
  // true: frames come at the file's own frame rate (as a camera would show them);
  // false: as fast as they decode (benchmarks, tests).
  bool paced = true;
};

// A local video file through FFmpeg's libraries (AVI, MP4/MOV, Matroska/WebM,
// MPEG-TS/PS, raw MJPEG; frames beyond the still-image bounds refused), then
// EndOfStream; a read error mid-file is SourceOffline with the reason.
std::unique_ptr<FrameSource> make_video_file_source(const std::filesystem::path& path,
                                                    VideoFileOptions options = {});

// The source the [capture] settings ask for: camera, image_folder or video_file.
// nullptr with `reason` set for the scanner kinds, which are not frame sources.
std::unique_ptr<FrameSource> make_frame_source(const config::CaptureSettings& settings,
                                               std::string& reason);

}  // namespace kakunin::drivers
