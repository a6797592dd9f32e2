// OffscreenScreen and KioskWindow: the two places a Painter draws to. PNGs are
// written with libpng's simplified API (SDL2 itself only writes BMP; OpenCV's
// imwrite would drag GDAL and ~150 shared libraries into every UI program).
#include "painter.h"

#include <kakunin/ui/screen.h>

#include <png.h>

#include <SDL.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <system_error>
#include <unordered_map>

namespace kakunin::ui {

const DrawnText* DrawLog::find_text(std::string_view exact) const {
  for (const DrawnText& t : texts) {
    if (t.text == exact) return &t;
  }
  return nullptr;
}

bool DrawLog::shows(std::string_view fragment) const {
  for (const DrawnText& t : texts) {
    if (t.text.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::optional<StaffAction> action_for_key(std::int32_t sdl_keycode) {
  switch (sdl_keycode) {
    case SDLK_ESCAPE:
    case SDLK_SPACE:
      return StaffAction::clear;
    case SDLK_r:
      return StaffAction::read_again;
    case SDLK_s:
      return StaffAction::send_to_receipt;
    case SDLK_F1:
    case SDLK_TAB:
      return StaffAction::toggle_status;
    case SDLK_p:
      return StaffAction::pin;
    default:
      return std::nullopt;
  }
}

std::optional<StaffAction> action_at(const DrawLog& log, int x, int y) {
  for (const DrawnButton& button : log.buttons) {
    if (button.rect.contains(x, y)) return button.action;
  }
  return std::nullopt;
}

namespace {

// `pixels`: rows of B, G, R, A bytes (SDL's ARGB8888 on little-endian machines).
bool write_png(const std::uint8_t* pixels, int width, int height, int pitch,
               const std::filesystem::path& path, std::string* error) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_BGRA;
  // Flat screens compress well with libpng's defaults (a few tens of kB).
  if (png_image_write_to_file(&image, path.c_str(), 0, pixels, pitch, nullptr)) return true;
  if (error) *error = "cannot write " + path.string() + ": " + image.message;
  png_image_free(&image);
  return false;
}

// The same picture with at most 256 colours: the most frequent ones, every other
// colour mapped to its nearest. A flat UI has few colours besides the edges of
// glyphs, so the result looks the same at about a third of the size (for the
// screenshots committed under docs/). Written by hand: libpng's simplified API
// writes a colour map but does not choose one.
bool write_png_palette(const std::uint8_t* pixels, int width, int height, int pitch,
                       const std::filesystem::path& path, std::string* error) {
  const auto key_at = [&](int x, int y) {
    const std::uint8_t* p =
        pixels + static_cast<std::ptrdiff_t>(y) * pitch + 4 * static_cast<std::ptrdiff_t>(x);
    return static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[1]) << 8 | p[0];
  };
  std::unordered_map<std::uint32_t, std::uint32_t> counts;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) ++counts[key_at(x, y)];
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_count;  // (count, colour)
  by_count.reserve(counts.size());
  for (const auto& [colour, count] : counts) by_count.emplace_back(count, colour);
  const std::size_t entries = std::min<std::size_t>(256, by_count.size());
  std::partial_sort(by_count.begin(), by_count.begin() + static_cast<std::ptrdiff_t>(entries),
                    by_count.end(), std::greater<>());
  std::vector<std::uint8_t> colormap;
  std::unordered_map<std::uint32_t, std::uint8_t> index;
  for (std::size_t i = 0; i < entries; ++i) {
    const std::uint32_t c = by_count[i].second;
    colormap.insert(colormap.end(),
                    {static_cast<std::uint8_t>(c >> 16), static_cast<std::uint8_t>(c >> 8),
                     static_cast<std::uint8_t>(c)});
    index.emplace(c, static_cast<std::uint8_t>(i));
  }
  const auto nearest = [&](std::uint32_t c) {
    int best = 0;
    long best_distance = -1;
    for (std::size_t i = 0; i < entries; ++i) {
      const long dr = static_cast<long>(c >> 16 & 0xFF) - colormap[3 * i];
      const long dg = static_cast<long>(c >> 8 & 0xFF) - colormap[3 * i + 1];
      const long db = static_cast<long>(c & 0xFF) - colormap[3 * i + 2];
      const long d = dr * dr + dg * dg + db * db;
      if (best_distance < 0 || d < best_distance) {
        best_distance = d;
        best = static_cast<int>(i);
      }
    }
    return static_cast<std::uint8_t>(best);
  };
  std::vector<std::uint8_t> indices(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::uint32_t c = key_at(x, y);
      auto it = index.find(c);
      if (it == index.end()) it = index.emplace(c, nearest(c)).first;
      indices[static_cast<std::size_t>(y) * width + x] = it->second;
    }
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB_COLORMAP;
  image.colormap_entries = static_cast<png_uint_32>(entries);
  if (png_image_write_to_file(&image, path.c_str(), 0, indices.data(), width, colormap.data())) {
    return true;
  }
  if (error) *error = "cannot write " + path.string() + ": " + image.message;
  png_image_free(&image);
  return false;
}

}  // namespace

// ------------------------------------------------------------ offscreen ----

struct OffscreenScreen::State {
  SDL_Surface* surface = nullptr;
  SDL_Renderer* renderer = nullptr;
  detail::Fonts fonts;
  std::unique_ptr<detail::Painter> painter;
  DrawLog log;

