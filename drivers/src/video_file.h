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
  static base::Result<std::unique_ptr<VideoFile>> open(const std::filesystem::path& path,
                                                       const ImageLimits& limits = {});
  ~VideoFile();
  VideoFile(const VideoFile&) = delete;
  VideoFile& operator=(const VideoFile&) = delete;

  // The stream's frame rate as its header says (0 when it says nothing usable).
  double frames_per_second() const;
  // The next decoded frame (sequence and capture time left to the caller). A
  // corrupt packet is skipped, as players do; a read error is an Error.
  VideoRead next();

  struct State;  // libav's contexts; in video_file.cpp only

 private:
  explicit VideoFile(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kakunin::drivers
