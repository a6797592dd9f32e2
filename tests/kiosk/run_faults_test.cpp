// `kakunin run` on a clinic's worst day (issue 16), the built program under the fault
// shim (tests/faults/README.md): the receipt computer's share hangs in every call,
// yet the kiosk verifies and answers, stops on SIGTERM within its stop timeout, and
// the hand-off it could not deliver waits in the outbox and arrives after a restart,
// once.
#include "child_process.h"
#include "kiosk_test_config.h"
#include "qr_image.h"
#include "test_world.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
constexpr std::int64_t kDay = 86400;

UnixSeconds wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void write(const fs::path& path, const crypto::Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

int count_files(const fs::path& folder, const std::string& extension) {
  int n = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(folder, ec)) {
    n += entry.is_regular_file() && entry.path().extension() == extension;
  }
  return n;
}

class RunUnderFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "kakunin-run-faults-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    for (const char* sub : {"trust", "counter", "share/res"}) fs::create_directories(dir / sub);
    const UnixSeconds now = wall_now();
    world.trust_spec.header = {9, now - kDay, now + 6 * kDay, true};
    world.revocation_spec.header = world.trust_spec.header;
    for (auto& issuer : world.trust_spec.issuers) {
      for (auto& key : issuer.keys)
        key.not_before = now - 365 * kDay, key.not_after = now + 365 * kDay;
    }
    write(dir / "trust" / "trustlist.cose",
          signer::make_trust_list(world.trust_spec, world.list_key));
    write(dir / "trust" / "revocations.cose",
          signer::make_revocation_list(world.revocation_spec, world.list_key));
    std::ofstream(dir / "pinned.pem") << world.list_key.public_pem();
    crypto::Certificate member = world.member_of(world.es256_insurer);
    member.issued = crypto::CalendarDate::japan_date_at(now - 30 * kDay);
    member.valid_until = crypto::CalendarDate::japan_date_at(now + 365 * kDay);
    const std::string qr = signer::to_qr_text(signer::make_issuer_presentation(
        {member, now, 300, signer::random_cti()}, world.es256_insurer.key));
    cv::imwrite((dir / "counter" / "member.png").string(), qr_image(qr));
    std::ofstream(dir / "kakunin.toml") << image_folder_kiosk_config(dir, dir / "share/res");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove(dir / "share-down", ec);  // lets a call still stuck in the shim return
    fs::remove_all(dir, ec);
  }
  fs::path program() const { return fs::path(KAKUNIN_BINARY_DIR) / "kakunin"; }
  std::vector<std::string> run_args(bool until_source_ends) const {
    std::vector<std::string> args{"run", "--config", (dir / "kakunin.toml").string(), "--headless"};
    if (until_source_ends) args.push_back("--until-source-ends");
    return args;
  }

  fs::path dir;
  TestWorld world{/*test_lists=*/true};
};

TEST_F(RunUnderFaults, HungShareNeitherBlocksTheCounterNorTheStopNorLosesTheHandOff) {
  // The share hangs in every call from the start, as a dead SMB server does.
  std::ofstream(dir / "share-down") << "down";
  const auto share =
      FaultSettings(dir / "share").while_exists(dir / "share-down").log_to(dir / "faults.log");
  {
    ChildProcess kiosk(program(), run_args(false), fault_environment(share));
    ASSERT_TRUE(kiosk.started());
    // The counter answers: the verdict comes although the share never answers.
    const auto line = kiosk.wait_for_line("{", 60s);
    ASSERT_TRUE(line) << "no verdict: the counter is blocked";
    EXPECT_EQ(nlohmann::json::parse(*line)["verdict"], "valid");
    ASSERT_TRUE(file_has_line(dir / "faults.log", "hang", 60s)) << "the share was never touched";

    const auto asked_to_stop = std::chrono::steady_clock::now();
    kiosk.kill(SIGTERM);
    const auto status = kiosk.wait(30s);
    ASSERT_TRUE(status) << "SIGTERM did not stop the kiosk within 30 s";
    EXPECT_LT(std::chrono::steady_clock::now() - asked_to_stop, 20s)
        << "the hand-off's stop timeout is 5 s; systemd's is 20";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  }
  EXPECT_EQ(count_files(dir / "share/res", ".json"), 0);
  EXPECT_GE(count_files(dir / "outbox", ".json"), 1) << "the hand-off waits in the outbox";

  // The share is back and the kiosk restarts (the photo is gone): the waiting
  // hand-off arrives, once.
  fs::remove(dir / "share-down");
  fs::remove(dir / "counter" / "member.png");
  ChildProcess again(program(), run_args(true));
  const auto status = again.wait(60s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  EXPECT_EQ(count_files(dir / "share/res", ".json"), 1);
}

}  // namespace
}  // namespace kakunin::testing
