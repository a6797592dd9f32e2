// The `kakunin-sample` command line, as a function so tests run it in-process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kakunin::sample {

// Runs `kakunin-sample args...` (args excludes the program name). Exit status 0
// on success, 2 for a usage or setup error (one line on `err`).
int run_sample_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace kakunin::sample
