// PNG, WebP and TIFF through Debian's libraries, set up as cv::imread sets them up
// (OpenCV 4.6's grfmt_png.cpp, grfmt_webp.cpp), so the pixels are the same.
#include "image_formats.h"

#include <png.h>
#include <tiffio.h>
#include <webp/decode.h>

#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace kakunin::drivers {

using frame::Frame;
using Format = frame::FrameView::Format;

namespace {

// ---- PNG (libpng). libpng reports errors by longjmp: the two functions that call
// setjmp hold only trivially destructible locals, so the jump skips no destructor,
// and the error text lands in a plain buffer.

struct PngSource {
  std::span<const std::uint8_t> bytes;
  std::size_t offset = 0;
  std::array<char, 160> error{};
};

void png_read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > source->bytes.size() - source->offset) png_error(png, "the file ends early");
  std::memcpy(out, source->bytes.data() + source->offset, length);
  source->offset += length;
}

[[noreturn]] void png_fail(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->error.data(), source->error.size(), "%s", message);
  png_longjmp(png, 1);
}

void png_ignore_warning(png_structp /*png*/, png_const_charp /*message*/) {}

class PngReadStruct {
 public:
  explicit PngReadStruct(PngSource& source)
      : png_(png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_fail, png_ignore_warning)) {
    if (png_ == nullptr) return;
    info_ = png_create_info_struct(png_);
    png_set_read_fn(png_, &source, png_read_from_memory);
  }
  ~PngReadStruct() { png_destroy_read_struct(&png_, &info_, nullptr); }
  PngReadStruct(const PngReadStruct&) = delete;
  PngReadStruct& operator=(const PngReadStruct&) = delete;

  bool ok() const { return png_ != nullptr && info_ != nullptr; }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

// 8 bits, alpha dropped (not blended), palette and low bit depths expanded; grey
// by libpng's own weights for gray8, BGR order for bgr24.
void png_set_imread_transforms(png_structp png, png_infop info, Format format) {
  const png_byte color_type = png_get_color_type(png, info);
  const bool colour = (color_type & PNG_COLOR_MASK_COLOR) != 0;
  if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);
  png_set_strip_alpha(png);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (!colour && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (format == Format::gray8) {
    if (colour) png_set_rgb_to_gray(png, 1, 0.299, 0.587);
  } else if (colour) {
    png_set_bgr(png);
  } else {
    png_set_gray_to_rgb(png);
  }
  png_set_interlace_handling(png);
}

bool png_read_header(const PngReadStruct& reader, png_uint_32* width, png_uint_32* height) {
  if (setjmp(png_jmpbuf(reader.png()))) return false;
  png_read_info(reader.png(), reader.info());
  *width = png_get_image_width(reader.png(), reader.info());
  *height = png_get_image_height(reader.png(), reader.info());
  return true;
}

// After the dimensions are checked: png_read_update_info allocates the row buffers.
bool png_read_layout(const PngReadStruct& reader, Format format, std::size_t* row_bytes) {
  if (setjmp(png_jmpbuf(reader.png()))) return false;
  png_set_imread_transforms(reader.png(), reader.info(), format);
  png_read_update_info(reader.png(), reader.info());
  *row_bytes = png_get_rowbytes(reader.png(), reader.info());
  return true;
}

bool png_read_rows(const PngReadStruct& reader, png_bytepp rows) {
  if (setjmp(png_jmpbuf(reader.png()))) return false;
  png_read_image(reader.png(), rows);
  png_read_end(reader.png(), nullptr);
  return true;
}

// ---- TIFF (libtiff), from memory: its I/O goes through these callbacks.

struct TiffSource {
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset = 0;
  std::array<char, 160> error{};
};

tmsize_t tiff_read(thandle_t handle, void* out, tmsize_t size) {
  auto* source = static_cast<TiffSource*>(handle);
  if (size <= 0 || source->offset >= source->bytes.size()) return 0;
  const auto count = std::min<std::uint64_t>(static_cast<std::uint64_t>(size),
                                             source->bytes.size() - source->offset);
  std::memcpy(out, source->bytes.data() + source->offset, count);
  source->offset += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t tiff_write(thandle_t /*handle*/, void* /*data*/, tmsize_t /*size*/) { return -1; }

toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
  auto* source = static_cast<TiffSource*>(handle);
  if (whence == SEEK_CUR) {
    source->offset += offset;
  } else if (whence == SEEK_END) {
    source->offset = source->bytes.size() + offset;
  } else {
    source->offset = offset;
  }
  return source->offset;
}

int tiff_close(thandle_t /*handle*/) { return 0; }
toff_t tiff_size(thandle_t handle) { return static_cast<TiffSource*>(handle)->bytes.size(); }
int tiff_map(thandle_t /*handle*/, void** /*base*/, toff_t* /*size*/) { return 0; }
void tiff_unmap(thandle_t /*handle*/, void* /*base*/, toff_t /*size*/) {}

