#include "layout.h"

#include <kakunin/base/japan_time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>

namespace kakunin::ui::detail {

Rect inset(const Rect& r, int dx, int dy) {
  return {r.x + dx, r.y + dy, std::max(0, r.w - 2 * dx), std::max(0, r.h - 2 * dy)};
}

std::vector<Rect> split(const Rect& r, std::span<const double> weights, int gap, bool horizontal) {
  double total = 0;
  for (double w : weights) total += w;
  const int count = static_cast<int>(weights.size());
  const int length = (horizontal ? r.w : r.h) - gap * (count - 1);
  std::vector<Rect> parts;
  double offset = 0;
  for (double w : weights) {
    const int start = static_cast<int>(std::lround(offset));
    offset += length * w / total;
    const int end = static_cast<int>(std::lround(offset));
    const int index = static_cast<int>(parts.size());
    if (horizontal) {
      parts.push_back({r.x + start + index * gap, r.y, end - start, r.h});
    } else {
      parts.push_back({r.x, r.y + start + index * gap, r.w, end - start});
    }
  }
  return parts;
}

std::vector<Rect> rows(const Rect& r, std::initializer_list<double> weights, int gap) {
  return split(r, std::span<const double>(weights.begin(), weights.size()), gap, false);
}

std::vector<Rect> equal_rows(const Rect& r, std::size_t count, int gap) {
  const std::vector<double> weights(count, 1.0);
  return split(r, weights, gap, false);
}

std::vector<Rect> columns(const Rect& r, std::initializer_list<double> weights, int gap) {
  return split(r, std::span<const double>(weights.begin(), weights.size()), gap, true);
}

SDL_Color sdl(Rgb c) { return {c.r, c.g, c.b, 255}; }

Rgb mix(Rgb from, Rgb to, double amount) {
  const double t = std::clamp(amount, 0.0, 1.0);
  const auto channel = [t](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + (b - a) * t));
  };
  return {channel(from.r, to.r), channel(from.g, to.g), channel(from.b, to.b)};
}

std::string japan_datetime(crypto::UnixSeconds instant) {
  const base::CivilTime time = base::japan_time_at(instant);
  return base::iso_date(time.date()) + " " + base::hh_mm(time);
}

std::string sex_text(crypto::Sex sex, Language language) {
  switch (sex) {
    case crypto::Sex::male:
      return std::string(ui::text(Text::sex_male, language));
    case crypto::Sex::female:
      return std::string(ui::text(Text::sex_female, language));
    case crypto::Sex::not_printed:
      break;
  }
  return std::string(ui::text(Text::sex_not_printed, language));
}

std::string camera_text(const ScreenModel& model, int decimals, Language language) {
  if (frame::shows_as_offline(model.camera))
    return std::string(ui::text(Text::camera_offline, language));
  if (model.camera == frame::SourceState::starting)
    return std::string(ui::text(Text::camera_starting, language));
  if (model.status.facts.capture == CaptureKind::scanner)  // a scanner has no frame rate
    return std::string(ui::text(Text::scanner_running, language));
  char fps[16];
  std::snprintf(fps, sizeof fps, "%.*f", decimals, model.camera_fps);
  return ui::fill(ui::text(Text::camera_running, language), {fps});
}

}  // namespace kakunin::ui::detail
