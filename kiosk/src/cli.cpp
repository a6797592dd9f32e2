#include <kakunin/kiosk/cli.h>

#include "verify_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace kakunin::kiosk {
namespace {

void add_verify(CLI::App& app, VerifyOptions& options) {
  CLI::App* verify = app.add_subcommand(
      "verify", "Verify JHC1 QR codes (text or images) against a trust list and revocation list");
  verify->add_option("--trust-list", options.trust_list_path, "Signed trust list (trustlist.cose)")
      ->required();
  verify->add_option("--revocations", options.revocations_path,
                     "Signed revocation list (revocations.cose)")
      ->required();
  verify->add_option("--pinned-key", options.pinned_key_paths,
                     "PEM public key that signs trust lists (give the option once or twice)")
      ->required()
      ->allow_extra_args(false);  // one value per occurrence: a following image is not a key
  verify->add_option("--mode", options.mode, "production (default) or test")
      ->check(CLI::IsMember({"production", "test"}));
  verify->add_option("--now", options.now, "Verify as of this Unix time (replaying field captures)");
  verify->add_flag("--skip-freshness", options.skip_freshness,
                   "Test mode only: accept printed sample sheets that cannot stay fresh");
  verify->add_flag("--json", options.json, "One JSON object per QR on its own line");
  verify->add_option("--text", options.text, "The QR text itself");
  verify->add_option("images", options.images, "PNG, JPEG or WebP images holding QR codes");
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app("Kakunin — verifies signed 資格確認書【web】 QR codes", "kakunin");
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  VerifyOptions verify_options;
  add_verify(app, verify_options);

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
  if (app.got_subcommand("verify")) return run_verify(verify_options, out, err);
  // No command: a usage error, so the usage goes where errors go.
  err << app.help();
  return kExitSetup;
}

}  // namespace kakunin::kiosk
