// Decoding QR codes from frames and image files: exactly the symbol's text, from
// images this project draws and from photographs others made.
#include <kakunin/drivers/qr_decode.h>

#include <gtest/gtest.h>
#include <qrencode.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace kakunin::drivers {
namespace {

enum class Encoding {
  alphanumeric,  // one QR alphanumeric segment, as spec §1 prescribes for JHC1
  automatic,     // libqrencode's own segmenting, as a generic page library would do
  eight_bit,     // raw bytes
};

std::unique_ptr<QRcode, decltype(&QRcode_free)> encode(const std::string& text, Encoding encoding) {
  QRcode* code = nullptr;
  if (encoding == Encoding::alphanumeric) {
    std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M),
                                                            QRinput_free);
    // Fails for any character outside the alphanumeric set, so a passing test
    // really read an alphanumeric-mode symbol.
    if (input && QRinput_append(input.get(), QR_MODE_AN, static_cast<int>(text.size()),
                                reinterpret_cast<const unsigned char*>(text.data())) == 0) {
      code = QRcode_encodeInput(input.get());
    }
  } else if (encoding == Encoding::automatic) {
    code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  } else {
    code = QRcode_encodeData(static_cast<int>(text.size()),
                             reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
  }
  if (!code) throw std::runtime_error("libqrencode could not encode the test text");
  return {code, QRcode_free};
}

// The index of pixel (x, y) in rows of `width` pixels, computed in size_t.
std::size_t pixel_at(int x, int y, int width) {
  return static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
         static_cast<std::size_t>(x);
}

// A QR code drawn black on white, `scale` pixels a module, 4-module quiet zone.
Image draw_qr(const std::string& text, Encoding encoding, int scale = 4) {
  const auto code = encode(text, encoding);
  const int modules = code->width + 8;
  Image image;
  image.width = image.height = modules * scale;
  image.pixels.assign(pixel_at(0, image.height, image.width), 255);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (!(code->data[pixel_at(x, y, code->width)] & 1)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        for (int dx = 0; dx < scale; ++dx) {
          image.pixels[pixel_at((x + 4) * scale + dx, (y + 4) * scale + dy, image.width)] = 0;
        }
      }
    }
  }
  return image;
}

// Two images side by side on white (a phone and a second screen in one photo).
Image side_by_side(const Image& left, const Image& right) {
  Image both;
  both.width = left.width + right.width;
  both.height = std::max(left.height, right.height);
  both.pixels.assign(pixel_at(0, both.height, both.width), 255);
  for (int y = 0; y < both.height; ++y) {
    for (int x = 0; x < both.width; ++x) {
      const Image& from = x < left.width ? left : right;
      const int fx = x < left.width ? x : x - left.width;
      if (y < from.height) {
        both.pixels[pixel_at(x, y, both.width)] = from.pixels[pixel_at(fx, y, from.width)];
      }
    }
  }
  return both;
}

Image mirrored(const Image& image) {
  Image flipped = image;
  for (int y = 0; y < image.height; ++y) {
    const auto row =
        flipped.pixels.begin() + static_cast<std::ptrdiff_t>(pixel_at(0, y, image.width));
    std::reverse(row, row + image.width);
  }
  return flipped;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JHC1-shaped text (Base45 after the prefix) long enough for a version-10+ symbol.
const std::string kLongJhc1Text =
    "JHC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N "
    "IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/"
    "IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/"
    "HY+4J6TH48S%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*2HG%89UV-0LZ 2ZJJ524-LH/CJTK96L6SR9MU9DHGZ%P "
    "WUQRENS431T1XCNCF+47AY0-IFO0500TGPN8F5G.41Q2E4T8ALW.INSV$ 07UV5SR+BNQHNML7 /KD3TU "
    "4V*CAT3ZGLQMI/XI%ZJNSBBXK2:UG%UJMI:TU+MMPZ5$/PMX19UE:-PSR3/"
    "$NU44CBE6DQ3D7B0FBOFX0DV2DGMB$YPF62I$60/F$Z2I6IFX21XNI-LM%3/DF/"
    "U6Z9FEOJVRLVW6K$UG+BKK57:1+D10%4K83F+1VWD1NE";

TEST(QrDecoding, ReadsAJhc1TextExactlyIncludingEveryBase45Symbol) {
  // The symbols most likely to be mangled by a reader: space, % * + - . / : $.
  for (const char symbol : std::string(" %*+-./:$")) {
    ASSERT_NE(kLongJhc1Text.find(symbol), std::string::npos) << symbol;
  }
  for (const Encoding encoding : {Encoding::alphanumeric, Encoding::automatic}) {
    const auto found = decode(draw_qr(kLongJhc1Text, encoding).view());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, kLongJhc1Text);  // no trailing newline, no charset change
  }
}

TEST(QrDecoding, ReportsCornersClockwiseFromTopLeft) {
  // 4 px a module, 4 modules of quiet zone: the symbol spans 16 .. 16 + 4 * width.
  const Image image = draw_qr("JHC1:CORNERS", Encoding::alphanumeric);
  const int far = image.width - 16;
  const auto found = decode(image.view());
  ASSERT_EQ(found.size(), 1u);
  const auto& c = found[0].corners;
  ASSERT_EQ(c.size(), 4u);
  auto near = [](std::pair<int, int> p, int x, int y) {
    return std::abs(p.first - x) <= 2 && std::abs(p.second - y) <= 2;
  };
  EXPECT_TRUE(near(c[0], 16, 16)) << c[0].first << "," << c[0].second;
  EXPECT_TRUE(near(c[1], far, 16)) << c[1].first << "," << c[1].second;
  EXPECT_TRUE(near(c[2], far, far)) << c[2].first << "," << c[2].second;
  EXPECT_TRUE(near(c[3], 16, far)) << c[3].first << "," << c[3].second;
}

