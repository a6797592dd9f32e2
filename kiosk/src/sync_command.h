// `kakunin sync --once`: one sync round of the trust list and revocation list, for
// operators and the clinic's IT vendor (the kiosk service syncs in the background).
#pragma once

#include "command.h"

#include <kakunin/config/config.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kakunin::kiosk {

struct SyncOptions {
  bool once = false;
  std::string config_path;  // empty: built-in defaults plus the flags below
  // Each given flag overrides the configuration file's value.
  std::optional<std::string> trust_list_url;
  std::optional<std::string> revocations_url;
  std::optional<std::string> state_dir;
  std::vector<std::string> pinned_key_paths;
  std::optional<std::string> ca_file;
  std::optional<std::string> public_key_pin;
  std::optional<std::string> proxy;
  std::optional<std::string> mode;
  std::optional<int> retries;
};

// The configuration the round runs with: the file (when given) with the flags
// applied; nullopt with the reasons on `err` otherwise.
std::optional<config::KioskConfig> sync_config(const SyncOptions& options, std::ostream& err);

int run_sync(const SyncOptions& options, std::ostream& out, std::ostream& err);

// Declares `sync` and its options on `app`.
Command add_sync_command(CLI::App& app);

}  // namespace kakunin::kiosk
