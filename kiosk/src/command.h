// How a `kakunin` sub-command joins the CLI: it declares its options on the parent
// app and returns the function that runs it once parsed. Each command lives in its
// own file; run_cli() only lists them.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <ostream>

namespace kakunin::kiosk {

struct Command {
  CLI::App* app = nullptr;  // the sub-command, owned by the parent app
  std::function<int(std::ostream& out, std::ostream& err)> run;
};

}  // namespace kakunin::kiosk
