#include "config_file.h"

#include <variant>

namespace kakunin::kiosk {

std::optional<config::KioskConfig> load_config_reporting(const std::string& file,
                                                         std::ostream& err) {
  config::LoadResult loaded = config::load_file(file);
  if (const auto* errors = std::get_if<std::vector<config::ConfigError>>(&loaded)) {
    for (const config::ConfigError& error : *errors)
      err << config::format_error(error, file) << '\n';
    return std::nullopt;
  }
  return std::get<config::KioskConfig>(std::move(loaded));
}

}  // namespace kakunin::kiosk
