// The still-image loader without imgcodecs: the same pixels cv::imread gives (so
// no photo reads differently than before), dimensions refused before allocation,
// and a reason instead of a crash for every broken file.
#include "image_file.h"
#include "sample_photographs.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace kakunin::drivers {
namespace {

namespace fs = std::filesystem;
using Format = frame::FrameView::Format;

std::vector<std::uint8_t> file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> encoded(const std::string& extension, const cv::Mat& image,
                                  const std::vector<int>& parameters = {}) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(extension, image, bytes, parameters)) << extension;
  return bytes;
}

cv::Mat as_mat(const frame::Frame& frame) {
  return cv::Mat(frame.height, frame.width, frame.format == Format::gray8 ? CV_8UC1 : CV_8UC3,
                 const_cast<std::uint8_t*>(frame.pixels.data()),
                 static_cast<std::size_t>(frame.stride));
}

// The largest difference of any pixel channel between our decode and imdecode's
// (-1 when the sizes differ or one of them failed).
int difference_from_imread(const std::vector<std::uint8_t>& bytes, Format format) {
  const auto ours = decode_image(bytes, format);
  const cv::Mat theirs =
      cv::imdecode(bytes, format == Format::gray8 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (!ours.ok() || theirs.empty()) return -1;
  const cv::Mat mine = as_mat(ours.value());
  if (mine.size() != theirs.size() || mine.type() != theirs.type()) return -1;
  double most = 0;
  cv::minMaxLoc(cv::abs(mine - theirs), nullptr, &most);
  return static_cast<int>(most);
}

// A photo-like test card: gradients and edges, so an upsampling or rounding
// difference would show.
cv::Mat test_card(int channels) {
  cv::Mat card(61, 83, CV_8UC3);
  for (int y = 0; y < card.rows; ++y) {
    for (int x = 0; x < card.cols; ++x) {
      card.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<std::uint8_t>(x * 3), static_cast<std::uint8_t>(y * 4),
                    static_cast<std::uint8_t>((x * y) % 256));
    }
  }
  cv::rectangle(card, {10, 10}, {40, 30}, cv::Scalar(255, 255, 255), cv::FILLED);
  if (channels == 1) cv::cvtColor(card, card, cv::COLOR_BGR2GRAY);
  if (channels == 4) cv::cvtColor(card, card, cv::COLOR_BGR2BGRA);
  return card;
}

TEST(ImageFile, ReadsTheSamplePhotographsWithImreadsPixels) {
  int images = 0;
  for (const char* name : testing::kSamplePhotographs) {
    ++images;
    const auto bytes = file_bytes(testing::sample_photograph(name));
    EXPECT_EQ(difference_from_imread(bytes, Format::gray8), 0) << name;
    EXPECT_EQ(difference_from_imread(bytes, Format::bgr24), 0) << name;
  }
  EXPECT_GE(images, 8);  // PNG, JPEG and WebP photographs
}

