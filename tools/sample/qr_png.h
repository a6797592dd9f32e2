// Drawing a QR text as a PNG, as an insurer's page would draw it.
#pragma once

#include <string>

namespace kakunin::sample {

// Encodes `text` (libqrencode picks alphanumeric mode for the Base45 alphabet,
// error correction M) at `module_pixels` per module with a 4-module quiet zone.
// Throws std::runtime_error when the text does not fit or the file cannot be written.
void write_qr_png(const std::string& text, const std::string& path, int module_pixels = 6);

}  // namespace kakunin::sample
