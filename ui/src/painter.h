// Draws one ScreenModel onto an SDL_Renderer of a given size and records what it
// drew. Shared by the offscreen screen and the kiosk window.
#pragma once

#include "text_fit.h"

#include <kakunin/ui/screen.h>

#include <SDL.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace kakunin::ui::detail {

class Painter {
 public:
  Painter(SDL_Renderer* renderer, Fonts& fonts) : renderer_(renderer), fonts_(fonts) {}
  ~Painter();
  Painter(const Painter&) = delete;
  Painter& operator=(const Painter&) = delete;

  DrawLog paint(const ScreenModel& model, const frame::FrameView* preview, int width, int height);

 private:
  enum class Align { left, centre, right };
  struct Style {
    Face face = Face::regular;
    Rgb colour{255, 255, 255};
    Rgb background{0, 0, 0};
    Align align = Align::left;
    bool wrap = false;
    int max_pixel = 0;  // 0: as large as the box allows
  };

  // Layout, in fractions of the window.
  int unit(double percent_of_height) const;
  void fill_rect(const Rect& rect, Rgb colour);
  void panel(DrawnPanel::Role role, const Rect& rect, Rgb colour);
  void text(std::string_view content, const Rect& box, const Style& style);
  // A label over its value; every label the same height (field_label_height()).
  void field(const Rect& box, std::string_view label, std::string_view value, Face value_face,
             Rgb label_colour, Rgb value_colour, Rgb background, int value_max_pixel = 0);
  int field_label_height() const;
  // The pixel size text() would draw `content` at in `box`.
  int fitted_size(const std::string& content, const Rect& box, const Style& style);
  // `phase`: which dot of the spinner is its head (the others ignore it).
  void icon(Icon kind, const Rect& rect, Rgb fore, Rgb back, int phase = 0);
  void spinner_dots(SDL_FPoint centre, float size, int phase, Rgb fore);
  void polygon(const std::vector<SDL_FPoint>& points, Rgb colour);
  void thick_line(SDL_FPoint a, SDL_FPoint b, float width, Rgb colour);
  void button(StaffAction action, std::string_view label, const Rect& rect, Rgb colour);

  Rect draw_banner_and_header(const ScreenModel& model);
  Rect draw_warnings(const ScreenModel& model, Rect content);
  // paint_countdown.cpp: the strip under a valid or refused result; the rest of
  // `content` is returned for the card.
  Rect draw_countdown(const ScreenModel& model, Rect content);
  void draw_buttons(const ScreenModel& model, const Rect& footer);
  void draw_handoff_state(HandoffDisplay handoff, const Rect& slot);
  void draw_idle(const ScreenModel& model, const frame::FrameView* preview, const Rect& area);
  void draw_preview(const ScreenModel& model, const frame::FrameView* preview, const Rect& area);
  // The words of a retry, stop or terminal card, in reading order.
  struct TierWords {
    std::string_view headline;    // what to do now, largest
    std::string_view instead;     // what to do if that does not help
    std::string_view clock_note;  // the kiosk's clock may be the cause (or empty)
    std::string_view reason;      // what happened
    std::string_view code;        // 理由コード: stale (for the vendor)
  };
  int verdict_icon_side(const Rect& area) const;
  void draw_tier_card(VerdictTier tier, const TierWords& words, const Rect& area);
  void draw_valid(const ScreenModel& model, const Rect& area);
  // The valid card itself; `compact` under a national "not entitled", where it
  // stays readable but smaller than the stop above it.
  void draw_valid_card(const ScreenModel& model, const Rect& area, bool compact);
  // The verdict band down the card's left; returns the band.
  Rect draw_valid_band(const ScreenModel& model, const Rect& area, bool compact);
  void draw_valid_fields(const ValidResult& valid, const Rect& fields, bool compact);
  // paint_online.cpp: the オンライン資格確認 beside the offline verdict. The row at
  // the top of `fields` (pending, confirmed, mismatch, unavailable) returns what
  // is left of `fields` under it; not_entitled is a stop across the whole card.
  Rect draw_online_row(const ScreenModel& model, const Rect& fields);
  int online_row_height(const ValidResult& valid) const;
  void draw_online_mismatch(const ValidResult& valid, const Rect& inner);
  void draw_not_entitled(const ScreenModel& model, const Rect& area);
  void draw_refused(const ScreenModel& model, const Rect& area);
  void draw_no_trust_list(const Rect& area);
  void draw_camera_offline(const Rect& area);
  void draw_status(const ScreenModel& model, const Rect& area);

  struct TextureDeleter {
    void operator()(SDL_Texture* texture) const { SDL_DestroyTexture(texture); }
  };
  using TexturePtr = std::unique_ptr<SDL_Texture, TextureDeleter>;
  // A text laid out and rasterised for one box size and style. The screen shows
  // the same few dozen texts frame after frame: FreeType renders each once, not
  // 30 times a second (a profile of the idle kiosk had 13% of its time there).
  struct RenderedLine {
    TexturePtr texture;  // null for an empty line
    int w = 0;
    int h = 0;
  };
  struct RenderedText {
    std::vector<std::string> lines;
    std::vector<RenderedLine> rendered;
    int size = 0;
    int line_height = 0;
    bool at_minimum = false;
    std::vector<char32_t> missing_glyphs;
    std::uint64_t last_paint = 0;
  };
  const RenderedText& rendered_text(const std::string& utf8, const Rect& box, const Style& style);
  RenderedText lay_out(const std::string& utf8, const Rect& box, const Style& style);
  void forget_unused_texts();
  void upload_preview(const frame::FrameView& preview, int w, int h);

  SDL_Renderer* renderer_;
  Fonts& fonts_;
  std::unordered_map<std::string, RenderedText> texts_;
  std::uint64_t paint_number_ = 0;
  DrawLog log_;
  Language language_ = Language::japanese;
  SDL_Texture* preview_texture_ = nullptr;
  int preview_w_ = 0;
  int preview_h_ = 0;
  std::vector<std::uint32_t> preview_pixels_;  // ARGB8888, the preview box's size
  std::vector<int> preview_columns_;           // source byte offset of each box column
};

}  // namespace kakunin::ui::detail