TEST(ImageFile, ReadsJpegAndPngOfEveryLayoutAsImreadDoes) {
  for (const int channels : {1, 3, 4}) {
    const cv::Mat card = test_card(channels);
    if (channels != 4) {
      for (const int quality : {50, 95}) {
        const auto jpeg = encoded(".jpg", card, {cv::IMWRITE_JPEG_QUALITY, quality});
        EXPECT_EQ(difference_from_imread(jpeg, Format::gray8), 0) << channels << " " << quality;
        EXPECT_EQ(difference_from_imread(jpeg, Format::bgr24), 0) << channels << " " << quality;
      }
      const auto progressive = encoded(".jpg", card, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
      EXPECT_EQ(difference_from_imread(progressive, Format::bgr24), 0) << channels;
    }
    const auto png = encoded(".png", card);
    EXPECT_EQ(difference_from_imread(png, Format::gray8), 0) << channels;
    EXPECT_EQ(difference_from_imread(png, Format::bgr24), 0) << channels;
  }
  cv::Mat deep;
  test_card(3).convertTo(deep, CV_16UC3, 257);
  EXPECT_EQ(difference_from_imread(encoded(".png", deep), Format::bgr24), 0);
  const auto bilevel = encoded(".png", test_card(1) > 128, {cv::IMWRITE_PNG_BILEVEL, 1});
  EXPECT_EQ(difference_from_imread(bilevel, Format::gray8), 0);
}

TEST(ImageFile, ReadsWebpTiffBmpAndPnmAsImreadDoes) {
  for (const int channels : {1, 3}) {
    const cv::Mat card = test_card(channels);
    for (const char* extension : {".webp", ".tiff", ".bmp", ".pgm", ".ppm"}) {
      if (channels == 3 && std::string(extension) == ".pgm") continue;
      if (channels == 1 && std::string(extension) == ".ppm") continue;
      const auto bytes = encoded(extension, card);
      EXPECT_EQ(difference_from_imread(bytes, Format::bgr24), 0) << extension << " " << channels;
      // Grey from colour: imread's own BGR2GRAY rounding in some decoders.
      const int gray = difference_from_imread(bytes, Format::gray8);
      EXPECT_GE(gray, 0) << extension;
      EXPECT_LE(gray, 1) << extension << " " << channels;
    }
  }
}

// PNG's chunk CRC (ISO 3309), so an edited header is still a well-formed chunk.
std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A 1x1 PNG/JPEG/BMP whose header is edited to claim a giant size: refused with
// the size in the reason, not decoded (an allocation of the claimed size would be
// gigabytes; the fuzz target's malloc limit catches the allocation itself).
TEST(ImageFile, RefusesGiantDimensionsFromTheHeader) {
  const cv::Mat dot(1, 1, CV_8UC3, cv::Scalar(1, 2, 3));
  auto png = encoded(".png", dot);
  png[16] = 0x00, png[17] = 0x01, png[18] = 0x00, png[19] = 0x00;  // IHDR width 65536
  const std::uint32_t crc = crc32_of(png.data() + 12, 17);         // "IHDR" and its 13 bytes
  for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
  auto jpeg = encoded(".jpg", dot);
  for (std::size_t i = 0; i + 8 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) {  // SOF0: height and width at +5, +7
      jpeg[i + 5] = 0xea, jpeg[i + 6] = 0x60, jpeg[i + 7] = 0xea, jpeg[i + 8] = 0x60;
      break;
    }
  }
  auto bmp = encoded(".bmp", dot);
  bmp[18] = 0x00, bmp[19] = 0x00, bmp[20] = 0x01, bmp[21] = 0x00;  // width 65536
  const std::string pgm = "P5 9000 9000 255\n";
  for (const auto& bytes : {png, jpeg, bmp, std::vector<std::uint8_t>(pgm.begin(), pgm.end())}) {
    const auto image = decode_image(bytes, Format::bgr24);
    ASSERT_FALSE(image.ok());
    EXPECT_NE(image.error().message.find("megapixels this kiosk reads"), std::string::npos)
        << image.error().message;
  }
  const auto tall = decode_image(encoded(".png", cv::Mat(4000, 3000, CV_8UC1, cv::Scalar(7))),
                                 Format::gray8, ImageLimits{8192, 10'000'000});
  ASSERT_FALSE(tall.ok());  // 12 megapixels: within each side, beyond the pixel count
}

TEST(ImageFile, RefusesAFileLargerThanTheLimitWithoutReadingIt) {
  const auto path = fs::temp_directory_path() /
                    ("kakunin-large-" + std::to_string(std::random_device()()) + ".png");
  const auto png = encoded(".png", test_card(3));
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  ImageLimits limits;
  limits.max_file_bytes = png.size() - 1;
  const auto image = read_image_file(path, Format::bgr24, limits);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("is larger than"), std::string::npos)
      << image.error().message;
  EXPECT_TRUE(read_image_file(path, Format::bgr24).ok());
  fs::remove(path);
}

