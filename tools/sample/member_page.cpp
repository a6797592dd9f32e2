#include "member_page.h"

#include "qr_png.h"

#include <kakunin/base/japan_time.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kakunin::sample {
namespace {

using crypto::UnixSeconds;

const cv::Scalar kBackground{247, 244, 242};
const cv::Scalar kHeader{110, 62, 18};
const cv::Scalar kWhite{255, 255, 255};
const cv::Scalar kInk{40, 30, 30};
const cv::Scalar kMuted{110, 100, 100};
const cv::Scalar kRed{40, 40, 200};

std::string clock_text(UnixSeconds t) { return base::hh_mm_ss(base::japan_time_at(t)); }

std::string japanese_date(const crypto::CalendarDate& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string date_with_weekday(UnixSeconds t) {
  static constexpr const char* kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};
  const base::CivilDate day = base::japan_time_at(t).date();
  return japanese_date({day.year, day.month, day.day}) + "（" + kWeekdays[base::weekday(day)] +
         "）";
}

std::string symbol_and_number(const crypto::Certificate& c) {
  return (c.symbol ? *c.symbol + "・" : std::string()) + c.number + "（枝番 " + c.branch + "）";
}

}  // namespace

UnixSeconds presentation_time(UnixSeconds opened, UnixSeconds at, int refresh_seconds) {
  if (at < opened) return at;
  return opened + (at - opened) / refresh_seconds * refresh_seconds;
}

MemberPage::MemberPage(const SampleWorld& world, const std::string& member_id,
                       crypto::Profile profile, int refresh_seconds, UnixSeconds opened, int scale,
                       TextPainter& painter)
    : world_(world),
      member_(world.member(member_id)),
      profile_(profile),
      refresh_seconds_(refresh_seconds),
      opened_(opened),
      scale_(scale),
      painter_(painter) {
  if (refresh_seconds < 1 || refresh_seconds > 300) {
    throw std::runtime_error(
        "--refresh must be 1 to 300 seconds (a presentation lives at most 300 s)");
  }
  if (scale < 1 || scale > 4) throw std::runtime_error("--scale must be 1 to 4");
}

const cv::Mat& MemberPage::render(UnixSeconds at) {
  const UnixSeconds due = presentation_time(opened_, at, refresh_seconds_);
  if (due != presented_at_) {
    qr_text_ = world_.present(member_.id, profile_, due);
    presented_at_ = due;
  }
  draw(at);
  return page_;
}

void MemberPage::draw(UnixSeconds at) {
  const int s = scale_;
  const int width = kPhoneWidth * s;
  page_ = cv::Mat(kPhoneHeight * s, width, CV_8UC3, kBackground);
  const crypto::Certificate& c = member_.certificate;

  // Header bar and the sample banner under it.
  cv::rectangle(page_, cv::Rect(0, 0, width, 64 * s), kHeader, cv::FILLED);
  painter_.draw_centred(page_, "資格確認書【web】", width / 2, 14 * s, {24 * s, true, kWhite});
  cv::rectangle(page_, cv::Rect(0, 64 * s, width, 30 * s), cv::Scalar(220, 225, 255), cv::FILLED);
  painter_.draw_centred(page_, "見本 SAMPLE — テスト用（実際の受付には使えません）", width / 2,
                        69 * s, {14 * s, true, kRed});

  // The card: who, which insurer, and the QR.
  const cv::Rect card(16 * s, 106 * s, width - 32 * s, 468 * s);
  cv::rectangle(page_, card, kWhite, cv::FILLED);
  cv::rectangle(page_, card, cv::Scalar(225, 220, 215), std::max(1, s));
  int y = card.y + 12 * s;
  y += painter_.draw_centred(page_, world_.insurer(c.insurer_number).name, width / 2, y,
                             {15 * s, false, kMuted});
  y += painter_.draw_centred(page_, c.name, width / 2, y, {26 * s, true, kInk});
  if (c.name_kana)
    painter_.draw_centred(page_, *c.name_kana, width / 2, y, {13 * s, false, kMuted});
  y += 22 * s;

  const QrModules qr = encode_qr(qr_text_);
  const int module =
      std::clamp((card.width - 24 * s) / (qr.width + 2 * kQuietZoneModules), 1, 8 * s);
  cv::Mat code;
  cv::cvtColor(render_qr(qr, module), code, cv::COLOR_GRAY2BGR);
  const cv::Rect qr_rect((width - code.cols) / 2, y + 4 * s, code.cols, code.rows);
  code.copyTo(page_(qr_rect));
  const int next = static_cast<int>(presented_at_ + refresh_seconds_ - at);
  painter_.draw_centred(page_,
                        "QRは" + std::to_string(refresh_seconds_) + "秒ごとに更新されます（あと" +
                            std::to_string(std::max(1, next)) + "秒）",
                        width / 2, card.y + card.height - 30 * s, {13 * s, false, kMuted});

  // The live clock proves the page is not a screenshot to the eye as well.
  y = card.y + card.height + 10 * s;
  y += painter_.draw_centred(page_, clock_text(at), width / 2, y, {56 * s, true, kInk});
  y += painter_.draw_centred(page_, date_with_weekday(at), width / 2, y, {16 * s, false, kMuted}) +
       6 * s;

  const int left = 28 * s;
  const TextStyle detail{15 * s, false, kInk};
  y += painter_.draw(page_, "保険者番号　" + c.insurer_number, {left, y}, detail);
  y += painter_.draw(page_, "記号・番号　" + symbol_and_number(c), {left, y}, detail);
  y += painter_.draw(page_,
                     "有効期限　　" + japanese_date(c.valid_until) +
                         (c.ratio_tenths ? "　負担 " + std::to_string(*c.ratio_tenths) + "割" : ""),
                     {left, y}, detail);
  painter_.draw(page_,
                profile_ == crypto::Profile::issuer_signed ? "保険者署名（オンライン表示）"
                                                           : "スマートフォン鍵で署名（アプリ表示）",
                {left, y}, {12 * s, false, kMuted});

  // The diagonal watermark over everything but the QR, which must stay clean to scan.
  cv::Mat text = painter_.coverage("見本 SAMPLE", {60 * s, true, kRed});
  const int diagonal = static_cast<int>(std::hypot(text.cols, text.rows)) + 2;
  cv::Mat padded = cv::Mat::zeros(diagonal, diagonal, CV_8UC1);
  text.copyTo(padded(
      cv::Rect((diagonal - text.cols) / 2, (diagonal - text.rows) / 2, text.cols, text.rows)));
  cv::Mat rotated;
  cv::warpAffine(padded, rotated,
                 cv::getRotationMatrix2D({diagonal / 2.0F, diagonal / 2.0F}, 30, 1.0),
                 padded.size());
  // Centred on the clock and details, below the card, so it crosses the page
  // without hiding behind the QR's shield.
  const cv::Point at_centre((width - diagonal) / 2, 690 * s - diagonal / 2);
  const cv::Rect shielded = (qr_rect - at_centre) & cv::Rect(0, 0, diagonal, diagonal);
  if (shielded.area() > 0) rotated(shielded).setTo(0);
  blend_coverage(page_, rotated, at_centre, kRed, 0.22);
}

}  // namespace kakunin::sample
