// The kakunin.toml the `kakunin run` tests start from: a TEST kiosk reading an
// image folder, with its trust state, audit log and outbox in one test folder and
// an automatic JSON hand-off.
//
//   std::ofstream(dir / "kakunin.toml") << image_folder_kiosk_config(dir, dir / "res");
#pragma once

#include <filesystem>
#include <sstream>
#include <string>

namespace kakunin::testing {

// `dir` holds pinned.pem, trust/, counter/ (the images), audit.sqlite, audit.key
// and outbox/; `json_dir` receives the hand-off's JSON files.
inline std::string image_folder_kiosk_config(const std::filesystem::path& dir,
                                             const std::filesystem::path& json_dir) {
  std::ostringstream c;
  c << "[kiosk]\nid = \"desk-1\"\nmode = \"test\"\n"
    << "[trust]\npinned_keys = [\"" << (dir / "pinned.pem").string() << "\"]\n"
    << "state_dir = \"" << (dir / "trust").string() << "\"\n"
    << "[capture]\nkind = \"image_folder\"\ndevice = \"" << (dir / "counter").string() << "\"\n"
    << "[audit]\ndatabase = \"" << (dir / "audit.sqlite").string() << "\"\n"
    << "secret_file = \"" << (dir / "audit.key").string() << "\"\n"
    << "[handoff]\nenabled = true\ntrigger = \"automatic\"\njson_dir = \"" << json_dir.string()
    << "\"\noutbox_dir = \"" << (dir / "outbox").string() << "\"\n";
  return c.str();
}

}  // namespace kakunin::testing
