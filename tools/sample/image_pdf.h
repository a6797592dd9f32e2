// A one-page PDF holding one image, for printing the field-test sheet.
#pragma once

#include <opencv2/core.hpp>

#include <filesystem>

namespace kakunin::sample {

// Writes `bgr` as the only content of a one-page PDF whose page size is the
// image's size at `dpi` (A4 for the sheet). The image is embedded losslessly
// (FlateDecode RGB) so printed QR modules keep sharp edges. Throws
// std::runtime_error when the file cannot be written.
void write_image_pdf(const cv::Mat& bgr, int dpi, const std::filesystem::path& path);

}  // namespace kakunin::sample
