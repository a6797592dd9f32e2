// A fresh sample world per test and `kakunin verify` run in-process against it.
#pragma once

#include "sample_cli.h"
#include "sample_world.h"

#include <kakunin/kiosk/cli.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

namespace kakunin::sample::testing {

namespace fs = std::filesystem;

inline constexpr crypto::UnixSeconds kNow = 1795132800;  // 2026-11-19T21:20:00Z

struct CliRun {
  int status = 0;
  std::string out;
  std::string err;
};

inline CliRun sample_cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int status = run_sample_cli(args, out, err);
  return {status, out.str(), err.str()};
}

// A new folder of its own (mkdtemp): two test runs at once on one machine never
// share, or delete, each other's sample world.
inline fs::path private_folder() {
  std::string pattern = (fs::temp_directory_path() / "kakunin-sample-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

class SampleWorldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = private_folder();
    SampleWorld::create(dir, created_at());
  }
  // When the world is made; tests that run at the real time override it.
  virtual crypto::UnixSeconds created_at() const { return kNow - 86400; }
  void TearDown() override { fs::remove_all(dir); }

  struct VerifyOptions {
    std::string mode = "test";
    crypto::UnixSeconds now = kNow;
    bool skip_freshness = false;
  };

  // Runs `kakunin verify --json` and returns each QR's verdict ("no_qr_found" for
  // an image without one; "setup error: ..." when verify could not run).
  std::vector<std::string> verdicts(const std::vector<std::string>& inputs,
                                    const VerifyOptions& o) const {
    std::vector<std::string> args = {"verify",
                                     "--trust-list",
                                     (dir / "trustlist.cose").string(),
                                     "--revocations",
                                     (dir / "revocations.cose").string(),
                                     "--pinned-key",
                                     (dir / "keys/trustlist-signing.pub.pem").string(),
                                     "--mode",
                                     o.mode,
                                     "--now",
                                     std::to_string(o.now),
                                     "--json"};
    if (o.skip_freshness) args.push_back("--skip-freshness");
    args.insert(args.end(), inputs.begin(), inputs.end());
    std::ostringstream out, err;
    kiosk::run_cli(args, out, err);
    if (out.str().empty()) return {"setup error: " + err.str()};
    std::vector<std::string> found;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
      const auto j = nlohmann::json::parse(line);
      found.push_back(j["verdict"].is_null() ? j["error"].get<std::string>()
                                             : j["verdict"].get<std::string>());
    }
    return found;
  }

  std::string text_verdict(const std::string& qr, const VerifyOptions& o) const {
    const auto v = verdicts({"--text", qr}, o);
    return v.size() == 1 ? v[0] : "expected one verdict";
  }
  std::string text_verdict(const std::string& qr) const { return text_verdict(qr, {}); }

  fs::path dir;
};

}  // namespace kakunin::sample::testing
