// The warning strips every screen carries, and the status page behind them.
//
// Both name the fact, as measured where it happens (the clock check, the sync
// round, the capture source, the audit log, the hand-off): 「時計が+47秒ずれています」,
// not only 「管理者に連絡」. The status page gives each row a mark (✓ 正常, ⚠ 注意,
// ✗ 異常: shape and word, so it reads without colour), its name and the fact.
#include "layout.h"
#include "painter.h"

#include <kakunin/base/clock_state.h>
#include <kakunin/base/utf8.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::ui::detail {
namespace {

// The marks' own colours on the slate page: each also has its shape and word.
constexpr Rgb kOkGreen{0x43, 0xA0, 0x47};
constexpr Rgb kFaultRed{0xE5, 0x39, 0x35};

enum class Mark { none, ok, warning, fault };

struct StatusRow {
  Mark mark = Mark::none;
  std::string name;
  std::string fact;
};

// The words of the status page's rows and of the strips, from the model's facts.
class Facts {
 public:
  Facts(const ScreenModel& model, Language language) : model_(model), language_(language) {}

  std::vector<StatusRow> rows() const {
    std::vector<StatusRow> out = {kiosk(),
                                  mode(),
                                  list(Text::status_trust_list, status().trust_list),
                                  list(Text::status_revocations, status().revocations),
                                  sync(),
                                  clock(),
                                  capture(),
                                  audit(),
                                  handoff()};
    if (status().health.online_enabled) out.push_back(online_check());
    out.push_back(counts());
    return out;
  }

  // The strip's words for `warning`, empty for one without a strip.
  std::string strip(Warning warning) const {
    switch (warning) {
      case Warning::test_mode:
        return {};  // the banner at the top says it
      case Warning::freshness_skipped:
        return said(Text::warning_freshness_skipped);
      case Warning::trust_list_stale:
        return trust_stale_strip();
      case Warning::clock_unsynchronised:
        return clock_strip();
      case Warning::audit_delayed:
        return fill(said(Text::warning_audit_delayed_rows),
                    {std::to_string(status().health.rows_waiting)});
      case Warning::audit_not_recording:
        return said(status().health.disk_low ? Text::warning_audit_disk_full
                                             : Text::warning_audit_not_recording);
      case Warning::handoff_not_answering:
        return handoff_strip();
    }
    return {};
  }

 private:
  const StatusInfo& status() const { return model_.status; }
  std::string said(Text id) const { return std::string(text(id, language_)); }
  std::string joined(const std::vector<std::string>& parts) const {
    std::string out;
    for (const std::string& part : parts) {
      if (part.empty()) continue;
      if (!out.empty()) out += language_ == Language::japanese ? "・" : " · ";
      out += part;
    }
    return out;
  }
  // An English reason as logged, cut short enough for its row: in the middle,
  // since a logged line says what and from where first and the cause last
  // ("trust list download from https://… failed, …: HTTP status 503").
  static std::string clipped(std::string_view reason) {
    constexpr std::size_t kHead = 30;
    constexpr std::size_t kTail = 60;
    const std::u32string chars = base::decode_utf8_lossy(reason);
    if (chars.size() <= kHead + kTail) return std::string(reason);
    return base::encode_utf8(chars.substr(0, kHead) + U"…" + chars.substr(chars.size() - kTail));
  }
  static std::string signed_seconds(std::int64_t seconds) {
    return (seconds > 0 ? "+" : "") + std::to_string(seconds);
  }

  StatusRow kiosk() const {
    return {Mark::none, said(Text::status_kiosk_id),
            fill(said(Text::status_kiosk_line), {status().kiosk_id, status().version})};
  }

  StatusRow mode() const {
    if (!model_.test_mode) return {Mark::ok, said(Text::status_mode), said(Text::mode_production)};
    return {Mark::warning, said(Text::status_mode),
            joined({said(Text::mode_test), model_.has_warning(Warning::freshness_skipped)
                                               ? said(Text::mode_freshness_skipped)
                                               : std::string()})};
  }

