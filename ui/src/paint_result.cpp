// The result cards: valid, refused, and the amber notices (camera, trust list).
#include "layout.h"
#include "painter.h"

#include <kakunin/base/clock_state.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kakunin::ui::detail {

Rect Painter::card_header(const Rect& card, Icon kind, std::string_view title,
                          std::string_view right, Rgb band, Rgb icon_back) {
  const int band_h = std::min(card.h * 15 / 100, unit(12));
  const Rect header{card.x, card.y, card.w, band_h};
  panel(DrawnPanel::Role::card_header, header, band);
  const Rect inner = inset(header, unit(2), band_h / 8);
  const std::vector<Rect> parts = columns(inner, {0.07, 0.43, 0.5}, unit(1.5));
  icon(kind, parts[0], band, icon_back);
  text(title, parts[1], {Face::bold, kWhite, band, Align::left, false, 0});
  text(right, inset(parts[2], 0, inner.h / 5),
       {Face::regular, kWhite, band, Align::right, false, 0});
  return header;
}

void Painter::draw_valid(const ScreenModel& model, const Rect& area) {
  if (!model.valid) return;
  const crypto::VerifiedPresentation& p = model.valid->presentation;
  const crypto::Certificate& c = p.certificate;
  const std::string checked = ui::fill(
      ui::text(Text::checked_at, language_),
      {format_clock(model.valid->checked_at, true), format_duration(p.age_seconds, language_)});
  const Rect header = card_header(area, Icon::check, ui::text(Text::valid_title, language_),
                                  checked, kGreenBand, kWhite);
  const Rect body{area.x, header.y + header.h, area.w, area.h - header.h};
  panel(DrawnPanel::Role::card, body, kGreenBody);
  const Rect inner = inset(body, unit(2.5), unit(1.2));
  const int gap = unit(1);
  const std::vector<Rect> row = rows(inner, {2.5, 1.2, 1.6, 1.2, 1.2, 0.8}, gap);
  const auto put = [&](const Rect& box, Text label, const std::string& value, Face face) {
    field(box, ui::text(label, language_), value, face, kGreenLabel, kInk, kGreenBody);
  };

  // 氏名 (large) with カナ below; 性別 and 本人・家族 beside it.
  const std::vector<Rect> top = columns(row[0], {0.7, 0.3}, unit(2));
  const int label_h = std::min(top[0].h * 2 / 5, unit(3.4));
  const std::vector<Rect> name_rows =
      rows({top[0].x, top[0].y + label_h, top[0].w, top[0].h - label_h}, {0.66, 0.34}, 0);
  const Rect name[3] = {{top[0].x, top[0].y, top[0].w, label_h}, name_rows[0], name_rows[1]};
  text(ui::text(Text::label_name, language_), name[0],
       {Face::regular, kGreenLabel, kGreenBody, Align::left, false, 0});
  text(c.name, name[1], {Face::bold, kInk, kGreenBody, Align::left, false, 0});
  if (c.name_kana) {
    text(std::string(ui::text(Text::label_kana, language_)) + "　" + *c.name_kana, name[2],
         {Face::regular, kInk, kGreenBody, Align::left, false, 0});
  }
  const std::vector<Rect> side = rows(top[1], {1, 1}, gap);
  put(side[0], Text::label_sex, sex_text(c.sex, language_), Face::bold);
  put(side[1], Text::label_relationship,
      std::string(ui::text(c.relationship == crypto::Relationship::insured
                               ? Text::relationship_insured
                               : Text::relationship_dependent,
                           language_)),
      Face::bold);

  const crypto::CalendarDate today = crypto::CalendarDate::japan_date_at(model.valid->checked_at);
  put(row[1], Text::label_birth_date,
      format_date(c.birth_date, language_) + "　" +
          ui::fill(ui::text(Text::age_years, language_),
                   {std::to_string(age_on(c.birth_date, today))}),
      Face::bold);

  // 記号・番号・枝番 in monospaced digits: staff copy them character by character.
  const std::vector<Rect> numbers = columns(row[2], {0.42, 0.42, 0.16}, unit(2));
  const std::string not_printed(ui::text(Text::not_printed, language_));
  put(numbers[0], Text::label_symbol, c.symbol.value_or(not_printed),
      c.symbol ? Face::mono_bold : Face::regular);
  put(numbers[1], Text::label_number, c.number, Face::mono_bold);
  put(numbers[2], Text::label_branch, c.branch, Face::mono_bold);

  const std::vector<Rect> insurer = columns(row[3], {0.3, 0.7}, unit(2));
  put(insurer[0], Text::label_insurer, c.insurer_number, Face::mono_bold);
  put(insurer[1], Text::label_insurer_name, p.insurer_name, Face::bold);

  const std::vector<Rect> terms = columns(row[4], {0.24, 0.5, 0.26}, unit(2));
  put(terms[0], Text::label_ratio,
      c.ratio_tenths
          ? ui::fill(ui::text(Text::ratio_tenths, language_), {std::to_string(*c.ratio_tenths)})
          : std::string(ui::text(Text::ratio_absent, language_)),
      Face::bold);
  put(terms[1], Text::label_valid_until, format_date(c.valid_until, language_), Face::bold);
  put(terms[2], Text::label_category,
      std::string(ui::text(c.category == crypto::IssueCategory::automatic
                               ? Text::category_automatic
                               : Text::category_on_application,
                           language_)),
      Face::bold);

  std::vector<std::string> notes;
  switch (model.valid->handoff) {
    case HandoffDisplay::not_sent:
      break;
    case HandoffDisplay::sending:
      notes.emplace_back(ui::text(Text::handoff_sending, language_));
      break;
    case HandoffDisplay::sent:
      notes.emplace_back(ui::text(Text::handoff_sent, language_));
      break;
    case HandoffDisplay::failed:
      notes.emplace_back(ui::text(Text::handoff_failed, language_));
      break;
  }
  if (p.test_material) notes.emplace_back(ui::text(Text::warning_test_material, language_));
  if (c.limit_category) {
    notes.push_back(std::string(ui::text(Text::label_limit, language_)) + " " + *c.limit_category);
  }
  if (auto hint = ratio_hint(c.birth_date, today, c.ratio_tenths, language_))
    notes.push_back(*hint);
  std::string joined;
  for (const std::string& note : notes) joined += (joined.empty() ? "" : "　") + note;
  text(joined, row[5], {Face::regular, kHint, kGreenBody, Align::left, true, 0});
}

