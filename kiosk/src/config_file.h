// Reading the configuration for a command: every error goes to `err` as
// "FILE:LINE: key: message", and a broken file yields nothing (no command runs
// half-configured).
#pragma once

#include <kakunin/config/config.h>

#include <optional>
#include <ostream>
#include <string>

namespace kakunin::kiosk {

std::optional<config::KioskConfig> load_config_reporting(const std::string& file,
                                                         std::ostream& err);

}  // namespace kakunin::kiosk
