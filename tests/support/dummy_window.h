// A 1024x768 kiosk window for tests, on SDL's dummy video driver unless the
// caller chose one (SDL_VIDEODRIVER=x11 under Xvfb works too): no display needed.
//
//   auto window = testing::open_dummy_window();          // nullptr (and a failure) if SDL fails
//   auto shots = testing::open_dummy_window(tmp_dir);    // writes a PNG per new screen
#pragma once

#include <kakunin/ui/screen.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace kakunin::testing {

inline std::unique_ptr<ui::KioskWindow> open_dummy_window(
    const std::filesystem::path& screenshot_dir = {}) {
  setenv("SDL_VIDEODRIVER", "dummy", 0);
  ui::WindowSettings settings;
  settings.fullscreen = false;
  settings.width = 1024;
  settings.height = 768;
  settings.screenshot_dir = screenshot_dir;
  std::string error;
  auto window = ui::KioskWindow::open(settings, &error);
  EXPECT_TRUE(window) << error;
  return window;
}

}  // namespace kakunin::testing
