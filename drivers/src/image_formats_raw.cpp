// BMP and binary PGM/PPM, read here: each is a short header and uncompressed rows,
// so a library would add a dependency for twenty lines. Every offset is checked
// against the buffer before it is read.
#include "image_formats.h"

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace kakunin::drivers {

using frame::Frame;
using Format = frame::FrameView::Format;

namespace {

std::uint32_t le32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | static_cast<std::uint32_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[at + 2]) << 16 |
         static_cast<std::uint32_t>(bytes[at + 3]) << 24;
}
std::uint16_t le16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | bytes[at + 1] << 8);
}

struct BmpHeader {
  std::int64_t width = 0;
  std::int64_t height = 0;  // positive; top_down says the row order
  bool top_down = false;
  int bits = 0;
  std::size_t pixel_offset = 0;
  std::size_t row_bytes = 0;
  std::vector<std::array<std::uint8_t, 3>> palette;  // BGR
};

constexpr std::size_t kBmpFileHeader = 14;
constexpr std::uint32_t kBiRgb = 0;
constexpr std::uint32_t kBiBitfields = 3;

// 32-bit BI_BITFIELDS is read only with the usual masks (X8R8G8B8), which is what
// every writer but a few RGB565 ones produce.
bool bmp_bitfields_are_plain(std::span<const std::uint8_t> bytes) {
  const std::size_t masks = kBmpFileHeader + 40;
  if (bytes.size() < masks + 12) return false;  // BITMAPINFOHEADER: the masks follow it
  return le32(bytes, masks) == 0x00ff0000 && le32(bytes, masks + 4) == 0x0000ff00 &&
         le32(bytes, masks + 8) == 0x000000ff;
}

base::Result<BmpHeader> read_bmp_header(std::span<const std::uint8_t> bytes,
                                        const ImageLimits& limits) {
  if (bytes.size() < kBmpFileHeader + 40) return base::Error{"a truncated BMP header"};
  const std::uint32_t info_size = le32(bytes, 14);
  if (info_size < 40)
    return base::Error{"a BMP with an OS/2 header, which this kiosk does not read"};
  BmpHeader header;
  header.pixel_offset = le32(bytes, 10);
  header.width = static_cast<std::int32_t>(le32(bytes, 18));
  const std::int64_t height = static_cast<std::int32_t>(le32(bytes, 22));
  header.top_down = height < 0;
  header.height = std::abs(height);
  header.bits = le16(bytes, 28);
  const std::uint32_t compression = le32(bytes, 30);
  if (auto refused = check_dimensions(header.width, header.height, limits)) return *refused;
  const bool plain = compression == kBiRgb || (compression == kBiBitfields && header.bits == 32 &&
                                               bmp_bitfields_are_plain(bytes));
  if (!plain || (header.bits != 1 && header.bits != 4 && header.bits != 8 && header.bits != 24 &&
                 header.bits != 32)) {
    return base::Error{"a BMP of " + std::to_string(header.bits) + " bits with compression " +
                       std::to_string(compression) + ", which this kiosk does not read"};
  }
  header.row_bytes = static_cast<std::size_t>((header.width * header.bits + 31) / 32 * 4);
  if (header.pixel_offset > bytes.size() ||
      (bytes.size() - header.pixel_offset) / header.row_bytes <
          static_cast<std::size_t>(header.height)) {
    return base::Error{"a truncated BMP"};
  }
  if (header.bits <= 8) {
    const std::uint32_t declared = le32(bytes, 46);
    const std::size_t colours = declared == 0 ? 1u << header.bits : declared;
    const std::size_t at = kBmpFileHeader + info_size;
    if (colours > (1u << header.bits) || at > bytes.size() || (bytes.size() - at) / 4 < colours) {
      return base::Error{"a BMP with a broken palette"};
    }
    for (std::size_t i = 0; i < colours; ++i) {
      header.palette.push_back({bytes[at + 4 * i], bytes[at + 4 * i + 1], bytes[at + 4 * i + 2]});
    }
    header.palette.resize(1u << header.bits, {0, 0, 0});  // indices past the palette: black
  }
  return header;
}

void bmp_row_to_bgr(const BmpHeader& header, const std::uint8_t* from, std::uint8_t* to) {
  for (std::int64_t x = 0; x < header.width; ++x, to += 3) {
    if (header.bits >= 24) {
      const std::uint8_t* pixel = from + x * (header.bits / 8);
      to[0] = pixel[0], to[1] = pixel[1], to[2] = pixel[2];
      continue;
    }
    const std::int64_t bit = x * header.bits;
    const int shift = 8 - header.bits - static_cast<int>(bit % 8);
    const unsigned index = (from[bit / 8] >> shift) & ((1u << header.bits) - 1);
    const auto& colour = header.palette[index];
    to[0] = colour[0], to[1] = colour[1], to[2] = colour[2];
  }
}

