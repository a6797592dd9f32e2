#include <kakunin/kiosk/cli.h>

#include "audit_command.h"
#include "command.h"
#include "demo_command.h"
#include "run_command.h"
#include "config_command.h"
#include "sync_command.h"
#include "verify_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace kakunin::kiosk {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app("Kakunin — verifies signed 資格確認書【web】 QR codes", "kakunin");
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  // One line per command; each command's options and behaviour live in its own file.
  const std::vector<Command> commands = {
      add_verify_command(app),
      add_demo_command(app),
      add_run_command(app),
      add_config_command(app),
      add_audit_command(app),
      add_sync_command(app),
  };

  // CLI11 takes its argument vector in reverse order.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);  // prints the help of the right (sub)command
  } catch (const CLI::ParseError& e) {
    err << "kakunin: error: " << e.what() << '\n';
    return kExitSetup;
  }
  if (show_version) {
    out << "kakunin " << KAKUNIN_VERSION << '\n';
    return kExitOk;
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run(out, err);
  }
  // No command: a usage error, so the usage goes where errors go.
  err << app.help();
  return kExitSetup;
}

}  // namespace kakunin::kiosk
