// Every kiosk screen filled with sample data (a fictitious member, 見本 太郎),
// for docs/screens/ and the screen tests. Nothing here is real personal data.
#pragma once

#include <kakunin/frame/frame.h>
#include <kakunin/ui/screen_model.h>

#include <string>
#include <vector>

namespace kakunin::ui::samples {

// 2026-11-25 10:42:05 Japan time.
inline constexpr crypto::UnixSeconds kSampleNow = 1795570925;

struct SampleScreen {
  std::string name;  // file name stem: "valid", "refused-stale", ...
  ScreenModel model;
  bool with_preview = false;  // draw over sample_frame()
};

crypto::VerifiedPresentation sample_presentation();
ScreenModel base_model(Language language);
std::vector<SampleScreen> sample_screens(Language language);

// A 1280×720 BGR "camera frame": a grey desk with a phone showing a QR code,
// and the QR's corners in frame pixels.
frame::Frame sample_frame(std::vector<std::pair<int, int>>* qr_corners = nullptr);

}  // namespace kakunin::ui::samples