  ~State() {
    painter.reset();
    if (renderer) SDL_DestroyRenderer(renderer);
    if (surface) SDL_FreeSurface(surface);
  }
};

OffscreenScreen::OffscreenScreen(std::unique_ptr<State> state) : state_(std::move(state)) {}
OffscreenScreen::~OffscreenScreen() = default;

std::unique_ptr<OffscreenScreen> OffscreenScreen::create(int width, int height, std::string* error,
                                                         const FontFiles& fonts) {
  if (width < 320 || height < 240 || width > 8192 || height > 8192) {
    if (error) *error = "screen size out of range (320x240 .. 8192x8192)";
    return nullptr;
  }
  auto state = std::make_unique<State>();
  state->surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (state->surface) state->renderer = SDL_CreateSoftwareRenderer(state->surface);
  if (!state->renderer) {
    if (error) *error = std::string("cannot create an offscreen renderer: ") + SDL_GetError();
    return nullptr;
  }
  if (!state->fonts.open(fonts, error)) return nullptr;
  state->painter = std::make_unique<detail::Painter>(state->renderer, state->fonts);
  return std::unique_ptr<OffscreenScreen>(new OffscreenScreen(std::move(state)));
}

const DrawLog& OffscreenScreen::draw(const ScreenModel& model, const frame::FrameView* preview) {
  state_->log = state_->painter->paint(model, preview, width(), height());
  SDL_RenderPresent(state_->renderer);
  return state_->log;
}

Rgb OffscreenScreen::pixel(int x, int y) const {
  const SDL_Surface* s = state_->surface;
  if (x < 0 || y < 0 || x >= s->w || y >= s->h) return {};
  const auto* row =
      static_cast<const std::uint8_t*>(s->pixels) + static_cast<std::ptrdiff_t>(y) * s->pitch;
  Uint32 value;
  std::memcpy(&value, row + static_cast<std::ptrdiff_t>(x) * 4, sizeof value);
  Uint8 r, g, b;
  SDL_GetRGB(value, s->format, &r, &g, &b);
  return {r, g, b};
}

bool OffscreenScreen::save_png(const std::filesystem::path& path, std::string* error,
                               PngColours colours) const {
  const SDL_Surface* s = state_->surface;
  const auto* pixels = static_cast<const std::uint8_t*>(s->pixels);
  if (colours == PngColours::palette)
    return write_png_palette(pixels, s->w, s->h, s->pitch, path, error);
  return write_png(pixels, s->w, s->h, s->pitch, path, error);
}

int OffscreenScreen::width() const { return state_->surface->w; }
int OffscreenScreen::height() const { return state_->surface->h; }

bool OffscreenScreen::has_glyph(char32_t codepoint, Face face) const {
  return state_->fonts.has_glyph(face, codepoint);
}

// --------------------------------------------------------------- window ----

struct KioskWindow::State {
  SDL_Window* window = nullptr;
  SDL_Renderer* renderer = nullptr;
  detail::Fonts fonts;
  std::unique_ptr<detail::Painter> painter;
  DrawLog log;
  std::filesystem::path screenshot_dir;
  base::Logger logger;
  std::optional<ScreenKind> last_screen;
  int screenshot_count = 0;
  bool video_initialised = false;

  ~State() {
    painter.reset();
    if (renderer) SDL_DestroyRenderer(renderer);
    if (window) SDL_DestroyWindow(window);
    if (video_initialised) SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
  }

