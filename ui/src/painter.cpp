#include "painter.h"

#include <kakunin/base/japan_time.h>
#include <kakunin/base/utf8.h>
#include <kakunin/ui/line_break.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kakunin::ui::detail {
namespace {

// Colours: a dark room-friendly background; saturated green / red / amber for
// results and warnings, always with an icon and words beside them.
constexpr Rgb kBackground{0x1F, 0x26, 0x2E};
constexpr Rgb kWhite{0xFF, 0xFF, 0xFF};
constexpr Rgb kDim{0xB0, 0xBE, 0xC5};
constexpr Rgb kGreenBand{0x1B, 0x7A, 0x34};
constexpr Rgb kGreenBody{0xD0, 0xEF, 0xD4};
constexpr Rgb kGreenLabel{0x2E, 0x5E, 0x37};
constexpr Rgb kInk{0x10, 0x1A, 0x12};
constexpr Rgb kHint{0x6D, 0x4C, 0x00};
constexpr Rgb kRedBand{0x9A, 0x12, 0x12};
constexpr Rgb kRedBody{0xC6, 0x28, 0x28};
constexpr Rgb kRedSoft{0xFF, 0xD7, 0xD7};
constexpr Rgb kAmber{0xFF, 0xB3, 0x00};
constexpr Rgb kAmberInk{0x2A, 0x1C, 0x00};
constexpr Rgb kSlate{0x2B, 0x37, 0x3E};
constexpr Rgb kButton{0x45, 0x5A, 0x64};
constexpr Rgb kSendButton{0x15, 0x65, 0xC0};
constexpr Rgb kPreviewBack{0x00, 0x00, 0x00};
constexpr Rgb kOutline{0x4C, 0xE0, 0x6A};

constexpr int kMinTextPixels = 10;

Rect inset(const Rect& r, int dx, int dy) {
  return {r.x + dx, r.y + dy, std::max(0, r.w - 2 * dx), std::max(0, r.h - 2 * dy)};
}

std::vector<Rect> split(const Rect& r, std::initializer_list<double> weights, int gap,
                        bool horizontal) {
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
  return split(r, weights, gap, false);
}

std::vector<Rect> columns(const Rect& r, std::initializer_list<double> weights, int gap) {
  return split(r, weights, gap, true);
}

SDL_Color sdl(Rgb c) { return {c.r, c.g, c.b, 255}; }

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

// 「動作中 30 fps」, 「未接続」 or 「カメラを起動しています」, the rate to `decimals` places.
std::string camera_text(const ScreenModel& model, int decimals, Language language) {
  if (frame::shows_as_offline(model.camera))
    return std::string(ui::text(Text::camera_offline, language));
  if (model.camera == frame::SourceState::starting)
    return std::string(ui::text(Text::camera_starting, language));
  char fps[16];
  std::snprintf(fps, sizeof fps, "%.*f", decimals, model.camera_fps);
  return ui::fill(ui::text(Text::camera_running, language), {fps});
}

}  // namespace

Painter::~Painter() {
  if (preview_texture_) SDL_DestroyTexture(preview_texture_);
}

int Painter::unit(double percent_of_height) const {
  return static_cast<int>(std::lround(log_.height * percent_of_height / 100.0));
}

void Painter::fill_rect(const Rect& rect, Rgb colour) {
  SDL_SetRenderDrawColor(renderer_, colour.r, colour.g, colour.b, 255);
  const SDL_Rect r{rect.x, rect.y, rect.w, rect.h};
  SDL_RenderFillRect(renderer_, &r);
}

void Painter::panel(DrawnPanel::Role role, const Rect& rect, Rgb colour) {
  fill_rect(rect, colour);
  log_.panels.push_back({role, rect, colour});
}

namespace {

// One cache key per text, box size and style: where the box sits does not change
// the pixels.
std::string text_key(const std::string& utf8, const Rect& box, int face, Rgb colour, int align,
                     bool wrap, int max_pixel) {
  std::string key = utf8;
  key.push_back('\0');
  for (const int value :
       {box.w, box.h, face, static_cast<int>(colour.r), static_cast<int>(colour.g),
        static_cast<int>(colour.b), align, wrap ? 1 : 0, max_pixel}) {
    key += std::to_string(value);
    key.push_back(',');
  }
  return key;
}

}  // namespace

