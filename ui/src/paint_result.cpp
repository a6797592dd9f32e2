// The result cards, one look per tier (issue 11): a valid card staff copy into
// the receipt computer, and the retry / stop / terminal cards that say first
// what to do. Each tier differs in shape (its icon), in luminance (its body)
// and in words, never in hue alone: a deuteranope or a greyscale photo of the
// screen still tells a slow hand from a forgery.
#include "layout.h"
#include "painter.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::ui::detail {
namespace {

struct TierLook {
  Rgb body;
  Rgb ink;
  Rgb soft;  // the reason and the code: quieter than the headline
  Icon icon;
  Rgb icon_back;
  Rgb icon_fore;
};

// Body luminance (Rec. 709 luma): ok 230, retry 182, terminal 120, stop 74, the
// screen's background 37; the screen tests keep them apart.
TierLook look_of(VerdictTier tier) {
  switch (tier) {
    case VerdictTier::ok:
      return {kGreenBody, kInk, kGreenLabel, Icon::check, kGreenBand, kWhite};
    case VerdictTier::retry:
      return {kAmber, kAmberInk, kAmberInk, Icon::retry, kAmberInk, kAmber};
    case VerdictTier::stop:
      return {kRedBody, kWhite, kRedSoft, Icon::stop, kWhite, kRedBody};
    case VerdictTier::terminal:
      break;
  }
  return {kTerminalBody, kWhite, kTerminalSoft, Icon::kiosk_fault, kWhite, kTerminalBody};
}

// 職権交付 (cat 1: issued because no usable マイナ保険証) or 申請交付 (cat 2).
std::string category_text(crypto::IssueCategory category, Language language) {
  return std::string(ui::text(category == crypto::IssueCategory::automatic
                                  ? Text::category_automatic
                                  : Text::category_on_application,
                              language));
}

std::string ratio_text(const crypto::Certificate& c, Language language) {
  if (!c.ratio_tenths) return std::string(ui::text(Text::ratio_absent, language));
  return ui::fill(ui::text(Text::ratio_tenths, language), {std::to_string(*c.ratio_tenths)});
}

}  // namespace

int Painter::verdict_icon_side(const Rect& area) const {
  // At least a fifth of the screen's height, so the verdict reads from arm's
  // length; never more than half the card.
  return std::min(log_.height / 5 + 1, area.h / 2);
}

void Painter::draw_tier_card(VerdictTier tier, const TierWords& words, const Rect& area) {
  const TierLook look = look_of(tier);
  panel(DrawnPanel::Role::card, area, look.body);
  const Rect inner = inset(area, unit(3), unit(2.5));
  const int side = verdict_icon_side(inner);
  const std::vector<Rect> parts =
      rows(inner, {static_cast<double>(side), static_cast<double>(inner.h - side)}, unit(2));
  const Rect icon_box{parts[0].x, parts[0].y, side, side};
  icon(look.icon, icon_box, look.icon_fore, look.icon_back);
  const Rect headline{icon_box.x + side + unit(3), parts[0].y, inner.w - side - unit(3), side};
  text(words.headline, headline, {Face::bold, look.ink, look.body, Align::left, true, unit(7.5)});

  const bool note = !words.clock_note.empty();
  const std::vector<Rect> below =
      rows(parts[1], {1.5, note ? 1.2 : 0.01, 1.2, 0.55}, unit(note ? 1.2 : 0.6));
  text(words.instead, below[0], {Face::bold, look.ink, look.body, Align::left, true, unit(4.8)});
  if (note) {
    // The kiosk's own clock: set apart in a band of the screen background, so it
    // is not read as something the patient did.
    panel(DrawnPanel::Role::card_header, below[1], kBackground);
    text(words.clock_note, inset(below[1], unit(1.5), unit(0.6)),
         {Face::bold, kAmber, kBackground, Align::left, true, unit(4)});
  }
  text(words.reason, below[2], {Face::regular, look.ink, look.body, Align::left, true, unit(3.6)});
  text(words.code, below[3], {Face::regular, look.soft, look.body, Align::left, false, unit(2.8)});
}

void Painter::draw_refused(const ScreenModel& model, const Rect& area) {
  if (!model.refused) return;
  const crypto::Verdict verdict = model.refused->verdict;
  const VerdictWording w =
      verdict_wording(verdict, language_, model.has_warning(Warning::clock_unsynchronised));
  const std::string code =
      ui::fill(ui::text(Text::reason_code, language_), {crypto::verdict_name(verdict)});
  draw_tier_card(verdict_tier(verdict), {w.headline, w.instead, w.clock_note, w.reason, code},
                 area);
}

