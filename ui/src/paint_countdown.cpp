// The strip under a result: a draining bar and the seconds left before the
// result clears, or 固定中 and the pin's ceiling while staff hold it.
#include "layout.h"
#include "painter.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace kakunin::ui::detail {
namespace {

// Whole seconds, rounded up: "1" until the very end, never "0" on screen.
std::int64_t seconds_left(std::chrono::milliseconds remaining) {
  return std::chrono::ceil<std::chrono::seconds>(remaining).count();
}

// 4:59 — minutes and seconds, for the pin's ceiling.
std::string minutes_and_seconds(std::int64_t seconds) {
  char out[24];
  std::snprintf(out, sizeof out, "%lld:%02lld", static_cast<long long>(seconds / 60),
                static_cast<long long>(seconds % 60));
  return out;
}

}  // namespace

Rect Painter::draw_countdown(const ScreenModel& model, Rect content) {
  const bool result = model.screen == ScreenKind::valid || model.screen == ScreenKind::refused;
  if (!result || !model.countdown) return content;
  const Countdown& countdown = *model.countdown;
  // A thin strip at the bottom of the content, under the card it belongs to.
  const int strip_h = unit(4.5);
  const Rect strip{content.x, content.y + content.h - strip_h, content.w, strip_h};
  content.h = std::max(0, content.h - strip_h - unit(1));
  panel(DrawnPanel::Role::countdown, strip, kSlate);
  const Rect inner = inset(strip, unit(1.5), unit(0.6));
  const std::int64_t seconds = seconds_left(countdown.remaining);

  if (countdown.pinned) {
    const std::vector<Rect> parts = columns(inner, {0.3, 0.7}, unit(2));
    text(ui::text(Text::countdown_pinned, language_), parts[0],
         {Face::bold, kAmber, kSlate, Align::left, false, 0});
    text(fill(ui::text(Text::countdown_ceiling, language_), {minutes_and_seconds(seconds)}),
         parts[1], {Face::regular, kWhite, kSlate, Align::right, false, 0});
    return content;
  }

  const std::vector<Rect> parts = columns(inner, {0.68, 0.32}, unit(2));
  const Rect track = inset(parts[0], 0, parts[0].h / 4);
  fill_rect(track, kBackground);
  const auto total = countdown.total.count();
  const auto left = std::clamp<std::int64_t>(countdown.remaining.count(), 0, total);
  const int bar_w = total > 0 ? static_cast<int>(track.w * left / total) : 0;
  panel(DrawnPanel::Role::countdown_bar, {track.x, track.y, bar_w, track.h}, kDim);
  text(fill(ui::text(Text::countdown_seconds, language_), {std::to_string(seconds)}), parts[1],
       {Face::bold, kWhite, kSlate, Align::right, false, 0});
  return content;
}

}  // namespace kakunin::ui::detail
