// The printable field-test sheet: one QR per case a kiosk must handle, each
// labelled in Japanese and English with the verdict the kiosk must show.
//
// Printed codes cannot stay fresh, so the sheet is read by a kiosk in test mode
// with freshness.skip_for_printed_sheets (`kakunin verify --mode test
// --skip-freshness`); without that setting every code is refused as `stale`, and
// on a production kiosk every code that parses is refused as `test_material`.
#pragma once

#include "sample_world.h"
#include "text_painter.h"

#include <kakunin/crypto/jhc1.h>

#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kakunin::sample {

struct SheetCase {
  std::string id;  // stable machine name, e.g. "forged_signature"
  std::string title_ja;
  std::string title_en;
  // What a test-mode kiosk that skips freshness for sheets must show.
  crypto::Verdict expected = crypto::Verdict::valid;
  // What a production kiosk must show (test_material for everything that parses).
  crypto::Verdict expected_in_production = crypto::Verdict::test_material;
  std::string qr_text;
};

// Every case, made from the world's keys at `now`. Throws std::runtime_error when
// the world lacks what a case needs (a retired key, the superseded certificate).
std::vector<SheetCase> make_sheet_cases(const SampleWorld& world, crypto::UnixSeconds now);

// The last day (Japan time) on which every valid case on a sheet made at `now`
// is still valid: the earliest of the certificates' 有効期限, the holder
// credentials' exp and the signing keys' periods. Lists must be republished
// separately (`kakunin-sample publish`).
crypto::CalendarDate sheet_usable_until(const SampleWorld& world, crypto::UnixSeconds now);

struct SheetCell {
  std::string case_id;
  cv::Rect cell;  // the whole labelled cell
  cv::Rect qr;    // the QR with its quiet zone
};

struct Sheet {
  cv::Mat page;  // BGR, A4 portrait at kSheetDpi
  std::vector<SheetCell> cells;
};

inline constexpr int kSheetDpi = 300;

Sheet render_sheet(const SampleWorld& world, const std::vector<SheetCase>& cases,
                   crypto::UnixSeconds now, TextPainter& painter);

// Writes the page as PNG, or as a one-page A4 PDF when `path` ends in .pdf.
void write_sheet(const Sheet& sheet, const std::filesystem::path& path);

}  // namespace kakunin::sample