void Painter::draw_no_trust_list(const Rect& area) {
  constexpr crypto::Verdict kVerdict = crypto::Verdict::no_trust_list;
  const VerdictWording w = verdict_wording(kVerdict, language_);
  const std::string code =
      ui::fill(ui::text(Text::reason_code, language_), {crypto::verdict_name(kVerdict)});
  draw_tier_card(VerdictTier::terminal, {w.headline, w.instead, {}, w.reason, code}, area);
}

void Painter::draw_camera_offline(const Rect& area) {
  draw_tier_card(VerdictTier::terminal,
                 {ui::text(Text::camera_offline_title, language_),
                  ui::text(Text::camera_offline_detail, language_),
                  {},
                  ui::text(Text::camera_offline_meanwhile, language_),
                  {}},
                 area);
}

// The valid card, laid out for the receipt-computer entry: the verdict in a
// band down the left (icon, title, when), so the fields keep the card's whole
// height even under every warning strip; the numbers staff copy (保険者番号,
// 記号・番号・枝番) and the 負担割合 they check get the largest type, every label
// the same size. The online check's answer (paint_online.cpp) stands beside the
// verdict, on top of the fields; a national "not entitled" puts a stop across
// the card with this card, smaller, under it.
void Painter::draw_valid(const ScreenModel& model, const Rect& area) {
  if (!model.valid) return;
  const std::optional<online::OnlineStatus>& online = model.valid->online;
  if (online && online->state == online::OnlineState::not_entitled) {
    draw_not_entitled(model, area);
    return;
  }
  draw_valid_card(model, area, false);
}

void Painter::draw_valid_card(const ScreenModel& model, const Rect& area, bool compact) {
  panel(DrawnPanel::Role::card, area, kGreenBody);
  const Rect band = draw_valid_band(model, area, compact);
  Rect fields =
      inset({band.x + band.w, area.y, area.w - band.w, area.h}, unit(2.5), unit(compact ? 1 : 1.5));
  if (model.valid->online) fields = draw_online_row(model, fields);
  draw_valid_fields(*model.valid, fields, compact);
}

Rect Painter::draw_valid_band(const ScreenModel& model, const Rect& area, bool compact) {
  const crypto::VerifiedPresentation& p = model.valid->presentation;
  // Compact: a smaller check, so the stop above it is the verdict read first.
  const int side =
      compact ? std::min(verdict_icon_side(area), area.h * 8 / 25) : verdict_icon_side(area);
  const int pad = unit(2);
  const int band_w = compact ? std::max(side + 2 * pad, unit(24)) : side + 2 * pad;
  const Rect band{area.x, area.y, band_w, area.h};
  panel(DrawnPanel::Role::card_header, band, kGreenBand);
  const Rect band_inner = inset(band, pad, pad);
  icon(Icon::check, {band_inner.x, band_inner.y, side, side}, kGreenBand, kWhite);
  const Rect below_icon{band_inner.x, band_inner.y + side + unit(2), band_inner.w,
                        band_inner.h - side - unit(2)};
  const std::vector<Rect> band_rows = rows(below_icon, {1.6, 1.0, 1.0}, unit(1));
  text(ui::text(Text::valid_title, language_), band_rows[0],
       {Face::bold, kWhite, kGreenBand, Align::left, true, unit(4.8)});
  const std::string checked = ui::fill(
      ui::text(Text::checked_at, language_),
      {format_clock(model.valid->checked_at, true), format_duration(p.age_seconds, language_)});
  text(checked, band_rows[1], {Face::regular, kWhite, kGreenBand, Align::left, true, unit(3)});
  if (p.test_material) {
    text(ui::text(Text::warning_test_material, language_), band_rows[2],
         {Face::bold, kAmber, kGreenBand, Align::left, true, unit(3)});
  }
  return band;
}

