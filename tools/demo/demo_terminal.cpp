#include "demo_terminal.h"

#include "oqs_terminal.h"

#include <stdlib.h>

#include <system_error>

namespace kakunin::demo {
namespace {

// The demo's roster in the sample world's shape, which the simulator answers from.
sample::SampleWorld roster_world(const DemoWorld& world) {
  sample::SampleWorld roster;
  int id = 0;
  for (const DemoMember& member : world.roster()) {
    roster.members.push_back({"member-" + std::to_string(++id), member.certificate, {}});
    roster.insurers.push_back({member.certificate.insurer_number, member.insurer_name, {}, {}});
  }
  return roster;
}

}  // namespace

std::unique_ptr<DemoTerminal> DemoTerminal::start(const DemoWorld& world, std::string* error) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "kakunin-demo-oqs-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    *error = "cannot make a folder for the demo's 資格確認端末";
    return nullptr;
  }
  const std::filesystem::path root = pattern;
  std::error_code ec;
  std::filesystem::create_directory(root / "req", ec);
  std::filesystem::create_directory(root / "res", ec);
  sample::TerminalOptions options;
  options.req_dir = root / "req";
  options.res_dir = root / "res";
  auto simulator = std::make_unique<sample::TerminalSimulator>(roster_world(world), options);
  return std::unique_ptr<DemoTerminal>(new DemoTerminal(root, std::move(simulator)));
}

DemoTerminal::DemoTerminal(std::filesystem::path root,
                           std::unique_ptr<sample::TerminalSimulator> simulator)
    : root_(std::move(root)), simulator_(std::move(simulator)) {
  thread_ = std::thread([this] { simulator_->run(stop_); });
}

DemoTerminal::~DemoTerminal() {
  stop_ = true;
  thread_.join();
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

config::OnlineSettings DemoTerminal::settings() const {
  config::OnlineSettings settings;
  settings.enabled = true;
  settings.req_dir = root_ / "req";
  settings.res_dir = root_ / "res";
  settings.medical_institution_code = "1312345678";
  return settings;
}

}  // namespace kakunin::demo
