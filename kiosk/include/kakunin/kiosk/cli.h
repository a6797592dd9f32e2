// The `kakunin` command line, as a function so tests run it in-process.
//
//   std::ostringstream out, err;
//   const int status = kiosk::run_cli({"config", "check", "kakunin.toml"}, out, err);
//   if (status == kiosk::kExitSetup) show(err.str());  // one line: what to fix
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kakunin::kiosk {

// Exit statuses shared by every command.
inline constexpr int kExitOk = 0;       // every input valid / command succeeded
inline constexpr int kExitRefused = 1;  // at least one input refused
inline constexpr int kExitSetup = 2;    // usage or setup error (one-line reason on err)

// Runs `kakunin args...` (args excludes the program name).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace kakunin::kiosk
