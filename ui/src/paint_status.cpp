// The warning strips every screen carries, and the status page behind them.
#include "layout.h"
#include "painter.h"

#include <kakunin/base/clock_state.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kakunin::ui::detail {

Rect Painter::draw_warnings(const ScreenModel& model, Rect content) {
  const int margin = unit(2);
  const int strip_h = unit(5.5);
  const int gap = unit(0.8);
  int bottom = content.y + content.h - gap;
  for (auto it = model.warnings.rbegin(); it != model.warnings.rend(); ++it) {
    Text id = Text::warning_test_mode;
    switch (*it) {
      case Warning::test_mode:
        continue;  // the banner at the top says it
      case Warning::freshness_skipped:
        id = Text::warning_freshness_skipped;
        break;
      case Warning::trust_list_stale:
        id = Text::warning_trust_stale;
        break;
      case Warning::clock_unsynchronised:
        id = Text::warning_clock;
        break;
      case Warning::audit_delayed:
        id = Text::warning_audit_delayed;
        break;
      case Warning::audit_not_recording:
        id = Text::warning_audit_not_recording;
        break;
      case Warning::handoff_not_answering:
        id = Text::warning_handoff_not_answering;
        break;
    }
    const Rect strip{margin, bottom - strip_h, log_.width - 2 * margin, strip_h};
    panel(DrawnPanel::Role::warning, strip, kAmber);
    const std::vector<Rect> parts =
        columns(inset(strip, unit(1.2), unit(0.8)), {0.05, 0.95}, unit(1));
    icon(Icon::warning_triangle, parts[0], kAmber, kAmberInk);
    text(ui::text(id, language_), parts[1], {Face::bold, kAmberInk, kAmber, Align::left, false, 0});
    bottom = strip.y - gap;
  }
  content.h = std::max(0, bottom - content.y);
  return content;
}

void Painter::draw_status(const ScreenModel& model, const Rect& area) {
  panel(DrawnPanel::Role::card, area, kSlate);
  const Rect inner = inset(area, unit(3), unit(2));
  const StatusInfo& s = model.status;
  const auto list_line = [&](const std::optional<ListInfo>& list) {
    if (!list) return std::string(ui::text(Text::status_list_missing, language_));
    return ui::fill(
        ui::text(Text::status_list_line, language_),
        {std::to_string(list->sequence), format_duration(model.now - list->issued_at, language_),
         japan_datetime(list->next_update)});
  };
  const std::string camera = camera_text(model, 1, language_);
  const Text clock = base::clock_warns(s.clock)        ? Text::clock_unsynchronised
                     : s.clock == base::ClockState::ok ? Text::clock_synchronised
                                                       : Text::clock_unknown;
  std::string counts;
  for (int i = crypto::kVerdictCount - 1; i >= 0; --i) {  // valid first, then refusals
    const int n = model.counts[static_cast<std::size_t>(i)];
    if (n == 0) continue;
    if (!counts.empty()) counts += language_ == Language::japanese ? "・" : " · ";
    counts += std::string(verdict_label(static_cast<crypto::Verdict>(i), language_)) + " " +
              std::to_string(n);
  }
  if (counts.empty()) counts = ui::text(Text::status_counts_none, language_);

  const HealthInfo& h = s.health;
  std::string audit;
  switch (h.recording) {
    case RecordingDisplay::recording:
      audit = ui::text(Text::recording_ok, language_);
      break;
    case RecordingDisplay::delayed:
      audit =
          ui::fill(ui::text(Text::recording_delayed, language_), {std::to_string(h.rows_waiting)});
      break;
    case RecordingDisplay::not_recording:
      audit = ui::text(Text::recording_not, language_);
      break;
  }
  const std::string separator = language_ == Language::japanese ? "・" : " · ";
  if (h.disk_low) audit += separator + std::string(ui::text(Text::recording_disk_low, language_));
  std::string handoff;
  if (!h.handoff_enabled) {
    handoff = ui::text(Text::handoff_off, language_);
  } else {
    handoff = h.handoff_pending == 0 ? std::string(ui::text(Text::handoff_idle, language_))
                                     : ui::fill(ui::text(Text::handoff_pending, language_),
                                                {std::to_string(h.handoff_pending)});
    if (h.handoff_not_answering)
      handoff += separator + std::string(ui::text(Text::handoff_share_stuck, language_));
    if (h.handoff_quarantined > 0) {
      handoff += separator + ui::fill(ui::text(Text::handoff_quarantined, language_),
                                      {std::to_string(h.handoff_quarantined)});
    }
  }

  const std::vector<std::pair<Text, std::string>> lines{
      {Text::status_version, s.version},
      {Text::status_kiosk_id, s.kiosk_id},
      {Text::status_mode,
       std::string(ui::text(model.test_mode ? Text::mode_test : Text::mode_production, language_))},
      {Text::status_trust_list,
       s.held_list_rolled_back
           ? list_line(s.trust_list) + (language_ == Language::japanese ? "／" : " / ") +
                 std::string(ui::text(Text::status_held_rollback, language_))
           : list_line(s.trust_list)},
      {Text::status_revocations, list_line(s.revocations)},
      {Text::status_clock, std::string(ui::text(clock, language_))},
      {Text::status_camera, camera},
      {Text::status_audit, audit},
      {Text::status_handoff, handoff},
      {Text::status_counts, counts},
  };
  const std::vector<Rect> parts = rows(inner, {1.3, 8.6}, unit(1.5));
  text(ui::text(Text::status_title, language_), parts[0],
       {Face::bold, kWhite, kSlate, Align::left, false, 0});
  const std::vector<Rect> line_rects = rows(parts[1], {1, 1, 1, 1, 1, 1, 1, 1, 1, 1.6}, unit(0.5));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<Rect> cells = columns(line_rects[i], {0.25, 0.75}, unit(2));
    text(ui::text(lines[i].first, language_), cells[0],
         {Face::regular, kDim, kSlate, Align::left, false, unit(4)});
    text(lines[i].second, cells[1], {Face::bold, kWhite, kSlate, Align::left, true, unit(4)});
  }
}

}  // namespace kakunin::ui::detail
