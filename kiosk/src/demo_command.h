// `kakunin demo`: the kiosk's main job on built-in sample data, no camera and no
// setup. A TEST world is made at start; members' phones (the synthetic camera
// source) present the scripted QRs of DemoWorld, and every frame goes through the
// real pipeline: render → FramePump → DecodeStage → Verifier → StateMachine →
// screen. In a window when a display exists; --headless prints one JSON line per
// verdict instead and exits non-zero when a verdict differs from the script.
#pragma once

#include "command.h"

#include <cstdint>
#include <string>

namespace kakunin::kiosk {

struct DemoOptions {
  bool headless = false;
  bool fullscreen = false;
  int width = 1280;
  int height = 800;
  int rounds = 0;              // 0: loop until the window is closed
  double show_seconds = 5.0;   // how long each phone is held up
  double gap_seconds = 2.0;    // the empty counter between members
  std::string screenshot_dir;  // a PNG of each screen as it is shown
  std::string language = "ja";
  std::uint64_t seed = 1;
  double difficulty = 0.35;    // 0: a perfect phone; 1: as bad as it gets
  bool quiet = false;          // no tones
};

int run_demo(const DemoOptions& options, std::ostream& out, std::ostream& err);

Command add_demo_command(CLI::App& app);

}  // namespace kakunin::kiosk
