// The decode pipeline: reads what a single decoder misses (photographs, dark mode,
// mirrored, small and turned symbols), follows a moving QR, and never returns a
// text the symbol does not hold.
#include <kakunin/drivers/qr_reader.h>

#include "sample_photographs.h"

#include <gtest/gtest.h>
#include <qrencode.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kakunin::drivers {
namespace {

// A JHC1-shaped alphanumeric text long enough for a version-10 symbol.
const std::string kText =
    "JHC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N "
    "IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O"
    "%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/"
    "HY+4J6TH48S%4K.GJ2";

// The symbol black on white, `scale` px a module, 4-module quiet zone, gray.
cv::Mat draw_qr(const std::string& text, int scale) {
  std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M),
                                                          QRinput_free);
  if (!input || QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(text.size()),
                               reinterpret_cast<const unsigned char*>(text.data())) != 0) {
    throw std::runtime_error("libqrencode could not take the test text");
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeInput(input.get()),
                                                       QRcode_free);
  if (!code) throw std::runtime_error("libqrencode could not encode the test text");
  const int modules = code->width + 8;
  cv::Mat image(modules * scale, modules * scale, CV_8UC1, cv::Scalar(255));
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        image(cv::Rect((x + 4) * scale, (y + 4) * scale, scale, scale)).setTo(0);
      }
    }
  }
  return image;
}

FrameView view_of(const cv::Mat& gray) {
  return {gray.data, gray.cols, gray.rows, static_cast<int>(gray.step), FrameView::Format::gray8};
}