const Painter::RenderedText& Painter::rendered_text(const std::string& utf8, const Rect& box,
                                                    const Style& style) {
  const std::string key = text_key(utf8, box, static_cast<int>(style.face), style.colour,
                                   static_cast<int>(style.align), style.wrap, style.max_pixel);
  auto found = texts_.find(key);
  if (found == texts_.end()) found = texts_.emplace(key, lay_out(utf8, box, style)).first;
  found->second.last_paint = paint_number_;
  return found->second;
}

Painter::RenderedText Painter::lay_out(const std::string& utf8, const Rect& box,
                                       const Style& style) {
  RenderedText out;
  int size = style.max_pixel > 0 ? std::min(style.max_pixel, box.h) : box.h;
  size = std::max(size, kMinTextPixels);
  TTF_Font* font = nullptr;
  for (;;) {
    font = fonts_.at(style.face, size);
    out.lines =
        style.wrap ? break_lines(utf8, box.w,
                                 [font](const std::string& line) { return text_width(font, line); })
                   : std::vector<std::string>{utf8};
    int widest = 0;
    for (const std::string& line : out.lines) widest = std::max(widest, text_width(font, line));
    out.line_height = TTF_FontHeight(font);
    const int total = out.line_height * static_cast<int>(out.lines.size());
    if (widest <= box.w && total <= box.h) break;
    if (size <= kMinTextPixels) {
      out.at_minimum = true;
      break;
    }
    size = std::max(kMinTextPixels, static_cast<int>(size * 0.9));
  }
  out.size = size;

  for (char32_t c : base::decode_utf8_lossy(utf8)) {
    if (c == U' ' || c == U'\n' || fonts_.has_glyph(style.face, c)) continue;
    if (std::find(out.missing_glyphs.begin(), out.missing_glyphs.end(), c) ==
        out.missing_glyphs.end()) {
      out.missing_glyphs.push_back(c);
    }
  }

  for (const std::string& line : out.lines) {
    RenderedLine rendered;
    if (!line.empty()) {
      if (SDL_Surface* surface = TTF_RenderUTF8_Blended(font, line.c_str(), sdl(style.colour))) {
        rendered.texture.reset(SDL_CreateTextureFromSurface(renderer_, surface));
        rendered.w = surface->w;
        rendered.h = surface->h;
        SDL_FreeSurface(surface);
      }
    }
    out.rendered.push_back(std::move(rendered));
  }
  return out;
}

// Texts not drawn in the last paint are gone from the screen: their textures go
// too, so the cache holds what two consecutive screens show, never a day's worth.
void Painter::forget_unused_texts() {
  std::erase_if(texts_,
                [this](const auto& entry) { return entry.second.last_paint + 1 < paint_number_; });
}