  StatusRow list(Text name, const std::optional<ListInfo>& info) const {
    const bool trust = name == Text::status_trust_list;
    const bool rolled_back = trust && status().held_list_rolled_back;
    const std::string held_back = rolled_back ? said(Text::status_held_rollback) : std::string();
    if (!info)
      return {Mark::fault, said(name), joined({said(Text::status_list_missing), held_back})};
    const Mark mark = model_.now > info->verification_stops           ? Mark::fault
                      : model_.now > info->next_update || rolled_back ? Mark::warning
                                                                      : Mark::ok;
    return {mark, said(name),
            joined({fill(said(Text::status_list_line),
                         {std::to_string(info->sequence),
                          format_duration(model_.now - info->issued_at, language_),
                          japan_datetime(info->next_update)}),
                    fill(said(Text::status_list_stops), {japan_datetime(info->verification_stops)}),
                    held_back})};
  }

  std::string sync_result(SyncResult result) const {
    switch (result) {
      case SyncResult::updated:
        return said(Text::sync_updated);
      case SyncResult::unchanged:
        return said(Text::sync_unchanged);
      case SyncResult::refused:
        return said(Text::sync_refused);
      case SyncResult::failed:
        return said(Text::sync_failed);
      case SyncResult::not_configured:
        break;
    }
    return said(Text::sync_no_url);
  }

  StatusRow sync() const {
    const SyncFacts& s = status().facts.sync;
    const std::string name = said(Text::status_sync);
    if (!s.configured) return {Mark::none, name, said(Text::sync_not_configured)};
    if (!s.last_round) return {Mark::warning, name, said(Text::sync_no_round_yet)};
    const auto went_wrong = [](SyncResult r) {
      return r == SyncResult::failed || r == SyncResult::refused;
    };
    // The held lists stay in use after a failed round: their own rows say when
    // that ends, so a failed round is a warning, not a fault.
    const bool wrong = went_wrong(s.trust_list) || went_wrong(s.revocations);
    return {wrong ? Mark::warning : Mark::ok, name,
            joined({japan_datetime(*s.last_round),
                    said(Text::status_trust_list) + " " + sync_result(s.trust_list),
                    said(Text::status_revocations) + " " + sync_result(s.revocations),
                    s.error.empty() ? std::string()
                                    : fill(said(Text::sync_error), {clipped(s.error)})})};
  }

  StatusRow clock() const {
    const ClockFacts& c = status().facts.clock;
    const base::ClockState state = status().clock;
    const Mark mark = base::clock_warns(state)        ? Mark::fault
                      : state == base::ClockState::ok ? Mark::ok
                                                      : Mark::warning;
    const Text word = base::clock_warns(state)        ? Text::clock_unsynchronised
                      : state == base::ClockState::ok ? Text::clock_synchronised
                                                      : Text::clock_unknown;
    const std::string offset = c.offset_seconds
                                   ? fill(said(Text::clock_offset_from),
                                          {c.offset_source, signed_seconds(*c.offset_seconds)})
                                   : said(Text::clock_offset_not_measured);
    std::string ntp;
    if (c.kernel_synchronised) {
      ntp = said(*c.kernel_synchronised ? Text::clock_ntp_synchronised
                                        : Text::clock_ntp_not_synchronised);
    }
    return {mark, said(Text::status_clock), joined({said(word), offset, ntp})};
  }

  StatusRow capture() const {
    const bool scanner = status().facts.capture == CaptureKind::scanner;
    const frame::SourceState state = model_.camera;
    const Mark mark = state == frame::SourceState::running ? Mark::ok
                      : frame::shows_as_offline(state)     ? Mark::fault
                                                           : Mark::warning;
    std::string fact = camera_text(model_, 1, language_);
    if (state != frame::SourceState::running && !status().facts.capture_reason.empty()) {
      fact = joined(
          {fact, fill(said(Text::capture_reason), {clipped(status().facts.capture_reason)})});
    }
    return {mark, said(scanner ? Text::status_scanner : Text::status_camera), fact};
  }

