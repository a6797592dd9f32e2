#include <kakunin/kiosk/cli.h>

#include "audit_command.h"
#include "command.h"
#include "config_command.h"
#include "run_command.h"
#include "sync_command.h"
#include "verify_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace kakunin::kiosk {
namespace {

// The demo signs its TEST world, so it is a program of its own (kakunin-demo) and
// not part of the kiosk. Someone typing the old `kakunin demo` is told where it
// went; the command is not listed in --help.
Command add_demo_pointer(CLI::App& app) {
  CLI::App* demo = app.add_subcommand("demo", "");
  demo->group("");
  demo->set_help_flag();
  demo->allow_extras();
  return {demo, [](std::ostream&, std::ostream& err) {
            err << "kakunin: the demo is its own program, kakunin-demo (tools/demo.sh in the "
                   "source tree "
                   "builds and runs it); the kiosk holds no TEST issuer\n";
            return kExitSetup;
          }};
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app("Kakunin — verifies signed 資格確認書【web】 QR codes", "kakunin");
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  // One line per command; each command's options and behaviour live in its own file.
  const std::vector<Command> commands = {
      add_verify_command(app), add_demo_pointer(app),  add_run_command(app),
      add_config_command(app), add_audit_command(app), add_sync_command(app),
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
