// `kakunin verify`: verify QR texts or images against given trust material.
#pragma once

#include "command.h"

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kakunin::kiosk {

struct VerifyOptions {
  std::string trust_list_path;
  std::string revocations_path;
  std::vector<std::string> pinned_key_paths;
  std::string mode = "production";
  std::optional<crypto::UnixSeconds> now;
  bool skip_freshness = false;
  bool json = false;
  std::optional<std::string> text;
  std::vector<std::string> images;
};

int run_verify(const VerifyOptions& options, std::ostream& out, std::ostream& err);

// Declares `verify` and its options on `app`.
Command add_verify_command(CLI::App& app);

}  // namespace kakunin::kiosk
