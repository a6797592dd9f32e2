// Image file, image folder and video file sources: the capture seam fed from disk,
// for field tests with sample QRs, demos and the decode benchmarks.
#include <kakunin/drivers/sources.h>

#include <kakunin/drivers/frame_pacer.h>

#include "image_file.h"
#include "video_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <thread>
#include <vector>

namespace kakunin::drivers {

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Reads an image as BGR (gray images too, so every frame of a source has one
// format); an empty optional with `reason` when it cannot be read.
std::optional<Frame> read_image(const std::filesystem::path& path, std::string& reason) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    reason = "no such image file " + quoted(path);
    return std::nullopt;
  }
  auto image = read_image_file(path, FrameView::Format::bgr24);
  if (!image.ok()) {
    reason = image.error().message;
    return std::nullopt;
  }
  return std::move(image.value());
}

// A copy with its own sequence number and capture time, for each delivery.
Frame delivered(const Frame& image, std::uint64_t sequence) {
  Frame frame = image;
  frame.sequence = sequence;
  frame.captured_at = std::chrono::steady_clock::now();
  return frame;
}

class ImageFileSource final : public FrameSource {
 public:
  ImageFileSource(std::filesystem::path path, ImageFileOptions options)
      : path_(std::move(path)), options_(options) {}

  std::string describe() const override { return "image file " + path_.string(); }

  bool open(std::string& reason) override {
    auto image = read_image(path_, reason);
    if (!image) return false;
    image_ = std::move(*image);
    delivered_ = false;
    return true;
  }

  GrabResult grab() override {
    if (!image_) return SourceOffline{describe() + " is not open"};
    if (delivered_) {
      if (!options_.repeat) return EndOfStream{};
      std::this_thread::sleep_for(options_.interval);
    }
    delivered_ = true;
    return GrabbedFrame{delivered(*image_, ++sequence_)};
  }

  void close() override { image_.reset(); }

 private:
  std::filesystem::path path_;
  ImageFileOptions options_;
  std::optional<Frame> image_;
  bool delivered_ = false;
  std::uint64_t sequence_ = 0;
};

bool has_image_extension(const std::filesystem::path& path) {
  static constexpr std::array kExtensions = {".png", ".jpg",  ".jpeg", ".webp", ".bmp",
                                             ".tif", ".tiff", ".pgm",  ".ppm",  ".pnm"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), extension) != kExtensions.end();
}

class ImageFolderSource final : public FrameSource {
 public:
  ImageFolderSource(std::filesystem::path folder, ImageFolderOptions options)
      : folder_(std::move(folder)), options_(std::move(options)) {}

  std::string describe() const override { return "image folder " + folder_.string(); }

  bool open(std::string& reason) override {
    std::error_code error;
    if (!std::filesystem::is_directory(folder_, error)) {
      reason = "no such folder " + quoted(folder_);
      return false;
    }
    std::vector<std::filesystem::path> images;
    for (std::filesystem::directory_iterator it(folder_, error), end; !error && it != end;
         it.increment(error)) {
      if (has_image_extension(it->path()) && !it->is_directory(error)) images.push_back(it->path());
    }
    if (error) {
      reason = "cannot list folder " + quoted(folder_) + ": " + error.message();
      return false;
    }
    std::sort(images.begin(), images.end());
    images_ = std::move(images);
    next_ = 0;
    open_ = true;
    return true;
  }

  GrabResult grab() override {
    if (!open_) return SourceOffline{describe() + " is not open"};
    while (next_ < images_.size()) {
      const auto& path = images_[next_++];
      std::string reason;
      if (auto image = read_image(path, reason)) {
        if (sequence_ > 0 && options_.interval.count() > 0) {
          std::this_thread::sleep_for(options_.interval);
        }
        image->sequence = ++sequence_;
        image->captured_at = std::chrono::steady_clock::now();
        return GrabbedFrame{std::move(*image)};
      }
      if (options_.on_skipped) options_.on_skipped(SkippedFile{path, reason});
    }
    return EndOfStream{};
  }

  void close() override { open_ = false; }

 private:
  std::filesystem::path folder_;
  ImageFolderOptions options_;
  std::vector<std::filesystem::path> images_;
  std::size_t next_ = 0;
  bool open_ = false;
  std::uint64_t sequence_ = 0;
};

class VideoFileSource final : public FrameSource {
 public:
  VideoFileSource(std::filesystem::path path, VideoFileOptions options)
      : path_(std::move(path)), options_(options) {}

  std::string describe() const override { return "video file " + path_.string(); }

  bool open(std::string& reason) override {
    close();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path_, error)) {
      reason = "no such video file " + quoted(path_);
      return false;
    }
    auto video = VideoFile::open(path_);
    if (!video.ok()) {
      reason = "cannot open video " + quoted(path_) + " (" + video.error().message + ")";
      return false;
    }
    video_ = std::move(video.value());
    const double fps = video_->frames_per_second();
    // A rate outside 1..240 fps is a broken header; such a file plays unpaced.
    pacer_ = FramePacer(options_.paced && fps >= 1.0 && fps <= 240.0 ? fps : 0);
    return true;
  }

  GrabResult grab() override {
    if (!video_) return SourceOffline{describe() + " is not open"};
    VideoRead next = video_->next();
    if (std::holds_alternative<VideoEnded>(next)) return EndOfStream{};
    if (auto* failed = std::get_if<base::Error>(&next)) {
      return SourceOffline{describe() + ": " + failed->message};
    }
    Frame frame = std::move(std::get<Frame>(next));
    pacer_.wait_for_next();
    frame.sequence = ++sequence_;
    frame.captured_at = std::chrono::steady_clock::now();
    return GrabbedFrame{std::move(frame)};
  }

  void close() override { video_.reset(); }

 private:
  std::filesystem::path path_;
  VideoFileOptions options_;
  std::unique_ptr<VideoFile> video_;
  FramePacer pacer_{0};  // the file's own rate, set at open()
  std::uint64_t sequence_ = 0;
};

}  // namespace

std::unique_ptr<FrameSource> make_image_file_source(const std::filesystem::path& path,
                                                    ImageFileOptions options) {
  return std::make_unique<ImageFileSource>(path, options);
}

std::unique_ptr<FrameSource> make_image_folder_source(const std::filesystem::path& folder,
                                                      ImageFolderOptions options) {
  return std::make_unique<ImageFolderSource>(folder, std::move(options));
}

std::unique_ptr<FrameSource> make_video_file_source(const std::filesystem::path& path,
                                                    VideoFileOptions options) {
  return std::make_unique<VideoFileSource>(path, options);
}

std::unique_ptr<FrameSource> make_frame_source(const config::CaptureSettings& settings,
                                               std::string& reason) {
  using config::CaptureKind;
  switch (settings.kind) {
    case CaptureKind::camera:
      return make_camera_source(settings);
    case CaptureKind::image_folder: {
      // Each photo is held up for a second, as a member would: the decode stage
      // keeps only the newest frame, so images pulled back to back would replace
      // each other unread.
      ImageFolderOptions options;
      options.interval = std::chrono::seconds(1);
      return make_image_folder_source(settings.device, options);
    }
    case CaptureKind::video_file:
      return make_video_file_source(settings.device);
    case CaptureKind::serial_scanner:
    case CaptureKind::hid_scanner:
      break;
  }
  reason = "capture kind is a handheld scanner, which sends text, not frames";
  return nullptr;
}

}  // namespace kakunin::drivers
