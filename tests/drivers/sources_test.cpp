// Frame sources: image file, folder and video give exactly their frames and then
// end; missing or broken inputs (and a camera that is not there) are refused with
// a reason instead of hanging or crashing.
#include <kakunin/drivers/sources.h>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace kakunin::drivers {
namespace {

namespace fs = std::filesystem;

class SourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir = fs::temp_directory_path() / ("kakunin-sources-" + std::to_string(random()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A solid image whose blue channel says which one it is.
  fs::path write_image(const std::string& name, int marker, int width = 40, int height = 30) {
    const auto path = dir / name;
    cv::Mat image(height, width, CV_8UC3, cv::Scalar(marker, 100, 200));
    EXPECT_TRUE(cv::imwrite(path.string(), image));
    return path;
  }

  fs::path write_bytes(const std::string& name, const std::string& bytes) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // `count` gray frames at `fps`, frame i of level 20 * i, as MJPG in AVI.
  fs::path write_video(const std::string& name, int count, double fps) {
    const auto path = dir / name;
    cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps,
                           cv::Size(64, 48));
    EXPECT_TRUE(writer.isOpened());
    for (int i = 0; i < count; ++i) writer.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(20 * i)));
    writer.release();
    return path;
  }

  fs::path dir;
};

Frame expect_frame(FrameSource& source) {
  auto result = source.grab();
  auto* grabbed = std::get_if<GrabbedFrame>(&result);
  EXPECT_NE(grabbed, nullptr) << "expected a frame from " << source.describe();
  return grabbed ? std::move(grabbed->frame) : Frame{};
}

int blue_of(const Frame& frame) { return frame.pixels.empty() ? -1 : frame.pixels[0]; }

TEST_F(SourcesTest, ImageFileGivesOneFrameThenEnds) {
  auto source = make_image_file_source(write_image("sample.png", 77, 40, 30));
  std::string reason;
  ASSERT_TRUE(source->open(reason)) << reason;
  const auto frame = expect_frame(*source);
  EXPECT_EQ(frame.width, 40);
  EXPECT_EQ(frame.height, 30);
  EXPECT_EQ(frame.format, FrameView::Format::bgr24);
  EXPECT_EQ(frame.stride, 120);
  EXPECT_EQ(frame.pixels.size(), 120u * 30u);
  EXPECT_EQ(blue_of(frame), 77);
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source->grab()));
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source->grab()));
}

TEST_F(SourcesTest, ImageFileRepeatsWhenAsked) {
  auto source = make_image_file_source(write_image("sample.png", 9),
                                       ImageFileOptions{true, std::chrono::milliseconds(1)});
  std::string reason;
  ASSERT_TRUE(source->open(reason)) << reason;
  for (std::uint64_t sequence = 1; sequence <= 3; ++sequence) {
    const auto frame = expect_frame(*source);
    EXPECT_EQ(frame.sequence, sequence);
    EXPECT_EQ(blue_of(frame), 9);
  }
}

TEST_F(SourcesTest, MissingOrBrokenImageFileIsRefusedWithReason) {
  std::string reason;
  EXPECT_FALSE(make_image_file_source(dir / "absent.png")->open(reason));
  EXPECT_NE(reason.find("no such image file"), std::string::npos) << reason;
  reason.clear();
  EXPECT_FALSE(make_image_file_source(write_bytes("broken.png", "\x89PNG\r\n\x1a\nnot really"))
                   ->open(reason));
  EXPECT_NE(reason.find("cannot read image"), std::string::npos) << reason;
}

TEST_F(SourcesTest, FolderGivesImagesInNameOrderSkippingUnreadableOnes) {
  write_image("b.png", 2);
  write_image("a.jpg", 1);  // JPEG: the blue level comes back close, not exact
  write_image("c.bmp", 3);
  write_bytes("bb-broken.png", "garbage");
  write_bytes("a.txt", "JHC1:expected text of a sample, not an image");
  fs::create_directories(dir / "d.png");  // a folder with an image's name
  std::vector<SkippedFile> skipped;
  auto source = make_image_folder_source(
      dir, ImageFolderOptions{{}, [&](const SkippedFile& file) { skipped.push_back(file); }});
  std::string reason;
  ASSERT_TRUE(source->open(reason)) << reason;
  EXPECT_NEAR(blue_of(expect_frame(*source)), 1, 3);
  EXPECT_EQ(blue_of(expect_frame(*source)), 2);
  EXPECT_EQ(blue_of(expect_frame(*source)), 3);
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source->grab()));
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].path.filename(), "bb-broken.png");
  EXPECT_NE(skipped[0].reason.find("cannot read image"), std::string::npos);
}

TEST_F(SourcesTest, FolderStartsOverWhenReopened) {
  write_image("one.png", 5);
  auto source = make_image_folder_source(dir);
  std::string reason;
  ASSERT_TRUE(source->open(reason));
  EXPECT_EQ(blue_of(expect_frame(*source)), 5);
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source->grab()));
  source->close();
  EXPECT_TRUE(std::holds_alternative<SourceOffline>(source->grab()));
  ASSERT_TRUE(source->open(reason));
  EXPECT_EQ(blue_of(expect_frame(*source)), 5);
}