  void screenshot(const ScreenModel& model);
};

KioskWindow::KioskWindow(std::unique_ptr<State> state) : state_(std::move(state)) {}
KioskWindow::~KioskWindow() = default;

std::unique_ptr<KioskWindow> KioskWindow::open(const WindowSettings& settings, std::string* error) {
  auto state = std::make_unique<State>();
  if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    if (error) *error = std::string("no display (SDL video): ") + SDL_GetError();
    return nullptr;
  }
  state->video_initialised = true;
  const Uint32 flags = settings.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
  state->window = SDL_CreateWindow(settings.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                   SDL_WINDOWPOS_CENTERED, settings.width, settings.height, flags);
  if (!state->window) {
    if (error) *error = std::string("cannot open the window: ") + SDL_GetError();
    return nullptr;
  }
  state->renderer = SDL_CreateRenderer(state->window, -1, SDL_RENDERER_ACCELERATED);
  if (!state->renderer)
    state->renderer = SDL_CreateRenderer(state->window, -1, SDL_RENDERER_SOFTWARE);
  if (!state->renderer) {
    if (error) *error = std::string("cannot create a renderer: ") + SDL_GetError();
    return nullptr;
  }
  if (!state->fonts.open(settings.fonts, error)) return nullptr;
  state->painter = std::make_unique<detail::Painter>(state->renderer, state->fonts);
  state->screenshot_dir = settings.screenshot_dir;
  state->logger = settings.log;
  if (!state->screenshot_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(state->screenshot_dir, ec);
  }
  // Touch screens send both touch and synthesized mouse events; keep only one.
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
  return std::unique_ptr<KioskWindow>(new KioskWindow(std::move(state)));
}

const DrawLog& KioskWindow::draw(const ScreenModel& model, const frame::FrameView* preview) {
  int w = 0;
  int h = 0;
  SDL_GetRendererOutputSize(state_->renderer, &w, &h);
  state_->log = state_->painter->paint(model, preview, w, h);
  if (!state_->screenshot_dir.empty() && state_->last_screen != model.screen) {
    state_->screenshot(model);  // before present: the back buffer is what was drawn
  }
  state_->last_screen = model.screen;
  SDL_RenderPresent(state_->renderer);
  return state_->log;
}

void KioskWindow::State::screenshot(const ScreenModel& model) {
  if (model.screen == ScreenKind::valid && !model.test_mode) {
    // A production valid screen shows a patient's personal data: never to disk.
    logger.info("screenshot of the valid screen skipped (production mode)");
    return;
  }
  int w = 0;
  int h = 0;
  SDL_GetRendererOutputSize(renderer, &w, &h);
  std::vector<std::uint8_t> bgra(static_cast<std::size_t>(w) * h * 4);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ARGB8888, bgra.data(), w * 4) != 0) {
    logger.warn(std::string("screenshot failed: ") + SDL_GetError());
    return;
  }
  char name[64];
  std::snprintf(name, sizeof name, "%04d-%s.png", ++screenshot_count,
                std::string(screen_name(model.screen)).c_str());
  std::string error;
  if (!write_png(bgra.data(), w, h, w * 4, screenshot_dir / name, &error))
    logger.warn("screenshot: " + error);
}

std::vector<StaffAction> KioskWindow::poll(int timeout_ms, bool* quit) {
  std::vector<StaffAction> actions;
  SDL_Event event;
  bool waited = false;
  for (;;) {
    const int got = waited ? SDL_PollEvent(&event) : SDL_WaitEventTimeout(&event, timeout_ms);
    waited = true;
    if (!got) break;
    std::optional<StaffAction> action;
    switch (event.type) {
      case SDL_QUIT:
        if (quit) *quit = true;
        break;
      case SDL_KEYDOWN:
        if (!event.key.repeat) action = action_for_key(event.key.keysym.sym);
        break;
      case SDL_MOUSEBUTTONDOWN:
        if (event.button.which != SDL_TOUCH_MOUSEID) {
          action = action_at(state_->log, event.button.x, event.button.y);
        }
        break;
      case SDL_FINGERDOWN:
        action = action_at(state_->log, static_cast<int>(event.tfinger.x * state_->log.width),
                           static_cast<int>(event.tfinger.y * state_->log.height));
        break;
      default:
        break;
    }
    if (action) actions.push_back(*action);
  }
  return actions;
}

}  // namespace kakunin::ui