// `symbol` pasted into a mid-gray 1280x720 frame with its top-left at `at`.
cv::Mat in_frame(const cv::Mat& symbol, cv::Point at) {
  cv::Mat frame(720, 1280, CV_8UC1, cv::Scalar(128));
  symbol.copyTo(frame(cv::Rect(at, symbol.size())));
  return frame;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> texts(const std::vector<Decoded>& found) {
  std::vector<std::string> out;
  for (const Decoded& d : found) out.push_back(d.text);
  return out;
}

TEST(QrPipeline, ReadsSamplePhotographsThatZbarAloneMisses) {
  int images = 0, zbar_alone = 0;
  for (const char* name : testing::kSamplePhotographs) {
    const std::filesystem::path path = testing::sample_photograph(name);
    ++images;
    const auto image = load_image(path.string());
    ASSERT_TRUE(image) << path;
    const std::string expected = read_file(std::filesystem::path(path).replace_extension(".txt"));
    QrReader reader(still_image_options());  // as decode() and `kakunin verify IMAGE` read it
    const auto found = reader.read(image->view());
    ASSERT_EQ(found.size(), 1u) << name;
    // Bytes for JHC1; the Shift_JIS sample is compared by its character-set reading.
    EXPECT_TRUE(found[0].text == expected || found[0].text_utf8 == expected) << name;
    for (const Decoded& d : reader.read_with(QrDecoder::zbar, image->view())) {
      zbar_alone += d.text == expected || d.text_utf8 == expected;
    }
  }
  EXPECT_GE(images, 8);
  EXPECT_LE(zbar_alone, images - 4);  // the set holds photographs only the later passes read
}

TEST(QrPipeline, ReadsDarkModeThroughTheInvertedPass) {
  cv::Mat negative;
  cv::bitwise_not(in_frame(draw_qr(kText, 4), {300, 100}), negative);
  QrReaderOptions plain;
  plain.try_inverted = false;
  plain.wechat = QrReaderOptions::WeChat::off;  // WeChat reads some negatives by itself
  EXPECT_TRUE(QrReader(plain).read(view_of(negative)).empty());
  EXPECT_EQ(texts(QrReader().read(view_of(negative))), std::vector<std::string>{kText});
}

TEST(QrPipeline, ReadsAMirroredSymbolAndPlacesItInTheFrame) {
  cv::Mat mirrored;
  cv::flip(in_frame(draw_qr(kText, 4), {700, 100}), mirrored, 1);
  const auto found = QrReader().read(view_of(mirrored));
  ASSERT_EQ(texts(found), std::vector<std::string>{kText});
  ASSERT_EQ(found[0].corners.size(), 4u);
  for (const auto& [x, y] : found[0].corners)
    EXPECT_LT(x, 640) << "corner outside the mirrored symbol";
}

TEST(QrPipeline, ReadsASmallSymbolAtTwoPixelsAModule) {
  const auto found = QrReader().read(view_of(in_frame(draw_qr(kText, 2), {500, 300})));
  EXPECT_EQ(texts(found), std::vector<std::string>{kText});
}

TEST(QrPipeline, ReadsTurnedSymbols) {
  const cv::Mat frame = in_frame(draw_qr(kText, 4), {440, 100});
  for (const double degrees : {17.0, 45.0, 90.0, 180.0, 250.0}) {
    cv::Mat turned;
    const cv::Mat rotation = cv::getRotationMatrix2D({640, 360}, degrees, 1.0);
    cv::warpAffine(frame, turned, rotation, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(128));
    EXPECT_EQ(texts(QrReader().read(view_of(turned))), std::vector<std::string>{kText})
        << degrees << " degrees";
  }
}

TEST(QrPipeline, NeverReturnsAWrongTextFromNoisyFrames) {
  const cv::Mat clean = in_frame(draw_qr(kText, 3), {450, 150});
  std::mt19937 random(12345);
  int read = 0;
  for (int round = 0; round < 12; ++round) {
    cv::Mat noisy;
    clean.convertTo(noisy, CV_32F);
    cv::Mat noise(clean.size(), CV_32F);
    cv::theRNG().state = random();
    cv::randn(noise, 0, 40 + 8 * round);  // from readable to hopeless
    noisy += noise;
    noisy.convertTo(noisy, CV_8U);
    cv::GaussianBlur(noisy, noisy, {0, 0}, 0.5 + 0.1 * round);
    QrReaderOptions options;
    options.wechat =
        round % 2 ? QrReaderOptions::WeChat::off : QrReaderOptions::WeChat::where_located;
    for (const Decoded& d : QrReader(options).read(view_of(noisy))) {
      EXPECT_EQ(d.text, kText) << "round " << round;
      ++read;
    }
  }
  EXPECT_GT(read, 0);  // the easy rounds are read: the test does see results
  cv::Mat snow(720, 1280, CV_8UC1);
  cv::randu(snow, 0, 256);
  EXPECT_TRUE(QrReader().read(view_of(snow)).empty());
}

TEST(QrPipeline, FollowsAQrMovingAcrossTheFrame) {
  const cv::Mat symbol = draw_qr(kText, 4);
  QrReader reader;
  for (int step = 0; step < 12; ++step) {
    // Sliding right 40 px a frame, then a jump to the far corner (a second member).
    const cv::Point at =
        step < 11 ? cv::Point(60 + 40 * step, 80 + 10 * step) : cv::Point(1280 - symbol.cols, 0);
    const auto found = reader.read(view_of(in_frame(symbol, at)));
    ASSERT_EQ(texts(found), std::vector<std::string>{kText}) << "step " << step;
    ASSERT_EQ(found[0].corners.size(), 4u);
    const auto [x, y] = found[0].corners[0];
    // The top-left corner is where the symbol (past its 16 px quiet zone) is now.
    EXPECT_NEAR(x, at.x + 16, 4) << "step " << step;
    EXPECT_NEAR(y, at.y + 16, 4) << "step " << step;
  }
}

TEST(QrPipeline, EachDecoderAloneReadsACleanSymbol) {
  const cv::Mat frame = in_frame(draw_qr(kText, 4), {300, 100});
  QrReader reader;
  for (const QrDecoder decoder : {QrDecoder::zbar, QrDecoder::zxing, QrDecoder::wechat}) {
    EXPECT_EQ(texts(reader.read_with(decoder, view_of(frame))), std::vector<std::string>{kText})
        << decoder_name(decoder);
  }
}

TEST(QrPipeline, RefusesAnInvalidView) {
  EXPECT_TRUE(QrReader().read(FrameView{}).empty());
  const cv::Mat frame = in_frame(draw_qr(kText, 4), {300, 100});
  FrameView short_stride = view_of(frame);
  short_stride.stride = frame.cols - 1;
  EXPECT_TRUE(QrReader().read(short_stride).empty());
}

}  // namespace
}  // namespace kakunin::drivers
