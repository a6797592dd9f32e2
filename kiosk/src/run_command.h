// `kakunin run --config FILE`: the production loop. Reads the configuration (a
// broken file never starts a half-working kiosk), loads the held trust material
// and syncs it in the background, opens the audit log and the hand-off, starts
// the camera or scanner, and shows the kiosk screens until stopped (SIGTERM).
#pragma once

#include "command.h"

#include <string>

namespace kakunin::kiosk {

struct RunOptions {
  std::string config_path;
  bool windowed = false;           // a window instead of fullscreen (installation, support)
  bool headless = false;           // no screen: one JSON line per verdict, no personal data
  bool until_source_ends = false;  // stop when an image folder or video is read to its end
  std::string screenshot_dir;      // a PNG of each screen (valid ones only in test mode)
};

int run_kiosk(const RunOptions& options, std::ostream& out, std::ostream& err);

Command add_run_command(CLI::App& app);

}  // namespace kakunin::kiosk
