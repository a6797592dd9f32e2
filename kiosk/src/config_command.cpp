#include "config_command.h"

#include "config_file.h"

#include <kakunin/config/config.h>
#include <kakunin/kiosk/cli.h>

#include <memory>
#include <variant>

namespace kakunin::kiosk {

int run_config(const ConfigOptions& options, std::ostream& out, std::ostream& err) {
  const std::string& file = options.file;
  const auto loaded = load_config_reporting(file, err);
  if (!loaded) return kExitSetup;
  const config::KioskConfig& settings = *loaded;
  if (options.show) {
    out << "# Effective configuration of " << file << " (defaults filled in)\n"
        << config::to_toml(settings);
  } else {
    out << file << ": OK\n";
  }
  return kExitOk;
}

Command add_config_command(CLI::App& app) {
  auto options = std::make_shared<ConfigOptions>();
  options->file = config::kDefaultConfigPath;
  CLI::App* command =
      app.add_subcommand("config", "Check a configuration file or show the effective settings");
  command->require_subcommand(1);
  CLI::App* check = command->add_subcommand(
      "check", "Check FILE: print FILE: OK, or every error with its line (exit 2)");
  CLI::App* show = command->add_subcommand(
      "show", "Print the effective configuration of FILE, with defaults filled in");
  for (CLI::App* sub : {check, show}) {
    sub->add_option("file", options->file, "The configuration file")->capture_default_str();
  }
  return {command, [options, show](std::ostream& out, std::ostream& err) {
            options->show = show->parsed();
            return run_config(*options, out, err);
          }};
}

}  // namespace kakunin::kiosk
