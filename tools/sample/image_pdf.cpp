// Written by hand because the whole document is one page with one image: five
// objects and a cross-reference table (PDF 1.4, ISO 32000-1 §7.5). Debian's PDF
// writers (cairo, podofo, qpdf, libharu) would add a dependency, and a font and
// layout engine this file does not need, for those hundred bytes of structure.
#include "image_pdf.h"

#include <zlib.h>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace kakunin::sample {
namespace {

std::string deflate(const cv::Mat& rgb) {
  const uLong raw_size = static_cast<uLong>(rgb.total() * rgb.elemSize());
  uLongf size = compressBound(raw_size);
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, rgb.data, raw_size,
                Z_BEST_COMPRESSION) != Z_OK) {
    throw std::runtime_error("cannot compress the page image");
  }
  out.resize(size);
  return out;
}

std::string points(double pixels, int dpi) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", pixels * 72.0 / dpi);
  return text;
}

}  // namespace

void write_image_pdf(const cv::Mat& bgr, int dpi, const std::filesystem::path& path) {
  if (bgr.type() != CV_8UC3 || bgr.empty() || dpi <= 0)
    throw std::runtime_error("no page image to write");
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  if (!rgb.isContinuous()) rgb = rgb.clone();
  const std::string image = deflate(rgb);
  const std::string width = points(rgb.cols, dpi);
  const std::string height = points(rgb.rows, dpi);
  const std::string content = "q " + width + " 0 0 " + height + " 0 0 cm /Page Do Q\n";

  std::ostringstream pdf;
  std::vector<std::streamoff> offsets;
  const auto object = [&](const std::string& body) {
    offsets.push_back(pdf.tellp());
    pdf << offsets.size() << " 0 obj\n" << body << "\nendobj\n";
  };
  // The binary comment line marks the file as binary for transfer tools.
  pdf << "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + width + " " + height +
         "] /Resources << /XObject << /Page 4 0 R >> >> /Contents 5 0 R >>");
  object("<< /Type /XObject /Subtype /Image /Width " + std::to_string(rgb.cols) + " /Height " +
         std::to_string(rgb.rows) +
         " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length " +
         std::to_string(image.size()) + " >>\nstream\n" + image + "\nendstream");
  object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream");
  const std::streamoff xref = pdf.tellp();
  pdf << "xref\n0 " << offsets.size() + 1 << "\n0000000000 65535 f \n";
  for (const auto offset : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010lld 00000 n \n", static_cast<long long>(offset));
    pdf << entry;
  }
  pdf << "trailer\n<< /Size " << offsets.size() + 1 << " /Root 1 0 R >>\nstartxref\n"
      << xref << "\n%%EOF\n";

  std::ofstream out(path, std::ios::binary);
  const std::string bytes = pdf.str();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace kakunin::sample
