// `kakunin ARGS...` run in-process, with what it printed: for tests of commands.
#pragma once

#include <kakunin/kiosk/cli.h>

#include <sstream>
#include <string>
#include <vector>

namespace kakunin::testing {

struct CliRun {
  int status = 0;
  std::string out;
  std::string err;
};

inline CliRun run_kakunin(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int status = kiosk::run_cli(args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace kakunin::testing
