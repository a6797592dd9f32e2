// The member's certificate page (資格確認書【web】) as a phone shows it: header,
// name, insurer, 保険者番号, a live clock with seconds, a diagonal 見本 SAMPLE
// watermark and a QR that is signed anew every refresh period. Drawn into an
// OpenCV image so the same pixels go to a live SDL2 window, to PNG frames for
// tests, and to nothing else.
#pragma once

#include "sample_world.h"
#include "text_painter.h"

#include <kakunin/crypto/jhc1.h>

#include <opencv2/core.hpp>

#include <string>

namespace kakunin::sample {

inline constexpr int kPhoneWidth = 390;  // logical points, portrait
inline constexpr int kPhoneHeight = 844;

// When the QR on a page opened at `opened` was made, as seen at `at`: the page
// signs a new presentation every `refresh_seconds`.
crypto::UnixSeconds presentation_time(crypto::UnixSeconds opened, crypto::UnixSeconds at,
                                      int refresh_seconds);

class MemberPage {
 public:
  // Throws std::runtime_error for an unknown member or a refresh period that is
  // not 1..300 s (a §5.1 presentation lives at most 300 s).
  MemberPage(const SampleWorld& world, const std::string& member_id, crypto::Profile profile,
             int refresh_seconds, crypto::UnixSeconds opened, int scale, TextPainter& painter);

  // The page at `at` (BGR, kPhoneWidth*scale by kPhoneHeight*scale). A new
  // presentation is signed when the refresh period has rolled over.
  const cv::Mat& render(crypto::UnixSeconds at);

  const std::string& qr_text() const { return qr_text_; }
  crypto::UnixSeconds presented_at() const { return presented_at_; }

 private:
  void draw(crypto::UnixSeconds at);

  const SampleWorld& world_;
  const SampleMember& member_;
  crypto::Profile profile_;
  int refresh_seconds_;
  crypto::UnixSeconds opened_;
  int scale_;
  TextPainter& painter_;
  std::string qr_text_;
  crypto::UnixSeconds presented_at_ = -1;
  cv::Mat page_;
};

}  // namespace kakunin::sample
