// QR decoding of single images: the same pipeline the camera path uses
// (qr_reader.h), and image files read into grayscale (image_file.h).
#include <kakunin/drivers/qr_decode.h>
#include <kakunin/drivers/qr_reader.h>

#include "image_file.h"

#include <filesystem>

namespace kakunin::drivers {

std::vector<Decoded> decode(const FrameView& frame, const DecodeOptions& options) {
  // The camera's pipeline, less the region that follows a moving QR (one image
  // has no last frame), and with WeChat's reader on the whole image: a still
  // image has one chance, and no next frame is waiting. A reader per call keeps
  // decode() free of shared state, so any thread may call it at once.
  QrReaderOptions reader_options = still_image_options();
  reader_options.try_inverted = options.try_inverted;
  reader_options.try_mirrored = options.try_mirrored;
  return QrReader(reader_options).read(frame);
}

std::optional<Image> load_image(const std::string& path, std::string* error) {
  std::error_code no_throw;
  if (!std::filesystem::is_regular_file(path, no_throw)) {
    if (error) *error = "cannot read image " + path + " (no such file)";
    return std::nullopt;
  }
  auto gray = read_image_file(path, FrameView::Format::gray8);
  if (!gray.ok()) {
    if (error) *error = gray.error().message;
    return std::nullopt;
  }
  Image image;
  image.width = gray.value().width;
  image.height = gray.value().height;
  image.pixels = std::move(gray.value().pixels);  // gray8 rows are packed: stride == width
  return image;
}

}  // namespace kakunin::drivers
