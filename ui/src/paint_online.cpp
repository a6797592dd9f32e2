// The オンライン資格確認 on the valid card (kakunin/online/status.h), beside the
// offline verdict and never over it: a row at the top of the fields for
// pending, confirmed, mismatch and unavailable; for a national "not entitled" a
// red stop across the card, with the offline card, smaller, framed in it. Each
// state has its own icon and its own luminance (Rec. 709 luma: pending 255,
// mismatch 182, unavailable 144, confirmed 97, not entitled 47), so a greyscale
// photo or a deuteranope still tells "confirmed" from "not entitled".
#include "layout.h"
#include "painter.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kakunin::ui::detail {
namespace {

using online::OnlineState;

struct OnlineLook {
  Rgb back;
  Rgb ink;
  Icon icon;
  Rgb icon_fore;
  Rgb icon_back;
};

OnlineLook look_of(OnlineState state) {
  switch (state) {
    case OnlineState::pending:
      return {kWhite, kSlate, Icon::spinner, kSlate, kWhite};
    case OnlineState::confirmed:  // the verdict band's own green: it agrees
      return {kGreenBand, kWhite, Icon::check, kGreenBand, kWhite};
    case OnlineState::mismatch:
      return {kAmber, kAmberInk, Icon::warning_triangle, kAmber, kAmberInk};
    case OnlineState::not_entitled:
      return {kRedBand, kWhite, Icon::stop, kRedBand, kWhite};
    case OnlineState::unavailable:
      break;
  }
  return {kOnlineGrey, kInk, Icon::info, kOnlineGrey, kInk};
}

// A mismatch gets at most this many lines for its differences
// (online_difference_lines): the fields staff copy keep their room.
constexpr std::size_t kDifferenceLines = 3;

// The spinner turns one dot per countdown step (100 ms): the model changes, and
// the screen is drawn again, that often while a result is shown, so the mark
// moves without a timer of its own (once a second while pinned). Clockwise as
// the time left goes down; still when there is no countdown.
int spinner_phase(const ScreenModel& model) {
  if (!model.countdown) return 0;
  const auto steps = std::max<std::int64_t>(0, model.countdown->remaining / kCountdownStep);
  return static_cast<int>((kSpinnerDots - steps % kSpinnerDots) % kSpinnerDots);
}

}  // namespace

int Painter::online_row_height(const ValidResult& valid) const {
  const online::OnlineStatus& status = *valid.online;
  switch (status.state) {
    case OnlineState::pending:
    case OnlineState::confirmed:
      return unit(6.4);
    case OnlineState::unavailable:  // what happened, then that the verdict stands
      return unit(9.6);
    case OnlineState::mismatch: {
      const std::size_t lines = std::min(kDifferenceLines, status.differences.size());
      return unit(1.6 + 4.4 + 3.9 * static_cast<double>(lines) + 7.4);
    }
    case OnlineState::not_entitled:
      break;  // not a row: draw_not_entitled()
  }
  return 0;
}

Rect Painter::draw_online_row(const ScreenModel& model, const Rect& fields) {
  const ValidResult& valid = *model.valid;
  const int height = std::min(online_row_height(valid), fields.h / 2);
  if (height <= 0) return fields;
  const OnlineLook look = look_of(valid.online->state);
  const Rect row{fields.x, fields.y, fields.w, height};
  panel(DrawnPanel::Role::online, row, look.back);
  const Rect inner = inset(row, unit(1.5), unit(0.8));
  const int side = std::min(inner.h, unit(4.8));
  const Rect mark{inner.x, inner.y + (std::min(inner.h, unit(6)) - side) / 2, side, side};
  icon(look.icon, mark, look.icon_fore, look.icon_back, spinner_phase(model));
  const Rect words{mark.x + side + unit(1.5), inner.y,
                   inner.x + inner.w - mark.x - side - unit(1.5), inner.h};
  const OnlineWording w = online_wording(*valid.online, language_);
  switch (valid.online->state) {
    case OnlineState::mismatch:
      draw_online_mismatch(valid, words);
      break;
    case OnlineState::unavailable: {
      const std::vector<Rect> parts = rows(words, {0.52, 0.48}, 0);
      text(w.headline, parts[0], {Face::bold, look.ink, look.back, Align::left, false, unit(3.4)});
      text(w.action, parts[1], {Face::regular, look.ink, look.back, Align::left, false, unit(3)});
      break;
    }
    case OnlineState::pending:
    case OnlineState::confirmed:
    case OnlineState::not_entitled:
      text(w.headline, words, {Face::bold, look.ink, look.back, Align::left, false, unit(3.6)});
      break;
  }
  const int gap = unit(1.2);
  return {fields.x, fields.y + height + gap, fields.w, std::max(0, fields.h - height - gap)};
}

