// kakunin-demo: the kiosk's main job on built-in sample data, no camera and no
// setup. A TEST world is made at start; members' phones (the synthetic camera
// source) present the scripted QRs of DemoWorld, and every frame goes through the
// kiosk's real pipeline: render → FramePump → DecodeStage → Verifier →
// StateMachine → screen. In a window when a display exists; headless it prints
// one JSON line per verdict instead and fails when a verdict differs from the
// script.
//
//   demo::DemoOptions options;
//   options.headless = true;
//   options.rounds = 1;
//   return demo::run_demo(options, std::cout, std::cerr);  // 0: every verdict as scripted
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace kakunin::demo {

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
  double difficulty = 0.35;  // 0: a perfect phone; 1: as bad as it gets
  bool quiet = false;        // no tones
};

// 0 when done (with rounds: every scene judged as scripted), 1 when a verdict
// differed, 2 on a setup error.
int run_demo(const DemoOptions& options, std::ostream& out, std::ostream& err);

}  // namespace kakunin::demo