TEST(ImageFile, RefusesAJpegWithThousandsOfScans) {
  std::vector<std::uint8_t> bomb = {0xff, 0xd8, 0xff, 0xe0};
  for (int i = 0; i < 600; ++i) bomb.insert(bomb.end(), {0xff, 0xda, 0x00, 0x02});
  const auto image = decode_jpeg(bomb, Format::gray8);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("scans"), std::string::npos) << image.error().message;
}

// Every prefix of a valid file of each format, and bytes flipped at random: each
// either decodes or gives a reason (under ASan in CI, any overread is a failure).
TEST(ImageFile, BrokenFilesGiveAReasonNeverACrash) {
  std::mt19937 random(13);
  for (const char* extension : {".jpg", ".png", ".webp", ".tiff", ".bmp", ".ppm"}) {
    const auto good = encoded(extension, test_card(3));
    for (std::size_t length = 0; length < good.size(); length += 1 + length / 8) {
      const std::vector<std::uint8_t> prefix(good.begin(),
                                             good.begin() + static_cast<std::ptrdiff_t>(length));
      const auto image = decode_image(prefix, Format::bgr24);
      EXPECT_TRUE(image.ok() || !image.error().message.empty()) << extension << " " << length;
    }
    for (int round = 0; round < 50; ++round) {
      auto flipped = good;
      for (int i = 0; i < 4; ++i)
        flipped[random() % flipped.size()] ^= static_cast<std::uint8_t>(1u << (random() % 8));
      const auto image = decode_image(flipped, Format::gray8);
      EXPECT_TRUE(image.ok() || !image.error().message.empty()) << extension;
    }
  }
  const std::string text = "this is text";
  const auto not_image =
      decode_image(std::vector<std::uint8_t>(text.begin(), text.end()), Format::gray8);
  ASSERT_FALSE(not_image.ok());
  EXPECT_NE(not_image.error().message.find("not a PNG, JPEG or WebP image"), std::string::npos);
}

// A phone photo cut short on a USB stick: imread accepts it, and so does the
// loader. What fills the missing part differs (imread repeats its last decoded
// row, libjpeg-turbo continues with zero coefficients); the part present is the same.
// Found by fuzz_image_file: a 32-bit BI_BITFIELDS header that ends where its colour
// masks should follow. Refused; under ASan (CI) a read past the buffer fails here.
TEST(ImageFile, RefusesABitfieldsBmpWhoseMasksAreMissing) {
  std::vector<std::uint8_t> bmp(54, 0);
  bmp[0] = 'B', bmp[1] = 'M';
  bmp[10] = 54;                            // pixels at 54
  bmp[14] = 40;                            // BITMAPINFOHEADER
  bmp[18] = 1, bmp[22] = 1;                // 1x1
  bmp[26] = 1, bmp[28] = 32, bmp[30] = 3;  // one plane, 32 bits, BI_BITFIELDS
  const auto image = decode_image(bmp, Format::bgr24);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("does not read"), std::string::npos)
      << image.error().message;
}

TEST(ImageFile, TruncatedJpegStillGivesTheWholeImageAsImreadDoes) {
  auto jpeg = encoded(".jpg", test_card(3));
  jpeg.resize(jpeg.size() * 2 / 3);
  const auto image = decode_image(jpeg, Format::bgr24);
  ASSERT_TRUE(image.ok()) << image.error().message;
  ASSERT_EQ(image.value().width, 83);
  ASSERT_EQ(image.value().height, 61);
  const cv::Mat theirs = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  const cv::Rect top(0, 0, 83, 16);
  double most = 0;
  cv::minMaxLoc(cv::abs(as_mat(image.value())(top) - theirs(top)), nullptr, &most);
  EXPECT_EQ(most, 0);
}

}  // namespace
}  // namespace kakunin::drivers