// The P5/P6 header: magic, width, height, maxval, separated by white space and
// '#' comments, then one white-space byte before the samples.
struct PnmHeader {
  int channels = 0;
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::int64_t maxval = 0;
  std::size_t data_offset = 0;
};

bool pnm_number(std::span<const std::uint8_t> bytes, std::size_t& at, std::int64_t& value) {
  while (at < bytes.size()) {
    if (bytes[at] == '#') {
      while (at < bytes.size() && bytes[at] != '\n') ++at;
    } else if (std::isspace(bytes[at]) != 0) {
      ++at;
    } else {
      break;
    }
  }
  if (at >= bytes.size() || std::isdigit(bytes[at]) == 0) return false;
  value = 0;
  for (; at < bytes.size() && std::isdigit(bytes[at]) != 0; ++at) {
    value = value * 10 + (bytes[at] - '0');
    if (value > 1'000'000) return false;
  }
  return true;
}

base::Result<PnmHeader> read_pnm_header(std::span<const std::uint8_t> bytes,
                                        const ImageLimits& limits) {
  PnmHeader header;
  header.channels = bytes[1] == '5' ? 1 : 3;
  std::size_t at = 2;
  if (!pnm_number(bytes, at, header.width) || !pnm_number(bytes, at, header.height) ||
      !pnm_number(bytes, at, header.maxval) || at >= bytes.size() || std::isspace(bytes[at]) == 0) {
    return base::Error{"a broken PGM/PPM header"};
  }
  if (auto refused = check_dimensions(header.width, header.height, limits)) return *refused;
  if (header.maxval < 1 || header.maxval > 65535) return base::Error{"a PGM/PPM with a bad maxval"};
  header.data_offset = at + 1;
  const std::size_t sample_bytes = header.maxval > 255 ? 2 : 1;
  const auto needed =
      static_cast<std::size_t>(header.width * header.height * header.channels) * sample_bytes;
  if (bytes.size() - header.data_offset < needed) return base::Error{"a truncated PGM/PPM"};
  return header;
}

}  // namespace

base::Result<Frame> decode_bmp(std::span<const std::uint8_t> bytes, Format format,
                               const ImageLimits& limits) {
  auto header = read_bmp_header(bytes, limits);
  if (!header.ok()) return header.error();
  const BmpHeader& bmp = header.value();
  Frame bgr = blank_frame(static_cast<int>(bmp.width), static_cast<int>(bmp.height), Format::bgr24);
  for (std::int64_t y = 0; y < bmp.height; ++y) {
    const std::int64_t stored = bmp.top_down ? y : bmp.height - 1 - y;
    bmp_row_to_bgr(bmp, bytes.data() + bmp.pixel_offset + stored * bmp.row_bytes,
                   bgr.pixels.data() + y * bgr.stride);
  }
  return bgr_as(std::move(bgr), format);
}

base::Result<Frame> decode_pnm(std::span<const std::uint8_t> bytes, Format format,
                               const ImageLimits& limits) {
  auto header = read_pnm_header(bytes, limits);
  if (!header.ok()) return header.error();
  const PnmHeader& pnm = header.value();
  const bool wide = pnm.maxval > 255;
  const std::uint8_t* samples = bytes.data() + pnm.data_offset;
  auto sample = [&](std::size_t index) -> std::uint8_t {
    const std::int64_t value =
        wide ? samples[2 * index] << 8 | samples[2 * index + 1] : samples[index];
    return static_cast<std::uint8_t>(std::min<std::int64_t>(255, value * 255 / pnm.maxval));
  };
  Frame bgr = blank_frame(static_cast<int>(pnm.width), static_cast<int>(pnm.height), Format::bgr24);
  const auto pixels = static_cast<std::size_t>(pnm.width * pnm.height);
  for (std::size_t i = 0; i < pixels; ++i) {
    std::uint8_t* to = bgr.pixels.data() + 3 * i;
    if (pnm.channels == 1) {
      to[0] = to[1] = to[2] = sample(i);
    } else {  // PPM is RGB
      to[0] = sample(3 * i + 2), to[1] = sample(3 * i + 1), to[2] = sample(3 * i);
    }
  }
  return bgr_as(std::move(bgr), format);
}

}  // namespace kakunin::drivers
