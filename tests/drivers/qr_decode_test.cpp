// Decoding QR codes from frames and image files: exactly the symbol's text, from
// images this project draws and from photographs others made.
#include <kakunin/drivers/qr_decode.h>

#include <gtest/gtest.h>
#include <qrencode.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace kakunin::drivers {
namespace {

// A QR code drawn black on white, `scale` pixels a module, 4-module quiet zone.
// Alphanumeric: libqrencode picks alphanumeric mode for the QR alphanumeric set,
// as an insurer's page would; otherwise the bytes are forced into 8-bit mode.
Image draw_qr(const std::string& text, bool alphanumeric, int scale = 4) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      alphanumeric ? QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1)
                   : QRcode_encodeData(static_cast<int>(text.size()),
                                       reinterpret_cast<const unsigned char*>(text.data()), 0,
                                       QR_ECLEVEL_M),
      QRcode_free);
  if (!code) throw std::runtime_error("libqrencode could not encode the test text");
  const int modules = code->width + 8;
  Image image;
  image.width = image.height = modules * scale;
  image.pixels.assign(static_cast<std::size_t>(image.width * image.height), 255);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (!(code->data[y * code->width + x] & 1)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        for (int dx = 0; dx < scale; ++dx) {
          image.pixels[static_cast<std::size_t>(((y + 4) * scale + dy) * image.width + (x + 4) * scale + dx)] = 0;
        }
      }
    }
  }
  return image;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(QrDecoding, ReadsAJhc1TextExactlyIncludingEveryBase45Symbol) {
  const std::string text = "JHC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/HY+4J6TH48S%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*2HG%89UV-0LZ 2ZJJ524-LH/CJTK96L6SR9MU9DHGZ%P WUQRENS431T1XCNCF+47AY0-IFO0500TGPN8F5G.41Q2E4T8ALW.INSV$ 07UV5SR+BNQHNML7 /KD3TU 4V*CAT3ZGLQMI/XI%ZJNSBBXK2:UG%UJMI:TU+MMPZ5$/PMX19UE:-PSR3/$NU44CBE6DQ3D7B0FBOFX0DV2DGMB$YPF62I$60/F$Z2I6IFX21XNI-LM%3/DF/U6Z9FEOJVRLVW6K$UG+BKK57:1+D10%4K83F+1VWD1NE";
  const Image image = draw_qr(text, true);
  const auto found = decode(image.view());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, text);
  EXPECT_EQ(found[0].corners.size(), 4u);
}

TEST(QrDecoding, ReadsEightBitTextWithoutConvertingIt) {
  const std::string text = "見本 太郎 https://example.jp/?a=1&b=2";
  const auto found = decode(draw_qr(text, false).view());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, text);
}

TEST(QrDecoding, ReadsLightModulesOnADarkScreen) {
  Image image = draw_qr("JHC1:DARK MODE", true);
  for (auto& pixel : image.pixels) pixel = static_cast<std::uint8_t>(255 - pixel);
  ASSERT_EQ(decode(image.view()).size(), 1u);
  DecodeOptions no_inversion;
  no_inversion.try_inverted = false;
  EXPECT_TRUE(decode(image.view(), no_inversion).empty());
}

TEST(QrDecoding, ReadsBgrFramesWithRowPadding) {
  const Image gray = draw_qr("JHC1:BGR", true);
  const int stride = gray.width * 3 + 16;
  std::vector<std::uint8_t> bgr(static_cast<std::size_t>(stride * gray.height), 0x7f);
  for (int y = 0; y < gray.height; ++y) {
    for (int x = 0; x < gray.width; ++x) {
      for (int c = 0; c < 3; ++c) bgr[static_cast<std::size_t>(y * stride + x * 3 + c)] = gray.pixels[static_cast<std::size_t>(y * gray.width + x)];
    }
  }
  const FrameView frame{bgr.data(), gray.width, gray.height, stride, FrameView::Format::bgr24};
  const auto found = decode(frame);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "JHC1:BGR");
}

TEST(QrDecoding, FindsNothingInABlankFrameOrAnEmptyView) {
  Image blank;
  blank.width = blank.height = 200;
  blank.pixels.assign(200 * 200, 255);
  EXPECT_TRUE(decode(blank.view()).empty());
  EXPECT_TRUE(decode(FrameView{}).empty());
}

TEST(ImageFiles, ReadsPhotographsOfOtherQrCodes) {
  const std::string dir = std::string(KAKUNIN_TEST_DATA) + "/zxing-cpp-qrcode/";
  for (const char* name : {"qrcode-2-14.png", "qrcode-3-28.webp", "qrcode-2-199b.jpg"}) {
    std::string error;
    const auto image = load_image(dir + name, &error);
    ASSERT_TRUE(image) << error;
    const auto found = decode(image->view());
    ASSERT_EQ(found.size(), 1u) << name;
    const std::string expected = read_text(dir + std::filesystem::path(name).replace_extension(".txt").string());
    EXPECT_EQ(found[0].text, expected) << name;
  }
}

TEST(ImageFiles, ExplainsAMissingFileOrAFileThatIsNotAnImage) {
  std::string error;
  EXPECT_FALSE(load_image("/nonexistent/qr.png", &error));
  EXPECT_NE(error.find("cannot read image"), std::string::npos);
  const auto not_image = std::filesystem::temp_directory_path() / "kakunin-not-an-image.png";
  std::ofstream(not_image) << "this is text";
  EXPECT_FALSE(load_image(not_image.string(), &error));
  std::filesystem::remove(not_image);
}

}  // namespace
}  // namespace kakunin::drivers