TEST_F(SourcesTest, MissingFolderIsRefusedWithReason) {
  std::string reason;
  EXPECT_FALSE(make_image_folder_source(dir / "absent")->open(reason));
  EXPECT_NE(reason.find("no such folder"), std::string::npos) << reason;
}

TEST_F(SourcesTest, VideoFileGivesEveryFrameThenEnds) {
  auto source = make_video_file_source(write_video("clip.avi", 8, 25), VideoFileOptions{false});
  std::string reason;
  ASSERT_TRUE(source->open(reason)) << reason;
  for (int i = 0; i < 8; ++i) {
    const auto frame = expect_frame(*source);
    EXPECT_EQ(frame.width, 64);
    EXPECT_EQ(frame.height, 48);
    EXPECT_EQ(frame.sequence, static_cast<std::uint64_t>(i + 1));
    EXPECT_NEAR(blue_of(frame), 20 * i, 6) << "frame " << i;  // MJPG is lossy
  }
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source->grab()));
}

TEST_F(SourcesTest, PacedVideoTakesAtLeastItsOwnDuration) {
  // Ten frames at 50 fps are 180 ms from the first frame to the last; only the
  // lower bound is checked, which a slow machine cannot break.
  auto source = make_video_file_source(write_video("clip.avi", 10, 50));
  std::string reason;
  ASSERT_TRUE(source->open(reason)) << reason;
  const auto first = std::chrono::steady_clock::now();
  expect_frame(*source);
  for (int i = 1; i < 10; ++i) expect_frame(*source);
  EXPECT_GE(std::chrono::steady_clock::now() - first, std::chrono::milliseconds(175));
}

TEST_F(SourcesTest, MissingOrBrokenVideoIsRefusedWithReason) {
  std::string reason;
  EXPECT_FALSE(make_video_file_source(dir / "absent.avi")->open(reason));
  EXPECT_NE(reason.find("no such video file"), std::string::npos) << reason;
  reason.clear();
  EXPECT_FALSE(
      make_video_file_source(write_bytes("broken.avi", std::string(4096, 'x')))->open(reason));
  EXPECT_NE(reason.find("cannot open video"), std::string::npos) << reason;
}

// A "video" from a USB stick that is a playlist naming another file: FFmpeg's hls
// and concat demuxers would open it (or a URL); only recording containers are read.
TEST_F(SourcesTest, VideoThatIsAPlaylistIsRefusedWithoutOpeningWhatItNames) {
  write_video("inner.avi", 3, 25);
  const auto playlist =
      write_bytes("clip.m3u8", "#EXTM3U\n#EXTINF:1,\ninner.avi\n#EXT-X-ENDLIST\n");
  std::string reason;
  EXPECT_FALSE(make_video_file_source(playlist, VideoFileOptions{false})->open(reason));
  EXPECT_NE(reason.find("cannot open video"), std::string::npos) << reason;
  const auto concat = write_bytes("clip.ffconcat", "ffconcat version 1.0\nfile inner.avi\n");
  reason.clear();
  EXPECT_FALSE(make_video_file_source(concat, VideoFileOptions{false})->open(reason));
  EXPECT_NE(reason.find("cannot open video"), std::string::npos) << reason;
}

TEST_F(SourcesTest, MissingCameraIsRefusedAtOnceWithReason) {
  config::CaptureSettings settings;
  settings.device = "/dev/video97";
  auto source = make_camera_source(settings);
  std::string reason;
  EXPECT_FALSE(source->open(reason));
  EXPECT_EQ(reason, "no such device /dev/video97 (camera not connected)");
  EXPECT_TRUE(std::holds_alternative<SourceOffline>(source->grab()));
  source->close();
}

TEST_F(SourcesTest, DeviceThatIsNoCameraIsRefused) {
  config::CaptureSettings settings;
  settings.device = "/dev/null";
  std::string reason;
  EXPECT_FALSE(make_camera_source(settings)->open(reason));
  EXPECT_NE(reason.find("cannot open camera /dev/null"), std::string::npos) << reason;
}

TEST_F(SourcesTest, SettingsPickTheSourceKind) {
  config::CaptureSettings settings;
  std::string reason;
  settings.kind = config::CaptureKind::image_folder;
  settings.device = dir.string();
  auto folder = make_frame_source(settings, reason);
  ASSERT_NE(folder, nullptr);
  EXPECT_EQ(folder->describe(), "image folder " + dir.string());
  settings.kind = config::CaptureKind::camera;
  settings.device = "/dev/video0";
  EXPECT_EQ(make_frame_source(settings, reason)->describe(), "camera /dev/video0");
  settings.kind = config::CaptureKind::hid_scanner;
  EXPECT_EQ(make_frame_source(settings, reason), nullptr);
  EXPECT_NE(reason.find("scanner"), std::string::npos);
}

}  // namespace
}  // namespace kakunin::drivers