void Painter::draw_valid_fields(const ValidResult& valid, const Rect& fields, bool compact) {
  const crypto::VerifiedPresentation& p = valid.presentation;
  const crypto::Certificate& c = p.certificate;
  // A ratio hint takes room under the ratio: its row grows so the ratio keeps its size.
  const crypto::CalendarDate today = crypto::CalendarDate::japan_date_at(valid.checked_at);
  const std::optional<std::string> hint =
      ratio_hint(c.birth_date, today, c.ratio_tenths, language_);
  // Compact: the names get a little more of the little height, so カナ stays legible.
  const std::vector<Rect> row = compact
                                    ? rows(fields, {1.3, 1.2, hint ? 1.5 : 1.2, 0.9}, unit(0.8))
                                    : rows(fields, {1.1, 1.3, hint ? 1.6 : 1.3, 0.8}, unit(1.2));
  const auto put = [&](const Rect& box, Text label, const std::string& value, Face face,
                       int max_pixel) {
    field(box, ui::text(label, language_), value, face, kGreenLabel, kInk, kGreenBody, max_pixel);
  };
  const std::vector<Rect> who = columns(row[0], {0.48, 0.52}, unit(2));
  const int label_h = std::min(who[0].h / 2, field_label_height());
  // What staff copy, in monospaced digits, character by character.
  const std::vector<Rect> numbers = columns(row[1], {0.3, 0.28, 0.3, 0.12}, unit(2));
  // All four in one size (the largest that fits every box): digits of one
  // height read as one number sequence, not as four of different weight.
  const std::string not_printed(ui::text(Text::not_printed, language_));
  const std::string values[4] = {c.insurer_number, c.symbol.value_or(not_printed), c.number,
                                 c.branch};
  int number_px = 0;
  for (int i = 0; i < 4; ++i) {
    const Rect& box = numbers[static_cast<std::size_t>(i)];
    const Rect value_box{box.x, box.y + label_h, box.w, box.h - label_h};
    const int fits = fitted_size(values[i], value_box, {Face::mono_bold, kInk, kGreenBody});
    number_px = i == 0 ? fits : std::min(number_px, fits);
  }
  // Smaller than the numbers, on purpose; in the compact card, whose numbers
  // shrink with its height, never larger than they are.
  const int person_px = compact ? std::min(unit(3.2), number_px) : unit(4.6);

  // Who: 氏名 (カナ under it) and 生年月日 with the age.
  text(ui::text(Text::label_name, language_), {who[0].x, who[0].y, who[0].w, label_h},
       {Face::regular, kGreenLabel, kGreenBody, Align::left, false, 0});
  const std::vector<Rect> name =
      rows({who[0].x, who[0].y + label_h, who[0].w, who[0].h - label_h}, {0.64, 0.36}, 0);
  // A long name wraps (at its space, or between phrases) before it shrinks.
  text(c.name, name[0], {Face::bold, kInk, kGreenBody, Align::left, true, person_px});
  if (c.name_kana) {
    text(*c.name_kana, name[1], {Face::regular, kInk, kGreenBody, Align::left, false, 0});
  }
  put(who[1], Text::label_birth_date,
      format_date(c.birth_date, language_) + "　" +
          ui::fill(ui::text(Text::age_years, language_),
                   {std::to_string(age_on(c.birth_date, today))}),
      Face::bold, person_px);

  // The numbers, in the one size measured above.
  put(numbers[0], Text::label_insurer, values[0], Face::mono_bold, number_px);
  put(numbers[1], Text::label_symbol, values[1], c.symbol ? Face::mono_bold : Face::regular,
      number_px);
  put(numbers[2], Text::label_number, values[2], Face::mono_bold, number_px);
  put(numbers[3], Text::label_branch, values[3], Face::mono_bold, number_px);

  // What staff check: 負担割合 with its hint right under it, 限度額適用区分 (only
  // when the certificate has one), 有効期限.
  const bool limit = c.limit_category.has_value();
  const std::vector<Rect> terms =
      limit ? columns(row[2], {0.36, 0.24, 0.4}, unit(2)) : columns(row[2], {0.5, 0.5}, unit(2));
  if (hint) {
    const std::vector<Rect> ratio = rows(terms[0], {0.66, 0.34}, 0);
    put(ratio[0], Text::label_ratio, ratio_text(c, language_), Face::bold, 0);
    text(*hint, ratio[1], {Face::regular, kHint, kGreenBody, Align::left, true, unit(2.6)});
  } else {
    put(terms[0], Text::label_ratio, ratio_text(c, language_),
        c.ratio_tenths ? Face::bold : Face::regular, c.ratio_tenths ? 0 : person_px);
  }
  if (limit) put(terms[1], Text::label_limit, *c.limit_category, Face::bold, person_px);
  put(terms[limit ? 2 : 1], Text::label_valid_until, format_date(c.valid_until, language_),
      Face::bold, person_px);

  // And the rest: 性別, 本人・家族, 交付対象者, 保険者名.
  const std::vector<Rect> rest = columns(row[3], {0.1, 0.2, 0.24, 0.46}, unit(2));
  put(rest[0], Text::label_sex, sex_text(c.sex, language_), Face::bold, person_px);
  put(rest[1], Text::label_relationship,
      std::string(ui::text(c.relationship == crypto::Relationship::insured
                               ? Text::relationship_insured
                               : Text::relationship_dependent,
                           language_)),
      Face::bold, person_px);
  put(rest[2], Text::label_category, category_text(c.category, language_), Face::bold, person_px);
  put(rest[3], Text::label_insurer_name, p.insurer_name, Face::bold, person_px);
}

}  // namespace kakunin::ui::detail