// Which field differs, the national value first (the one to enter), then what
// to do: staff at a busy counter read the first words and act.
void Painter::draw_online_mismatch(const ValidResult& valid, const Rect& inner) {
  const OnlineLook look = look_of(OnlineState::mismatch);
  const OnlineWording w = online_wording(*valid.online, language_);
  const std::vector<std::string> lines = online_difference_lines(
      *valid.online, valid.presentation.certificate, language_, kDifferenceLines);
  const double n = static_cast<double>(lines.size());
  const int headline_h = unit(4.4);
  const int action_h = unit(7.4);
  const Rect headline{inner.x, inner.y, inner.w, headline_h};
  text(w.headline, headline, {Face::bold, look.ink, look.back, Align::left, false, unit(3.4)});
  const int lines_h = std::max(0, inner.h - headline_h - action_h);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int y0 = inner.y + headline_h + static_cast<int>(lines_h * static_cast<double>(i) / n);
    const int y1 =
        inner.y + headline_h + static_cast<int>(lines_h * static_cast<double>(i + 1) / n);
    text(lines[i], {inner.x, y0, inner.w, y1 - y0},
         {Face::bold, look.ink, look.back, Align::left, true, unit(3.2)});
  }
  const Rect action{inner.x, inner.y + inner.h - action_h, inner.w, action_h};
  text(w.action, action, {Face::regular, look.ink, look.back, Align::left, true, unit(2.8)});
}

// The national system says this person has no such qualification: a stop that
// cannot be missed, red over the whole card, above the offline card (which
// stays, smaller: the certificate is genuine, the qualification is not).
void Painter::draw_not_entitled(const ScreenModel& model, const Rect& area) {
  const OnlineLook look = look_of(OnlineState::not_entitled);
  const OnlineWording w = online_wording(*model.valid->online, language_);
  panel(DrawnPanel::Role::online_stop, area, look.back);
  const int pad = unit(2);
  const int side =
      std::max(0, std::min(verdict_icon_side(area), static_cast<int>(area.h * 0.42) - 2 * pad));
  const int band_h = std::max(side + 2 * pad, static_cast<int>(area.h * 0.42));
  const Rect band = inset({area.x, area.y, area.w, band_h}, unit(3), pad);
  icon(look.icon, {band.x, band.y + (band.h - side) / 2, side, side}, look.icon_fore,
       look.icon_back);
  const Rect words{band.x + side + unit(3), band.y, band.w - side - unit(3), band.h};
  const std::vector<Rect> parts = rows(words, {1.35, 1.0, 1.65}, unit(0.6));
  text(w.headline, parts[0], {Face::bold, look.ink, look.back, Align::left, true, unit(6.2)});
  text(w.reason, parts[1], {Face::bold, look.ink, look.back, Align::left, true, unit(4.4)});
  text(w.action, parts[2], {Face::bold, look.ink, look.back, Align::left, true, unit(3.4)});

  const int frame = unit(1);
  const Rect offline{area.x + frame, area.y + band_h, area.w - 2 * frame,
                     std::max(0, area.h - band_h - frame)};
  draw_valid_card(model, offline, true);
}

}  // namespace kakunin::ui::detail
