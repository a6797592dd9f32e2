#include "phone_window.h"

#include <SDL.h>

#include <memory>

namespace kakunin::sample {
namespace {

struct SdlVideo {
  bool ok = SDL_InitSubSystem(SDL_INIT_VIDEO) == 0;
  ~SdlVideo() {
    if (ok) SDL_QuitSubSystem(SDL_INIT_VIDEO);
  }
};

bool quit_requested() {
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    if (event.type == SDL_QUIT) return true;
    if (event.type == SDL_KEYDOWN &&
        (event.key.keysym.sym == SDLK_ESCAPE || event.key.keysym.sym == SDLK_q)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool run_phone_window(MemberPage& page, const std::function<crypto::UnixSeconds()>& now, int scale,
                      std::string* error) {
  const SdlVideo video;
  const auto fail = [&](const char* what) {
    *error = std::string(what) + ": " + SDL_GetError();
    return false;
  };
  if (!video.ok) return fail("cannot open a window (no display? use --frames N --out DIR)");
  std::unique_ptr<SDL_Window, decltype(&SDL_DestroyWindow)> window(
      SDL_CreateWindow("資格確認書【web】 見本 — kakunin-sample", SDL_WINDOWPOS_CENTERED,
                       SDL_WINDOWPOS_CENTERED, kPhoneWidth, kPhoneHeight, SDL_WINDOW_ALLOW_HIGHDPI),
      SDL_DestroyWindow);
  if (!window) return fail("cannot create the window");
  // Linear filtering when the page (drawn at `scale`) is shown on a 1x window.
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
  std::unique_ptr<SDL_Renderer, decltype(&SDL_DestroyRenderer)> renderer(
      SDL_CreateRenderer(window.get(), -1, SDL_RENDERER_PRESENTVSYNC), SDL_DestroyRenderer);
  if (!renderer) return fail("cannot create a renderer");
  std::unique_ptr<SDL_Texture, decltype(&SDL_DestroyTexture)> texture(
      SDL_CreateTexture(renderer.get(), SDL_PIXELFORMAT_BGR24, SDL_TEXTUREACCESS_STREAMING,
                        kPhoneWidth * scale, kPhoneHeight * scale),
      SDL_DestroyTexture);
  if (!texture) return fail("cannot create a texture");

  crypto::UnixSeconds shown = -1;
  while (!quit_requested()) {
    const crypto::UnixSeconds t = now();
    if (t != shown) {
      const cv::Mat& frame = page.render(t);
      SDL_UpdateTexture(texture.get(), nullptr, frame.data, static_cast<int>(frame.step));
      SDL_RenderClear(renderer.get());
      SDL_RenderCopy(renderer.get(), texture.get(), nullptr, nullptr);
      SDL_RenderPresent(renderer.get());
      shown = t;
    }
    SDL_Delay(50);
  }
  return true;
}

}  // namespace kakunin::sample
