#include "painter.h"

#include "layout.h"

#include <kakunin/base/japan_time.h>
#include <kakunin/base/utf8.h>
#include <kakunin/ui/line_break.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kakunin::ui::detail {
namespace {

constexpr int kMinTextPixels = 10;

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

int Painter::field_label_height() const { return unit(2.9); }

int Painter::fitted_size(const std::string& content, const Rect& box, const Style& style) {
  return rendered_text(content, box, style).size;
}

void Painter::field(const Rect& box, std::string_view label, std::string_view value,
                    Face value_face, Rgb label_colour, Rgb value_colour, Rgb background,
                    int value_max_pixel) {
  // One label size everywhere, whatever the field's height: a calm grid to read.
  const int label_h = std::min(box.h / 2, field_label_height());
  const Rect label_box{box.x, box.y, box.w, label_h};
  const Rect value_box{box.x, box.y + label_h, box.w, box.h - label_h};
  text(label, label_box, {Face::regular, label_colour, background, Align::left, false, 0});
  text(value, value_box,
       {value_face, value_colour, background, Align::left, false, value_max_pixel});
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

// Eight dots on a ring: the head (dot `phase`, clockwise from the top) darkest,
// the three behind it fading into the resting dots, so it reads as turning.
void Painter::spinner_dots(SDL_FPoint centre, float size, int phase, Rgb fore) {
  const float dot = size * 0.11f;
  for (int i = 0; i < kSpinnerDots; ++i) {
    const int behind = ((phase - i) % kSpinnerDots + kSpinnerDots) % kSpinnerDots;
    const Rgb colour = behind < 4 ? mix(fore, kSpinnerRest, behind / 4.0) : kSpinnerRest;
    const float angle = -1.5708f + 6.2831853f * static_cast<float>(i) / kSpinnerDots;
    const float x = centre.x + size * 0.36f * std::cos(angle);
    const float y = centre.y + size * 0.36f * std::sin(angle);
    std::vector<SDL_FPoint> disc;
    for (int k = 0; k < 16; ++k) {
      const float a = 6.2831853f * static_cast<float>(k) / 16;
      disc.push_back({x + dot * std::cos(a), y + dot * std::sin(a)});
    }
    polygon(disc, colour);
  }
}

void Painter::icon(Icon kind, const Rect& rect, Rgb fore, Rgb back, int phase) {
  const float size = static_cast<float>(std::min(rect.w, rect.h));
  const float x0 = rect.x + (rect.w - size) / 2;
  const float y0 = rect.y + (rect.h - size) / 2;
  const auto at = [&](float fx, float fy) { return SDL_FPoint{x0 + fx * size, y0 + fy * size}; };
  // A regular polygon of `sides` around the icon's centre, radius `r` (of size).
  const auto ring = [&](int sides, float r, float turn) {
    std::vector<SDL_FPoint> points;
    for (int i = 0; i < sides; ++i) {
      const float angle = turn + static_cast<float>(i) * 6.2831853f / static_cast<float>(sides);
      points.push_back(at(0.5f + r * std::cos(angle), 0.5f + r * std::sin(angle)));
    }
    return points;
  };
  const float stroke = size * 0.12f;
  const auto exclamation = [&](float top, float bottom) {
    polygon({at(0.44f, top), at(0.56f, top), at(0.54f, bottom), at(0.46f, bottom)}, fore);
    const float dot = bottom + 0.07f;
    polygon({at(0.44f, dot), at(0.56f, dot), at(0.56f, dot + 0.11f), at(0.44f, dot + 0.11f)}, fore);
  };
  switch (kind) {
    case Icon::warning_triangle:
      polygon({at(0.5f, 0.04f), at(0.97f, 0.92f), at(0.03f, 0.92f)}, back);
      exclamation(0.32f, 0.64f);
      break;
    case Icon::check:
      polygon(ring(48, 0.48f, 0), back);
      thick_line(at(0.26f, 0.52f), at(0.43f, 0.69f), stroke, fore);
      thick_line(at(0.43f, 0.69f), at(0.75f, 0.34f), stroke, fore);
      break;
    case Icon::retry: {
      polygon(ring(48, 0.48f, 0), back);
      // Three quarters of a circle, clockwise from the top, with an arrow head.
      constexpr int kSteps = 18;
      constexpr float kStart = -1.5708f + 0.45f;
      constexpr float kSweep = 4.712f;
      SDL_FPoint previous = at(0.5f + 0.27f * std::cos(kStart), 0.5f + 0.27f * std::sin(kStart));
      for (int i = 1; i <= kSteps; ++i) {
        const float angle = kStart + kSweep * static_cast<float>(i) / kSteps;
        const SDL_FPoint next = at(0.5f + 0.27f * std::cos(angle), 0.5f + 0.27f * std::sin(angle));
        thick_line(previous, next, stroke * 0.8f, fore);
        previous = next;
      }
      // The head at the arc's end, pointing along it (the tangent there).
      const float end = kStart + kSweep;
      const float ex = 0.5f + 0.27f * std::cos(end);
      const float ey = 0.5f + 0.27f * std::sin(end);
      const float tx = -std::sin(end);
      const float ty = std::cos(end);
      polygon({at(ex + 0.17f * tx, ey + 0.17f * ty), at(ex + 0.13f * ty, ey - 0.13f * tx),
               at(ex - 0.13f * ty, ey + 0.13f * tx)},
              fore);
      break;
    }
    case Icon::stop:
      polygon(ring(8, 0.5f, 0.3927f), back);
      thick_line(at(0.32f, 0.32f), at(0.68f, 0.68f), stroke, fore);
      thick_line(at(0.68f, 0.32f), at(0.32f, 0.68f), stroke, fore);
      break;
    case Icon::kiosk_fault:
      polygon({at(0.04f, 0.04f), at(0.96f, 0.04f), at(0.96f, 0.96f), at(0.04f, 0.96f)}, back);
      exclamation(0.18f, 0.62f);
      break;
    case Icon::info:  // a disc with "i": information, neither good nor bad news
      polygon(ring(48, 0.48f, 0), back);
      polygon({at(0.44f, 0.2f), at(0.56f, 0.2f), at(0.56f, 0.32f), at(0.44f, 0.32f)}, fore);
      polygon({at(0.44f, 0.4f), at(0.56f, 0.4f), at(0.56f, 0.8f), at(0.44f, 0.8f)}, fore);
      break;
    case Icon::spinner:
      spinner_dots(at(0.5f, 0.5f), size, phase, fore);
      break;
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
  content = draw_countdown(model, content);

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
      draw_camera_offline(content);
      break;
    case ScreenKind::no_trust_list:
      draw_no_trust_list(content);
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

  const bool scanner = model.status.facts.capture == CaptureKind::scanner;
  const std::string camera =
      std::string(ui::text(scanner ? Text::status_scanner : Text::status_camera, language_)) + " " +
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

void Painter::draw_buttons(const ScreenModel& model, const Rect& footer) {
  struct Spec {
    StaffAction action;
    Text label;
    Rgb colour;
  };
  std::vector<Spec> specs;
  const bool pinned = model.countdown && model.countdown->pinned;
  const Spec pin{StaffAction::pin, pinned ? Text::button_unpin : Text::button_pin, kButton};
  switch (model.screen) {
    case ScreenKind::valid:
      specs.push_back({StaffAction::clear, Text::button_clear, kButton});
      specs.push_back({StaffAction::read_again, Text::button_read_again, kButton});
      specs.push_back(pin);
      if (model.handoff_enabled && model.valid &&
          model.valid->handoff == HandoffDisplay::not_sent) {
        specs.push_back({StaffAction::send_to_receipt, Text::button_send, kSendButton});
      }
      break;
    case ScreenKind::refused:
      specs.push_back({StaffAction::clear, Text::button_clear, kButton});
      specs.push_back({StaffAction::read_again, Text::button_read_again, kButton});
      specs.push_back(pin);
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
  // Same button width on every screen, and 固定 always in the third slot: muscle memory.
  constexpr int kSlots = 5;
  const int slot_w = (row.w - gap * (kSlots - 1)) / kSlots;
  int x = row.x;
  for (const Spec& spec : specs) {
    // The status button sits at the right edge, apart from the result actions.
    const bool right = spec.action == StaffAction::toggle_status;
    const Rect rect{right ? row.x + row.w - slot_w : x, row.y, slot_w, row.h};
    button(spec.action, ui::text(spec.label, language_), rect, spec.colour);
    if (!right) x += slot_w + gap;
  }
  if (model.screen == ScreenKind::valid && model.valid) {
    // From the next free slot up to the status button at the right edge.
    draw_handoff_state(model.valid->handoff, {x, row.y, row.x + row.w - slot_w - gap - x, row.h});
  }
}

// What became of the hand-off, where the send button was: staff look there for
// it, and a result that did not arrive must not look sent.
void Painter::draw_handoff_state(HandoffDisplay handoff, const Rect& slot) {
  Text id = Text::handoff_sent;
  Rgb back = kGreenBand;
  switch (handoff) {
    case HandoffDisplay::not_sent:
      return;
    case HandoffDisplay::waiting_online:  // held on the kiosk: not on its way yet
      id = Text::handoff_waiting_online;
      back = kButton;
      break;
    case HandoffDisplay::sending:
      id = Text::handoff_sending;
      back = kButton;
      break;
    case HandoffDisplay::sent:
      break;
    case HandoffDisplay::failed:
      id = Text::handoff_failed;
      back = kRedBody;
      break;
  }
  panel(DrawnPanel::Role::handoff, slot, back);
  text(ui::text(id, language_), inset(slot, unit(1.2), unit(1.2)),
       {Face::bold, kWhite, back, Align::centre, true, 0});
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
    log_.qr_outline = kOutline;
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

}  // namespace kakunin::ui::detail