int tiff_error(TIFF* /*tiff*/, void* user, const char* /*module*/, const char* format,
               va_list arguments) {
  auto* source = static_cast<TiffSource*>(user);
  if (source->error[0] == '\0') {
    std::vsnprintf(source->error.data(), source->error.size(), format, arguments);
  }
  return 1;  // handled: nothing is printed to stderr
}

int tiff_warning(TIFF* /*tiff*/, void* /*user*/, const char* /*module*/, const char* /*format*/,
                 va_list /*arguments*/) {
  return 1;
}

struct TiffOptionsFree {
  void operator()(TIFFOpenOptions* options) const { TIFFOpenOptionsFree(options); }
};
struct TiffClose {
  void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};

std::string tiff_reason(const TiffSource& source, const char* fallback) {
  return std::string(fallback) +
         (source.error[0] != '\0' ? std::string(": ") + source.error.data() : std::string());
}

}  // namespace

base::Result<Frame> decode_png(std::span<const std::uint8_t> bytes, Format format,
                               const ImageLimits& limits) {
  PngSource source{bytes};
  const PngReadStruct reader(source);
  if (!reader.ok()) return base::Error{"cannot start the PNG decoder"};
  png_uint_32 width = 0, height = 0;
  std::size_t row_bytes = 0;
  if (!png_read_header(reader, &width, &height)) {
    return base::Error{std::string("not a readable PNG (") + source.error.data() + ")"};
  }
  if (auto refused = check_dimensions(width, height, limits)) return *refused;
  if (!png_read_layout(reader, format, &row_bytes)) {
    return base::Error{std::string("a corrupt PNG (") + source.error.data() + ")"};
  }
  Frame frame = blank_frame(static_cast<int>(width), static_cast<int>(height), format);
  if (row_bytes != static_cast<std::size_t>(frame.stride)) {
    return base::Error{"a PNG whose pixel layout this kiosk does not read"};
  }
  std::vector<png_bytep> rows(height);
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = frame.pixels.data() + y * row_bytes;
  if (!png_read_rows(reader, rows.data())) {
    return base::Error{std::string("a corrupt PNG (") + source.error.data() + ")"};
  }
  return frame;
}

base::Result<Frame> decode_webp(std::span<const std::uint8_t> bytes, Format format,
                                const ImageLimits& limits) {
  int width = 0, height = 0;
  if (WebPGetInfo(bytes.data(), bytes.size(), &width, &height) == 0) {
    return base::Error{"not a readable WebP image"};
  }
  if (auto refused = check_dimensions(width, height, limits)) return *refused;
  Frame bgr = blank_frame(width, height, Format::bgr24);
  // An alpha channel is dropped, as imread drops it; grey comes from BGR.
  if (WebPDecodeBGRInto(bytes.data(), bytes.size(), bgr.pixels.data(), bgr.pixels.size(),
                        bgr.stride) == nullptr) {
    return base::Error{"a corrupt or animated WebP image"};
  }
  return bgr_as(std::move(bgr), format);
}

base::Result<Frame> decode_tiff(std::span<const std::uint8_t> bytes, Format format,
                                const ImageLimits& limits) {
  TiffSource source{bytes};
  const std::unique_ptr<TIFFOpenOptions, TiffOptionsFree> options(TIFFOpenOptionsAlloc());
  if (!options) return base::Error{"cannot start the TIFF decoder"};
  // libtiff's own buffers (a strip, a tile) stay within what the pixels may cost.
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), limits.max_pixels * 4);
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), tiff_error, &source);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), tiff_warning, nullptr);
  // "m": no memory mapping, every read goes through tiff_read.
  const std::unique_ptr<TIFF, TiffClose> tiff(
      TIFFClientOpenExt("image", "rm", &source, tiff_read, tiff_write, tiff_seek, tiff_close,
                        tiff_size, tiff_map, tiff_unmap, options.get()));
  if (!tiff) return base::Error{tiff_reason(source, "not a readable TIFF")};
  std::uint32_t width = 0, height = 0;
  if (TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &width) != 1 ||
      TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &height) != 1) {
    return base::Error{"a TIFF without its dimensions"};
  }
  if (auto refused = check_dimensions(width, height, limits)) return *refused;
  std::vector<std::uint32_t> rgba(static_cast<std::size_t>(width) * height);
  if (TIFFReadRGBAImageOriented(tiff.get(), width, height, rgba.data(), ORIENTATION_TOPLEFT,
                                /*stop_on_error=*/1) != 1) {
    return base::Error{tiff_reason(source, "a corrupt or unsupported TIFF")};
  }
  Frame bgr = blank_frame(static_cast<int>(width), static_cast<int>(height), Format::bgr24);
  for (std::size_t i = 0; i < rgba.size(); ++i) {
    bgr.pixels[3 * i] = static_cast<std::uint8_t>(TIFFGetB(rgba[i]));
    bgr.pixels[3 * i + 1] = static_cast<std::uint8_t>(TIFFGetG(rgba[i]));
    bgr.pixels[3 * i + 2] = static_cast<std::uint8_t>(TIFFGetR(rgba[i]));
  }
  return bgr_as(std::move(bgr), format);
}

}  // namespace kakunin::drivers