  StatusRow audit() const {
    const HealthInfo& h = status().health;
    Mark mark = Mark::ok;
    std::string fact;
    switch (h.recording) {
      case RecordingDisplay::recording:
        mark = h.disk_low ? Mark::warning : Mark::ok;
        fact = said(Text::recording_ok);
        break;
      case RecordingDisplay::delayed:
        mark = Mark::warning;
        fact = fill(said(Text::recording_delayed), {std::to_string(h.rows_waiting)});
        break;
      case RecordingDisplay::not_recording:
        mark = Mark::fault;
        fact = said(Text::recording_not);
        break;
    }
    return {mark, said(Text::status_audit),
            joined({fact, h.disk_low ? said(Text::recording_disk_low) : std::string()})};
  }

  StatusRow handoff() const {
    const HealthInfo& h = status().health;
    const std::string name = said(Text::status_handoff);
    if (!h.handoff_enabled) return {Mark::none, name, said(Text::handoff_off)};
    const Mark mark = h.handoff_not_answering                                      ? Mark::fault
                      : !h.handoff_last_error.empty() || h.handoff_quarantined > 0 ? Mark::warning
                                                                                   : Mark::ok;
    std::string stuck;
    if (h.handoff_not_answering) {
      stuck = h.handoff_stuck_channel.empty()
                  ? said(Text::handoff_share_stuck)
                  : fill(said(Text::handoff_channel_stuck), {h.handoff_stuck_channel});
    }
    return {
        mark, name,
        joined({h.handoff_pending == 0
                    ? said(Text::handoff_idle)
                    : fill(said(Text::handoff_pending), {std::to_string(h.handoff_pending)}),
                h.handoff_last_sent
                    ? fill(said(Text::handoff_last_sent), {japan_datetime(*h.handoff_last_sent)})
                    : said(Text::handoff_never_sent),
                stuck,
                h.handoff_quarantined > 0
                    ? fill(said(Text::handoff_quarantined), {std::to_string(h.handoff_quarantined)})
                    : std::string(),
                h.handoff_last_error.empty()
                    ? std::string()
                    : fill(said(Text::handoff_last_error), {clipped(h.handoff_last_error)})})};
  }

  // Only while the online check is on (rows()): a kiosk without one shows no row.
  StatusRow online_check() const {
    const HealthInfo& h = status().health;
    const std::string name = said(Text::status_online);
    const bool trouble =
        h.online_timed_out > 0 || h.online_refused_files > 0 || h.online_write_failures > 0;
    const auto count = [this](Text text, std::uint64_t n) {
      return n == 0 ? std::string() : fill(said(text), {std::to_string(n)});
    };
    return {trouble ? Mark::warning : Mark::ok, name,
            joined({fill(said(Text::online_counts),
                         {std::to_string(h.online_asked), std::to_string(h.online_answered)}),
                    h.online_last_answer ? fill(said(Text::online_last_answer),
                                                {japan_datetime(*h.online_last_answer)})
                                         : std::string(),
                    count(Text::online_timeouts, h.online_timed_out),
                    count(Text::online_refused_files, h.online_refused_files),
                    count(Text::online_write_failures, h.online_write_failures)})};
  }

  StatusRow counts() const {
    std::vector<std::string> parts;
    for (int i = crypto::kVerdictCount - 1; i >= 0; --i) {  // valid first, then refusals
      const int n = model_.counts[static_cast<std::size_t>(i)];
      if (n == 0) continue;
      parts.push_back(std::string(verdict_label(static_cast<crypto::Verdict>(i), language_)) + " " +
                      std::to_string(n));
    }
    const std::string fact = parts.empty() ? said(Text::status_counts_none) : joined(parts);
    return {Mark::none, said(Text::status_counts), fact};
  }

  // Names the list past its next_update whose grace runs out first, and when.
  std::string trust_stale_strip() const {
    const ListInfo* first = nullptr;
    Text name = Text::status_trust_list;
    for (const auto& [id, info] : {std::pair{Text::status_trust_list, &status().trust_list},
                                   std::pair{Text::status_revocations, &status().revocations}}) {
      if (!*info || model_.now <= (*info)->next_update) continue;
      if (!first || (*info)->verification_stops < first->verification_stops) {
        first = &**info;
        name = id;
      }
    }
    if (!first) return said(Text::warning_trust_stale);
    return fill(said(Text::warning_trust_stale_until),
                {said(name), japan_datetime(first->verification_stops)});
  }