TEST(QrDecoding, ReadsEveryDifferentQrInAFrameAndEachOnlyOnce) {
  const Image a = draw_qr("JHC1:FIRST", Encoding::alphanumeric);
  const Image b = draw_qr("JHC1:SECOND", Encoding::alphanumeric);
  const auto two = decode(side_by_side(a, b).view());
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0].text, two[1].text);
  for (const auto& qr : two) EXPECT_TRUE(qr.text == "JHC1:FIRST" || qr.text == "JHC1:SECOND");

  const auto same = decode(side_by_side(a, a).view());
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].text, "JHC1:FIRST");
}

// A QR seen through a mirror, or drawn by a camera preview that flips the image.
TEST(QrDecoding, ReadsAMirroredQrAndLocatesItInTheFrame) {
  const Image image = mirrored(draw_qr("JHC1:MIRROR", Encoding::alphanumeric));
  DecodeOptions with_mirror;
  with_mirror.try_mirrored = true;
  for (const DecodeOptions& options : {DecodeOptions{}, with_mirror}) {
    const auto found = decode(image.view(), options);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "JHC1:MIRROR");
    // Corners are in the caller's frame: the symbol's top-left finder is now on
    // the right, its top-right on the left.
    ASSERT_EQ(found[0].corners.size(), 4u);
    EXPECT_GT(found[0].corners[0].first, image.width / 2);
    EXPECT_LT(found[0].corners[1].first, image.width / 2);
    EXPECT_LT(found[0].corners[1].second, image.height / 2);
  }
}

TEST(QrDecoding, ReadsEightBitTextWithoutConvertingIt) {
  const std::string text = "見本 太郎 https://example.jp/?a=1&b=2";
  const auto found = decode(draw_qr(text, Encoding::eight_bit).view());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, text);
}

TEST(QrDecoding, ReadsLightModulesOnADarkScreen) {
  Image image = draw_qr("JHC1:DARK MODE", Encoding::alphanumeric);
  for (auto& pixel : image.pixels) pixel = static_cast<std::uint8_t>(255 - pixel);
  // (That the inverted pass is what reads it is checked in qr_reader_test.cpp: the
  // WeChat pass in decode() reads some inverted symbols by itself.)
  ASSERT_EQ(decode(image.view()).size(), 1u);
}

TEST(QrDecoding, ReadsBgrFramesWithRowPadding) {
  const Image gray = draw_qr("JHC1:BGR", Encoding::alphanumeric);
  const int stride = gray.width * 3 + 16;
  std::vector<std::uint8_t> bgr(pixel_at(0, gray.height, stride), 0x7f);
  for (int y = 0; y < gray.height; ++y) {
    for (int x = 0; x < gray.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        bgr[pixel_at(x * 3 + c, y, stride)] = gray.pixels[pixel_at(x, y, gray.width)];
      }
    }
  }
  const FrameView frame{bgr.data(), gray.width, gray.height, stride, FrameView::Format::bgr24};
  const auto found = decode(frame);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "JHC1:BGR");
}

TEST(QrDecoding, TakesAZeroStrideAsPackedRowsAndRefusesAShortOne) {
  const Image image = draw_qr("JHC1:STRIDE", Encoding::alphanumeric);
  FrameView packed = image.view();
  packed.stride = 0;
  ASSERT_EQ(decode(packed).size(), 1u);
  FrameView too_short = image.view();
  too_short.stride = image.width - 1;
  EXPECT_TRUE(decode(too_short).empty());
}

TEST(QrDecoding, FindsNothingInABlankFrameOrAnEmptyView) {
  Image blank;
  blank.width = blank.height = 200;
  blank.pixels.assign(pixel_at(0, 200, 200), 255);
  EXPECT_TRUE(decode(blank.view()).empty());
  EXPECT_TRUE(decode(FrameView{}).empty());
}

TEST(ImageFiles, ReadsPhotographsOfOtherQrCodes) {
  const std::string dir = std::string(KAKUNIN_TEST_DATA) + "/zxing-cpp-qrcode/";
  for (const char* name : {"qrcode-2/14.png", "qrcode-3/28.webp", "qrcode-2/#199b.jpg"}) {
    std::string error;
    const auto image = load_image(dir + name, &error);
    ASSERT_TRUE(image) << error;
    const auto found = decode(image->view());
    ASSERT_EQ(found.size(), 1u) << name;
    const std::string expected =
        read_text(dir + std::filesystem::path(name).replace_extension(".txt").string());
    EXPECT_EQ(found[0].text, expected) << name;
  }
}

TEST(ImageFiles, ExplainsAMissingFileOrAFileThatIsNotAnImage) {
  std::string error;
  EXPECT_FALSE(load_image("/nonexistent/qr.png", &error));
  EXPECT_NE(error.find("cannot read image"), std::string::npos);
  const auto not_image = std::filesystem::temp_directory_path() / "kakunin-not-an-image.png";
  std::ofstream(not_image) << "this is text";
  error.clear();
  EXPECT_FALSE(load_image(not_image.string(), &error));
  EXPECT_NE(error.find("not a PNG, JPEG or WebP image"), std::string::npos) << error;
  std::filesystem::remove(not_image);
  EXPECT_FALSE(load_image(std::filesystem::temp_directory_path().string(), &error));
}

}  // namespace
}  // namespace kakunin::drivers