void Painter::draw_refused(const ScreenModel& model, const Rect& area) {
  if (!model.refused) return;
  const crypto::Verdict verdict = model.refused->verdict;
  const Rect header = card_header(area, Icon::cross, ui::text(Text::refused_title, language_),
                                  format_clock(model.now, true), kRedBand, kWhite);
  const Rect body{area.x, header.y + header.h, area.w, area.h - header.h};
  panel(DrawnPanel::Role::card, body, kRedBody);
  const std::vector<Rect> parts = rows(inset(body, unit(3), unit(2)), {1.3, 3.2, 0.5}, unit(1.5));
  text(verdict_label(verdict, language_), parts[0],
       {Face::bold, kWhite, kRedBody, Align::left, false, 0});
  text(verdict_message(verdict, language_), parts[1],
       {Face::regular, kWhite, kRedBody, Align::left, true, unit(5.5)});
  text(ui::fill(ui::text(Text::reason_code, language_), {crypto::verdict_name(verdict)}), parts[2],
       {Face::regular, kRedSoft, kRedBody, Align::left, false, 0});
}

void Painter::draw_notice(const ScreenModel& model, std::string_view title, std::string_view detail,
                          const Rect& area) {
  (void)model;
  panel(DrawnPanel::Role::card, area, kAmber);
  const Rect inner = inset(area, unit(3), unit(3));
  const std::vector<Rect> parts = rows(inner, {1.5, 1.7, 0.8}, unit(2));
  const std::vector<Rect> head = columns(parts[0], {0.14, 0.86}, unit(2));
  icon(Icon::warning_triangle, head[0], kAmber, kAmberInk);
  // One line, shrunk if need be: a title broken mid-word reads badly.
  text(title, inset(head[1], 0, head[1].h / 6),
       {Face::bold, kAmberInk, kAmber, Align::left, false, 0});
  text(detail, parts[1], {Face::regular, kAmberInk, kAmber, Align::left, true, unit(5)});
}

}  // namespace kakunin::ui::detail
