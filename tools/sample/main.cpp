// kakunin-sample: a TEST issuer for field tests. Makes a world of fictitious
// insurers and members, presentations of both profiles, revocations and key
// rotations. Nothing it makes passes on a production kiosk (every list is test).
#include "qr_png.h"
#include "sample_world.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

namespace {

using kakunin::crypto::UnixSeconds;
namespace sample = kakunin::sample;

UnixSeconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("kakunin-sample — TEST issuer for Kakunin field tests (sample material only)",
               "kakunin-sample");
  app.require_subcommand(1);
  std::string dir, member_id, profile = "issuer", png, insurer;
  std::optional<UnixSeconds> at;
  bool text = false;

  auto* init = app.add_subcommand("init", "Make a new TEST world in DIR");
  init->add_option("DIR", dir)->required();

  auto* present_cmd = app.add_subcommand("present", "Print or draw one presentation of a member");
  present_cmd->add_option("DIR", dir)->required();
  present_cmd->add_option("--member", member_id, "Member id from roster.toml")->required();
  present_cmd->add_option("--profile", profile, "issuer (online page) or holder (phone key)")
      ->check(CLI::IsMember({"issuer", "holder"}));
  present_cmd->add_option("--at", at, "Presentation time (Unix seconds; default now)");
  auto* as_text = present_cmd->add_flag("--text", text, "Print the QR text");
  auto* as_png = present_cmd->add_option("--png", png, "Write the QR as a PNG image");
  as_text->excludes(as_png);

  auto* revoke = app.add_subcommand("revoke", "Revoke a member's certificate and publish the list");
  revoke->add_option("DIR", dir)->required();
  revoke->add_option("--member", member_id)->required();

  auto* rotate = app.add_subcommand("rotate", "Give an insurer a new key and publish the list");
  rotate->add_option("DIR", dir)->required();
  rotate->add_option("--insurer", insurer, "保険者番号")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    const UnixSeconds now = system_now();
    if (*init) {
      const auto world = sample::SampleWorld::create(dir, now);
      std::cout << "TEST world written to " << dir << " (" << world.insurers.size() << " insurers, "
                << world.members.size() << " members). Pinned key: " << dir
                << "/keys/trustlist-signing.pub.pem\n";
    } else if (*present_cmd) {
      if (!text && png.empty()) throw std::runtime_error("give --text or --png FILE");
      const auto world = sample::SampleWorld::load(dir);
      const std::string qr = world.present(member_id, profile == "holder" ? kakunin::crypto::Profile::holder_bound
                                                                            : kakunin::crypto::Profile::issuer_signed,
                                           at.value_or(now));
      if (text) {
        std::cout << qr << '\n';
      } else {
        sample::write_qr_png(qr, png);
      }
    } else if (*revoke) {
      auto world = sample::SampleWorld::load(dir);
      world.revoke(member_id);
      world.publish(now);
      std::cout << "revoked " << member_id << "; lists published with sequence " << world.sequence << '\n';
    } else if (*rotate) {
      auto world = sample::SampleWorld::load(dir);
      world.rotate(insurer, now);
      world.publish(now);
      std::cout << "rotated the key of " << insurer << "; lists published with sequence "
                << world.sequence << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "kakunin-sample: error: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
