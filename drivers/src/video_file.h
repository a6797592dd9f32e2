// Private: a video file's frames as BGR, through libavformat + libavcodec +
// libswscale directly (OpenCV's videoio would map imgcodecs, GStreamer, dc1394...).
//
//   auto video = VideoFile::open(path);              // base::Result<std::unique_ptr<VideoFile>>
//   if (!video.ok()) return refuse(video.error().message);
//   pacer = FramePacer(video.value()->frames_per_second());
//   auto next = video.value()->next();                // a Frame, VideoEnded, or an Error
//
// A file nobody vouches for: only local files (no protocol but `file`, so a
// playlist cannot fetch URLs or other files), only the container formats a camera
// or phone records, frames beyond ImageLimits refused by libavcodec before it
// allocates them, and FFmpeg's own log kept quiet. One thread at a time.
#pragma once

#include "image_file.h"

#include <filesystem>
#include <memory>
#include <variant>

namespace kakunin::drivers {

struct VideoEnded {};
using VideoRead = std::variant<frame::Frame, VideoEnded, base::Error>;

class VideoFile {
 public:
  // Loads the video module on first use (video_file_loader.cpp); an Error names
  // what is missing when the module cannot be found or loaded.
  static base::Result<std::unique_ptr<VideoFile>> open(const std::filesystem::path& path,
                                                       const ImageLimits& limits = {});
  virtual ~VideoFile() = default;

  // The stream's frame rate as its header says (0 when it says nothing usable).
  virtual double frames_per_second() const = 0;
  // The next decoded frame (sequence and capture time left to the caller). A
  // corrupt packet is skipped, as players do; a read error is an Error.
  virtual VideoRead next() = 0;
};

// What the module (drivers/video/, libkakunin-video.so) hands the loader:
// FFmpeg's libraries are mapped only into a process that opens a video file. A
// camera kiosk never does, and libavformat alone NEEDs 134 libraries (network
// protocols, Blu-ray, SMB, codecs) that would otherwise sit in every kiosk's RSS.
inline constexpr int kVideoModuleAbi = 1;
struct VideoModule {
  int abi = kVideoModuleAbi;  // the loader refuses a module built for another
  base::Result<std::unique_ptr<VideoFile>> (*open)(const std::filesystem::path& path,
                                                   const ImageLimits& limits) = nullptr;
};
// The module's one exported symbol.
inline constexpr const char* kVideoModuleEntry = "kakunin_video_module";
inline constexpr const char* kVideoModuleFile = "libkakunin-video.so";

}  // namespace kakunin::drivers
