// The zxing-cpp photographs the drivers' tests read (tests/data/zxing-cpp-qrcode,
// Apache License 2.0; see its LICENCE-NOTE.md), each with why it is there.
#pragma once

#include <array>
#include <filesystem>
#include <string>

namespace kakunin::testing {

inline std::filesystem::path sample_photograph(const std::string& name) {
  return std::filesystem::path(KAKUNIN_TEST_DATA) / "zxing-cpp-qrcode" / name;
}

// PNG, JPEG and WebP photographs that ZBar alone does not read but the still
// pipeline must, and three it does.
inline constexpr std::array<const char*, 8> kSamplePhotographs = {
    "qrcode-2/14.png",        "qrcode-2/#199b.jpg", "qrcode-3/28.webp",
    "qrcode-2/#1086.png",      // only whole-frame WeChat reads it
    "qrcode-2/#709.webp",      // only WeChat
    "qrcode-4/06.webp",        // only whole-frame WeChat
    "qrcode-2/qr-inv-1.webp",  // light modules on dark: the inverted pass
    "qrcode-2/21.webp",        // Shift_JIS half-width katakana: the character-set reading
};

}  // namespace kakunin::testing