  // The measured offset when that is what is wrong, else the kernel's NTP state.
  std::string clock_strip() const {
    const ClockFacts& c = status().facts.clock;
    if (status().clock == base::ClockState::offset_too_large && c.offset_seconds) {
      return fill(said(Text::warning_clock_offset), {signed_seconds(*c.offset_seconds)});
    }
    if (status().clock == base::ClockState::not_synchronised && c.kernel_synchronised == false) {
      return said(Text::warning_clock_ntp);
    }
    return said(Text::warning_clock);
  }

  std::string handoff_strip() const {
    const HealthInfo& h = status().health;
    if (h.handoff_stuck_channel.empty()) return said(Text::warning_handoff_not_answering);
    return fill(said(Text::warning_handoff_channel_stuck),
                {h.handoff_stuck_channel, std::to_string(h.handoff_pending)});
  }

  const ScreenModel& model_;
  Language language_;
};

}  // namespace

Rect Painter::draw_warnings(const ScreenModel& model, Rect content) {
  // The status page shows every fact behind the strips in its own rows, with
  // room for all of them at once.
  if (model.screen == ScreenKind::status) return content;
  const Facts facts(model, language_);
  const int margin = unit(2);
  const int strip_h = unit(5.5);
  const int gap = unit(0.8);
  int bottom = content.y + content.h - gap;
  for (auto it = model.warnings.rbegin(); it != model.warnings.rend(); ++it) {
    const std::string words = facts.strip(*it);
    if (words.empty()) continue;
    const Rect strip{margin, bottom - strip_h, log_.width - 2 * margin, strip_h};
    panel(DrawnPanel::Role::warning, strip, kAmber);
    const std::vector<Rect> parts =
        columns(inset(strip, unit(1.2), unit(0.8)), {0.05, 0.95}, unit(1));
    icon(Icon::warning_triangle, parts[0], kAmber, kAmberInk);
    text(words, parts[1], {Face::bold, kAmberInk, kAmber, Align::left, false, 0});
    bottom = strip.y - gap;
  }
  content.h = std::max(0, bottom - content.y);
  return content;
}

void Painter::draw_status(const ScreenModel& model, const Rect& area) {
  panel(DrawnPanel::Role::card, area, kSlate);
  const Rect inner = inset(area, unit(2.5), unit(1.5));
  const std::vector<StatusRow> lines = Facts(model, language_).rows();
  const std::vector<Rect> parts = rows(inner, {1, 10}, unit(1));
  text(ui::text(Text::status_title, language_), parts[0],
       {Face::bold, kWhite, kSlate, Align::left, false, 0});
  // Ten rows, or eleven with the online check's: every fact on the page, none cut.
  const std::vector<Rect> line_rects =
      equal_rows(parts[1], std::max<std::size_t>(10, lines.size()), unit(0.4));
  for (std::size_t i = 0; i < lines.size() && i < line_rects.size(); ++i) {
    const StatusRow& row = lines[i];
    const std::vector<Rect> cells = columns(line_rects[i], {0.035, 0.09, 0.16, 0.715}, unit(1));
    switch (row.mark) {
      case Mark::none:
        break;
      case Mark::ok:
        icon(Icon::check, inset(cells[0], 0, unit(0.4)), kWhite, kOkGreen);
        break;
      case Mark::warning:
        icon(Icon::warning_triangle, inset(cells[0], 0, unit(0.4)), kAmberInk, kAmber);
        break;
      case Mark::fault:
        icon(Icon::stop, inset(cells[0], 0, unit(0.4)), kWhite, kFaultRed);
        break;
    }
    if (row.mark != Mark::none) {
      const Text word = row.mark == Mark::ok        ? Text::status_mark_ok
                        : row.mark == Mark::warning ? Text::status_mark_warning
                                                    : Text::status_mark_fault;
      text(ui::text(word, language_), cells[1],
           {Face::bold, kWhite, kSlate, Align::left, false, unit(2.6)});
    }
    text(row.name, cells[2], {Face::regular, kDim, kSlate, Align::left, true, unit(2.6)});
    text(row.fact, cells[3], {Face::bold, kWhite, kSlate, Align::left, true, unit(2.6)});
  }
}

}  // namespace kakunin::ui::detail
