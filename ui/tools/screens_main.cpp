// kakunin-screens: renders every kiosk screen (Japanese) at 1024×768 and
// 1920×1080 into a folder (docs/screens/ in the repository); --english adds the
// English screens at 1024×768 for reviewing the translation.
//
//   build/kakunin-screens docs/screens
//   build/kakunin-screens --english /tmp/screens-en
//
// No display needed: drawing is offscreen (SDL software renderer).
#include "sample_screens.h"

#include <kakunin/ui/screen.h>

#include <filesystem>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  using namespace kakunin::ui;
  const bool english = argc == 3 && std::string(argv[1]) == "--english";
  if ((argc != 2 && !english) || std::string(argv[1]) == "--help") {
    std::cerr << "usage: kakunin-screens [--english] OUTPUT_DIR\n"
                 "Renders every kiosk screen (sample data) as PNG at 1024x768 and 1920x1080.\n";
    return argc == 2 ? 0 : 2;
  }
  const std::filesystem::path dir = argv[argc - 1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "kakunin-screens: cannot create " << dir << ": " << ec.message() << "\n";
    return 1;
  }
  const kakunin::frame::Frame frame = samples::sample_frame();
  const kakunin::frame::FrameView preview = frame.view();
  int written = 0;
  for (const auto& [w, h] : {std::pair{1024, 768}, std::pair{1920, 1080}}) {
    std::string error;
    auto screen = OffscreenScreen::create(w, h, &error);
    if (!screen) {
      std::cerr << "kakunin-screens: " << error << "\n";
      return 1;
    }
    for (Language language : {Language::japanese, Language::english}) {
      // English only on request and at one size: enough to review the translation.
      if (language == Language::english && (!english || w != 1024)) continue;
      for (const samples::SampleScreen& sample : samples::sample_screens(language)) {
        screen->draw(sample.model, sample.with_preview ? &preview : nullptr);
        const std::string name = sample.name + (language == Language::english ? "-en" : "") + "-" +
                                 std::to_string(w) + "x" + std::to_string(h) + ".png";
        if (!screen->save_png(dir / name, &error, PngColours::palette)) {
          std::cerr << "kakunin-screens: " << error << "\n";
          return 1;
        }
        ++written;
      }
    }
  }
  std::cout << "kakunin-screens: wrote " << written << " screens to " << dir.string() << "\n";
  return 0;
}
