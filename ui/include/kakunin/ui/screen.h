// The kiosk screens: draws a ScreenModel (screen_model.h) with SDL2 + SDL2_ttf,
// either offscreen (tests, screenshots, docs) or in a window (the kiosk).
//
// Layout is in units of the window's size, so the same code fills 1024×768 and
// 1920×1080; text that does not fit its box is made smaller, never drawn outside.
// Every text, button and coloured card drawn is recorded in a DrawLog, so tests
// check what a person would see (the words, where they are, their colours)
// without comparing pixels against golden images.
//
// SDL stays out of this header. Not thread-safe: use from the thread that made it.
//
//   std::string error;
//   std::unique_ptr<ui::OffscreenScreen> screen = ui::OffscreenScreen::create(1024, 768, &error);
//   const ui::DrawLog& drawn = screen->draw(model, &preview);  // model: a ScreenModel
//   EXPECT_TRUE(drawn.shows(ui::verdict_label(crypto::Verdict::stale, model.language)));
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/frame/frame.h>
#include <kakunin/ui/screen_model.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::ui {

struct Rect {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;
  bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
  bool inside(const Rect& outer) const {
    return x >= outer.x && y >= outer.y && x + w <= outer.x + outer.w && y + h <= outer.y + outer.h;
  }
  bool overlaps(const Rect& other) const {
    return x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h;
  }
};

struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  bool operator==(const Rgb&) const = default;
};

enum class Face { regular, bold, mono, mono_bold };

// One block of text as drawn: `rect` is where its glyphs are (inside `box`, the
// space the layout gave it), `background` what is behind them.
struct DrawnText {
  std::string text;
  Rect box;
  Rect rect;
  Rgb colour;
  Rgb background;
  Face face = Face::regular;
  std::vector<std::string> lines;  // as broken to fit the box
  int pixel_size = 0;              // the font size finally used, after shrinking
  bool shrunk_to_minimum = false;  // did not fit even at the smallest size (clipped to box)
};

struct DrawnButton {
  StaffAction action;
  Rect rect;
};

// A filled area that carries meaning by colour (the result card, a warning strip).
struct DrawnPanel {
  enum class Role {
    card,
    card_header,
    warning,
    banner,
    preview,
    handoff,        // what became of the hand-off, where the send button was
    countdown,      // the strip under a result: how long it stays, or that it is pinned
    countdown_bar,  // the part of the strip's bar still left (drains to nothing)
    online,         // the オンライン資格確認 row on a valid card (pending, confirmed, ...)
    online_stop,    // the national answer "not entitled": red across the whole card
  };
  Role role;
  Rect rect;
  Rgb colour;
};

// The verdict icons differ in shape, not only colour: a disc with a check (valid),
// a disc with a circling arrow (retry), an octagon with a cross (stop), a square
// with "!" (terminal: the kiosk cannot check); warnings are triangles. The
// online check's row on a valid card adds a ring of dots that turns (waiting
// for the national answer) and a disc with "i" (no answer: the offline verdict
// stands); its other states reuse the check, the triangle and the octagon.
enum class Icon { check, retry, stop, kiosk_fault, warning_triangle, spinner, info };

struct DrawnIcon {
  Icon icon;
  Rect rect;
};

struct DrawLog {
  ScreenKind screen = ScreenKind::idle;
  int width = 0;
  int height = 0;
  std::vector<DrawnText> texts;
  std::vector<DrawnButton> buttons;
  std::vector<DrawnPanel> panels;
  std::vector<DrawnIcon> icons;
  // The located QR's outline on the preview, when one was drawn.
  std::optional<Rgb> qr_outline;
  // Codepoints that some font used had no glyph for (would show as tofu).
  std::vector<char32_t> missing_glyphs;

  const DrawnText* find_text(std::string_view exact) const;
  // True when any text drawn contains `fragment`.
  bool shows(std::string_view fragment) const;
};

// The Noto Sans CJK collections (fonts-noto-cjk); index 0 is JP, 5 Mono JP.
struct FontFiles {
  std::filesystem::path regular = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  std::filesystem::path bold = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
  int japanese_index = 0;
  int mono_japanese_index = 5;
};

// Staff input, shared by the window and the tests: a key (SDL_Keycode value) or
// a click/touch at window pixels on the last drawn screen.
std::optional<StaffAction> action_for_key(std::int32_t sdl_keycode);
std::optional<StaffAction> action_at(const DrawLog& log, int x, int y);

// Full colour, or at most 256 colours (a third of the size; for committed docs).
enum class PngColours { full, palette };

// Draws into memory: no display needed (SDL software renderer on a surface).
class OffscreenScreen {
 public:
  static std::unique_ptr<OffscreenScreen> create(int width, int height, std::string* error,
                                                 const FontFiles& fonts = {});
  ~OffscreenScreen();
  OffscreenScreen(const OffscreenScreen&) = delete;
  OffscreenScreen& operator=(const OffscreenScreen&) = delete;

  // `preview`: the newest camera frame for idle/reading screens, or nullptr.
  const DrawLog& draw(const ScreenModel& model, const frame::FrameView* preview = nullptr);
  Rgb pixel(int x, int y) const;
  bool save_png(const std::filesystem::path& path, std::string* error,
                PngColours colours = PngColours::full) const;
  int width() const;
  int height() const;
  // Whether the fonts have a glyph for this codepoint (for tests of new strings).
  bool has_glyph(char32_t codepoint, Face face) const;

 private:
  struct State;
  explicit OffscreenScreen(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

struct WindowSettings {
  bool fullscreen = true;  // kiosk mode: the whole display, no decorations
  int width = 1280;        // when not fullscreen
  int height = 800;
  std::string title = "Kakunin";
  // When set, a PNG of each screen is written here as it is first shown
  // (NNNN-<screen>.png). Valid results carry personal data, so they are written
  // only in test mode (docs/screens.md).
  std::filesystem::path screenshot_dir;
  FontFiles fonts;
  base::Logger log;  // screenshot problems (English); a default Logger drops them
};

// A real window (X11/Wayland/KMS, or Xvfb); SDL_VIDEODRIVER picks the backend.
class KioskWindow {
 public:
  static std::unique_ptr<KioskWindow> open(const WindowSettings& settings, std::string* error);
  ~KioskWindow();
  KioskWindow(const KioskWindow&) = delete;
  KioskWindow& operator=(const KioskWindow&) = delete;

  // Draws and presents; writes the screenshot when the screen changed.
  const DrawLog& draw(const ScreenModel& model, const frame::FrameView* preview = nullptr);
  // Staff actions from pending keyboard, mouse and touch events; waits at most
  // `timeout_ms` for the first event. `quit` is set when the window is closed.
  std::vector<StaffAction> poll(int timeout_ms, bool* quit);

 private:
  struct State;
  explicit KioskWindow(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kakunin::ui