void Painter::text(std::string_view content, const Rect& box, const Style& style) {
  if (content.empty() || box.w <= 0 || box.h <= 0) return;
  const std::string utf8(content);
  const RenderedText& laid = rendered_text(utf8, box, style);
  for (char32_t c : laid.missing_glyphs) {
    if (std::find(log_.missing_glyphs.begin(), log_.missing_glyphs.end(), c) ==
        log_.missing_glyphs.end()) {
      log_.missing_glyphs.push_back(c);
    }
  }

  const SDL_Rect clip{box.x, box.y, box.w, box.h};
  SDL_RenderSetClipRect(renderer_, &clip);
  const int total = laid.line_height * static_cast<int>(laid.lines.size());
  int y = box.y + std::max(0, (box.h - total) / 2);
  Rect drawn{};
  bool any = false;
  for (const RenderedLine& line : laid.rendered) {
    if (line.w > 0) {
      int x = box.x;
      if (style.align == Align::centre) x = box.x + (box.w - line.w) / 2;
      if (style.align == Align::right) x = box.x + box.w - line.w;
      x = std::max(x, box.x);
      const SDL_Rect dst{x, y, line.w, line.h};
      if (line.texture) SDL_RenderCopy(renderer_, line.texture.get(), nullptr, &dst);
      SDL_Rect visible;
      if (SDL_IntersectRect(&dst, &clip, &visible)) {
        const Rect v{visible.x, visible.y, visible.w, visible.h};
        if (!any) {
          drawn = v;
          any = true;
        } else {
          const int x1 = std::max(drawn.x + drawn.w, v.x + v.w);
          const int y1 = std::max(drawn.y + drawn.h, v.y + v.h);
          drawn.x = std::min(drawn.x, v.x);
          drawn.y = std::min(drawn.y, v.y);
          drawn.w = x1 - drawn.x;
          drawn.h = y1 - drawn.y;
        }
      }
    }
    y += laid.line_height;
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
  log_.texts.push_back({utf8, box, drawn, style.colour, style.background, style.face, laid.lines,
                        laid.size, laid.at_minimum});
}

void Painter::field(const Rect& box, std::string_view label, std::string_view value,
                    Face value_face, Rgb label_colour, Rgb value_colour, Rgb background) {
  // One label size everywhere, whatever the field's height: a calm grid to read.
  const int label_h = std::min(box.h * 2 / 5, unit(3.4));
  const Rect label_box{box.x, box.y, box.w, label_h};
  const Rect value_box{box.x, box.y + label_h, box.w, box.h - label_h};
  text(label, label_box, {Face::regular, label_colour, background, Align::left, false, 0});
  text(value, value_box, {value_face, value_colour, background, Align::left, false, 0});
}

void Painter::polygon(const std::vector<SDL_FPoint>& points, Rgb colour) {
  if (points.size() < 3) return;
  std::vector<SDL_Vertex> vertices;
  const SDL_Color c = sdl(colour);
  for (std::size_t i = 1; i + 1 < points.size(); ++i) {  // a fan: shapes here are convex
    vertices.push_back({points[0], c, {0, 0}});
    vertices.push_back({points[i], c, {0, 0}});
    vertices.push_back({points[i + 1], c, {0, 0}});
  }
  SDL_RenderGeometry(renderer_, nullptr, vertices.data(), static_cast<int>(vertices.size()),
                     nullptr, 0);
}

void Painter::thick_line(SDL_FPoint a, SDL_FPoint b, float width, Rgb colour) {
  const float dx = b.x - a.x;
  const float dy = b.y - a.y;
  const float length = std::sqrt(dx * dx + dy * dy);
  if (length <= 0) return;
  const float nx = -dy / length * width / 2;
  const float ny = dx / length * width / 2;
  // Extend the ends by half the width so joined segments meet without notches.
  const float ex = dx / length * width / 2;
  const float ey = dy / length * width / 2;
  polygon({{a.x + nx - ex, a.y + ny - ey},
           {b.x + nx + ex, b.y + ny + ey},
           {b.x - nx + ex, b.y - ny + ey},
           {a.x - nx - ex, a.y - ny - ey}},
          colour);
}

void Painter::icon(Icon kind, const Rect& rect, Rgb fore, Rgb back) {
  const float size = static_cast<float>(std::min(rect.w, rect.h));
  const float x0 = rect.x + (rect.w - size) / 2;
  const float y0 = rect.y + (rect.h - size) / 2;
  const auto at = [&](float fx, float fy) { return SDL_FPoint{x0 + fx * size, y0 + fy * size}; };
  if (kind == Icon::warning_triangle) {
    polygon({at(0.5f, 0.04f), at(0.97f, 0.92f), at(0.03f, 0.92f)}, back);
    polygon({at(0.45f, 0.32f), at(0.55f, 0.32f), at(0.53f, 0.66f), at(0.47f, 0.66f)}, fore);
    polygon({at(0.45f, 0.72f), at(0.55f, 0.72f), at(0.55f, 0.82f), at(0.45f, 0.82f)}, fore);
  } else {
    std::vector<SDL_FPoint> circle;
    constexpr int kSteps = 48;
    for (int i = 0; i < kSteps; ++i) {
      const float angle = static_cast<float>(i) * 6.2831853f / kSteps;
      circle.push_back(at(0.5f + 0.48f * std::cos(angle), 0.5f + 0.48f * std::sin(angle)));
    }
    polygon(circle, back);
    const float stroke = size * 0.12f;
    if (kind == Icon::check) {
      thick_line(at(0.26f, 0.52f), at(0.43f, 0.69f), stroke, fore);
      thick_line(at(0.43f, 0.69f), at(0.75f, 0.34f), stroke, fore);
    } else {
      thick_line(at(0.32f, 0.32f), at(0.68f, 0.68f), stroke, fore);
      thick_line(at(0.68f, 0.32f), at(0.32f, 0.68f), stroke, fore);
    }
  }
  log_.icons.push_back({kind, rect});
}

void Painter::button(StaffAction action, std::string_view label, const Rect& rect, Rgb colour) {
  fill_rect(rect, colour);
  text(label, inset(rect, unit(1.2), unit(1.6)),
       {Face::bold, kWhite, colour, Align::centre, false, 0});
  log_.buttons.push_back({action, rect});
}

DrawLog Painter::paint(const ScreenModel& model, const frame::FrameView* preview, int width,
                       int height) {
  ++paint_number_;
  forget_unused_texts();
  log_ = DrawLog{};
  log_.screen = model.screen;
  log_.width = width;
  log_.height = height;
  language_ = model.language;
  fill_rect({0, 0, width, height}, kBackground);

  Rect content = draw_banner_and_header(model);
  const Rect footer{0, height - unit(11), width, unit(11)};
  content.h = footer.y - content.y;
  content = draw_warnings(model, content);
  const int margin = unit(2);
  content = inset(content, margin, unit(1));

  switch (model.screen) {
    case ScreenKind::idle:
    case ScreenKind::reading:
      draw_idle(model, preview, content);
      break;
    case ScreenKind::valid:
      draw_valid(model, content);
      break;
    case ScreenKind::refused:
      draw_refused(model, content);
      break;
    case ScreenKind::camera_offline:
      draw_notice(model, ui::text(Text::camera_offline_title, language_),
                  ui::text(Text::camera_offline_detail, language_), content);
      break;
    case ScreenKind::no_trust_list:
      draw_notice(model, ui::text(Text::no_trust_title, language_),
                  verdict_message(crypto::Verdict::no_trust_list, language_), content);
      break;
    case ScreenKind::status:
      draw_status(model, content);
      break;
  }
  draw_buttons(model, footer);
  return std::move(log_);
}

Rect Painter::draw_banner_and_header(const ScreenModel& model) {
  const int width = log_.width;
  const int margin = unit(2);
  int y = 0;
  if (model.has_warning(Warning::test_mode)) {
    const Rect banner{0, 0, width, unit(6)};
    panel(DrawnPanel::Role::banner, banner, kAmber);
    const std::vector<Rect> parts = columns(inset(banner, margin, unit(0.8)), {0.06, 0.94}, margin);
    icon(Icon::warning_triangle, parts[0], kAmber, kAmberInk);
    text(ui::text(Text::warning_test_mode, language_), parts[1],
         {Face::bold, kAmberInk, kAmber, Align::left, false, 0});
    y = banner.h;
  }
  const Rect header{margin, y + unit(1), width - 2 * margin, unit(6)};
  const std::vector<Rect> parts = columns(header, {0.4, 0.4, 0.2}, margin);
  text(ui::text(Text::app_title, language_), parts[0],
       {Face::bold, kWhite, kBackground, Align::left, false, 0});

  const std::string camera = std::string(ui::text(Text::status_camera, language_)) + " " +
                             camera_text(model, 0, language_);
  const Rect small = inset(parts[1], 0, parts[1].h / 6);
  text(camera, small, {Face::regular, kDim, kBackground, Align::right, false, 0});
  const bool big_clock_elsewhere =
      model.screen == ScreenKind::idle || model.screen == ScreenKind::reading;
  if (!big_clock_elsewhere) {
    text(format_clock(model.now, false), parts[2],
         {Face::bold, kWhite, kBackground, Align::right, false, 0});
  }
  return {0, header.y + header.h + unit(1), width, 0};
}

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

void Painter::draw_buttons(const ScreenModel& model, const Rect& footer) {
  struct Spec {
    StaffAction action;
    Text label;
    Rgb colour;
  };
  std::vector<Spec> specs;
  switch (model.screen) {
    case ScreenKind::valid:
      specs.push_back({StaffAction::clear, Text::button_clear, kButton});
      specs.push_back({StaffAction::read_again, Text::button_read_again, kButton});
      if (model.handoff_enabled && model.valid &&
          model.valid->handoff == HandoffDisplay::not_sent) {
        specs.push_back({StaffAction::send_to_receipt, Text::button_send, kSendButton});
      }
      break;
    case ScreenKind::refused:
      specs.push_back({StaffAction::clear, Text::button_clear, kButton});
      specs.push_back({StaffAction::read_again, Text::button_read_again, kButton});
      break;
    case ScreenKind::reading:
      specs.push_back({StaffAction::clear, Text::button_clear, kButton});
      break;
    case ScreenKind::status:
      specs.push_back({StaffAction::toggle_status, Text::button_back, kButton});
      break;
    case ScreenKind::idle:
    case ScreenKind::camera_offline:
    case ScreenKind::no_trust_list:
      break;
  }
  if (model.screen != ScreenKind::status) {
    specs.push_back({StaffAction::toggle_status, Text::button_status, kButton});
  }
  const int margin = unit(2);
  const Rect row = inset(footer, margin, unit(1.5));
  const int gap = margin;
  constexpr int kSlots = 4;  // same button width on every screen: muscle memory
  const int slot_w = (row.w - gap * (kSlots - 1)) / kSlots;
  int x = row.x;
  for (const Spec& spec : specs) {
    // The status button sits at the right edge, apart from the result actions.
    const bool right = spec.action == StaffAction::toggle_status;
    const Rect rect{right ? row.x + row.w - slot_w : x, row.y, slot_w, row.h};
    button(spec.action, ui::text(spec.label, language_), rect, spec.colour);
    if (!right) x += slot_w + gap;
  }
}

void Painter::draw_idle(const ScreenModel& model, const frame::FrameView* preview,
                        const Rect& area) {
  const std::vector<Rect> parts = columns(area, {0.62, 0.38}, unit(3));
  draw_preview(model, preview, parts[0]);
  const std::vector<Rect> side = rows(parts[1], {2.6, 0.9, 0.4, 3.0}, unit(1));
  text(format_clock(model.now, false), side[0],
       {Face::bold, kWhite, kBackground, Align::centre, false, 0});
  text(format_date(crypto::CalendarDate::japan_date_at(model.now), language_), side[1],
       {Face::regular, kDim, kBackground, Align::centre, false, unit(4.5)});
  if (model.screen == ScreenKind::reading) {
    text(ui::text(Text::reading, language_), side[3],
         {Face::bold, kAmber, kBackground, Align::centre, true, unit(6)});
  } else {
    text(ui::text(Text::idle_instruction, language_), side[3],
         {Face::bold, kWhite, kBackground, Align::centre, true, unit(6)});
  }
}

void Painter::draw_preview(const ScreenModel& model, const frame::FrameView* preview,
                           const Rect& area) {
  const int min_stride =
      preview ? preview->width * (preview->format == frame::FrameView::Format::gray8 ? 1 : 3) : 0;
  const bool has_frame = preview && preview->data && preview->width > 0 && preview->height > 0 &&
                         preview->stride >= min_stride;
  const double aspect =
      has_frame ? static_cast<double>(preview->width) / preview->height : 4.0 / 3.0;
  int w = area.w;
  int h = static_cast<int>(w / aspect);
  if (h > area.h) {
    h = area.h;
    w = static_cast<int>(h * aspect);
  }
  const Rect box{area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h};
  panel(DrawnPanel::Role::preview, box, kPreviewBack);

  if (has_frame) {
    upload_preview(*preview, box.w, box.h);
    if (preview_texture_) {
      const SDL_Rect dst{box.x, box.y, box.w, box.h};
      SDL_RenderCopy(renderer_, preview_texture_, nullptr, &dst);
    }
  } else {
    const Text id = frame::shows_as_offline(model.camera) ? Text::camera_offline_title
                                                          : Text::waiting_for_camera;
    text(ui::text(id, language_), inset(box, box.w / 10, box.h * 2 / 5),
         {Face::regular, kDim, kPreviewBack, Align::centre, false, 0});
  }

  // The guide: four corner brackets where the QR should go.
  const float side = 0.62f * static_cast<float>(std::min(box.w, box.h));
  const float gx = box.x + (box.w - side) / 2;
  const float gy = box.y + (box.h - side) / 2;
  const float arm = side * 0.18f;
  const float stroke = std::max(3.0f, static_cast<float>(unit(0.6)));
  for (int corner = 0; corner < 4; ++corner) {
    const float cx = gx + (corner % 2 ? side : 0);
    const float cy = gy + (corner / 2 ? side : 0);
    const float sx = corner % 2 ? -arm : arm;
    const float sy = corner / 2 ? -arm : arm;
    thick_line({cx, cy}, {cx + sx, cy}, stroke, kWhite);
    thick_line({cx, cy}, {cx, cy + sy}, stroke, kWhite);
  }

  if (has_frame && model.qr_corners.size() >= 3) {
    // Corners come from another frame than the one shown (a few ms older), or from
    // a detector that reports points slightly off the image: keep the outline on
    // the preview.
    const SDL_Rect clip{box.x, box.y, box.w, box.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    const float scale = static_cast<float>(box.w) / static_cast<float>(preview->width);
    std::vector<SDL_FPoint> points;
    for (const auto& [x, y] : model.qr_corners) {
      points.push_back({box.x + x * scale, box.y + y * scale});
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
      thick_line(points[i], points[(i + 1) % points.size()], stroke, kOutline);
    }
    SDL_RenderSetClipRect(renderer_, nullptr);
  }
}

// The frame, scaled to the preview box (nearest pixel) and turned into ARGB in
// one pass over the box's pixels, not the camera's: a 1280x720 frame in a 790x445
// box is 2.6 times fewer pixels, and a texture in the renderer's own 32-bit format
// at its final size is copied, not converted and stretched, by SDL (whose
// software stretch of 24-bit pixels is its slow generic path).
void Painter::upload_preview(const frame::FrameView& preview, int w, int h) {
  if (w <= 0 || h <= 0) return;
  if (!preview_texture_ || preview_w_ != w || preview_h_ != h) {
    if (preview_texture_) SDL_DestroyTexture(preview_texture_);
    preview_texture_ =
        SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    preview_w_ = w;
    preview_h_ = h;
  }
  if (!preview_texture_) return;
  const bool gray = preview.format == frame::FrameView::Format::gray8;
  const int bytes_per_pixel = gray ? 1 : 3;
  preview_columns_.resize(static_cast<std::size_t>(w));
  for (int x = 0; x < w; ++x) {
    const auto source_x = static_cast<int>(static_cast<std::int64_t>(x) * preview.width / w);
    preview_columns_[static_cast<std::size_t>(x)] = source_x * bytes_per_pixel;
  }
  preview_pixels_.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  for (int y = 0; y < h; ++y) {
    const auto source_y =
        static_cast<std::ptrdiff_t>(static_cast<std::int64_t>(y) * preview.height / h);
    const std::uint8_t* row = preview.data + source_y * preview.stride;
    std::uint32_t* out = preview_pixels_.data() + static_cast<std::ptrdiff_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = row + preview_columns_[static_cast<std::size_t>(x)];
      const std::uint32_t b = p[0];
      const std::uint32_t g = gray ? b : p[1];
      const std::uint32_t r = gray ? b : p[2];
      out[x] = 0xFF000000u | (r << 16) | (g << 8) | b;
    }
  }
  SDL_UpdateTexture(preview_texture_, nullptr, preview_pixels_.data(), w * 4);
}

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
