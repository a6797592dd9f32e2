// kakunin-demo: the scripted counter on built-in TEST data (README, quick start).
// A program of its own because it signs its TEST world: the production kakunin
// holds no issuer.
#include "demo_counter.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

int run(int argc, char** argv) {
  kakunin::demo::DemoOptions options;
  CLI::App app(
      "kakunin-demo — a scripted counter on built-in TEST data through the kiosk's real pipeline "
      "(no camera, no setup)",
      "kakunin-demo");
  app.add_flag("--headless", options.headless, "No window: one JSON line per verdict");
  app.add_flag("--fullscreen", options.fullscreen, "Fill the display as a kiosk does");
  app.add_option("--width", options.width, "Window width")->check(CLI::Range(640, 7680));
  app.add_option("--height", options.height, "Window height")->check(CLI::Range(480, 4320));
  app.add_option("--rounds", options.rounds,
                 "Stop after this many rounds of the script and exit 1 if any verdict differed "
                 "(default: loop until closed)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--show-seconds", options.show_seconds, "How long each phone is held up")
      ->check(CLI::Range(0.5, 60.0));
  app.add_option("--gap-seconds", options.gap_seconds, "Empty counter between members")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--screenshot-dir", options.screenshot_dir, "Write a PNG of each screen shown");
  app.add_option("--language", options.language, "ja (default) or en")
      ->check(CLI::IsMember({"ja", "en"}));
  app.add_option("--seed", options.seed, "Seed of the synthetic camera");
  app.add_option("--difficulty", options.difficulty, "0 (perfect phone) to 1 (worst)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--quiet", options.quiet, "No tones");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "kakunin-demo: error: " << e.what() << '\n';
    return 2;
  }
  return kakunin::demo::run_demo(options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // out of memory, or a bug: say so, never abort silently
    std::cerr << "kakunin-demo: error: " << e.what() << '\n';
    return 1;
  }
}
