// `kakunin config check|show [FILE]`: check a configuration file, or print the
// effective configuration with every default filled in (docs/configuration.md).
#pragma once

#include "command.h"

#include <ostream>
#include <string>

namespace kakunin::kiosk {

struct ConfigOptions {
  std::string file;  // default: /etc/kakunin/kakunin.toml
  bool show = false;
};

// check: "FILE: OK" and 0, or one "FILE:LINE: key: message" per error on err and 2.
// show: the configuration as TOML on out and 0, or the errors and 2.
int run_config(const ConfigOptions& options, std::ostream& out, std::ostream& err);

// Declares `config` with its sub-commands `check` and `show` on `app`.
Command add_config_command(CLI::App& app);

}  // namespace kakunin::kiosk
