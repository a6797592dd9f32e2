// What kakunin-sample makes is verified by `kakunin verify` with the verdict a
// field tester expects, and never passes on a production kiosk.
#include "sample_fixture.h"
#include "sample_world.h"

#include <kakunin/kiosk/cli.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

namespace kakunin::sample {
namespace {

namespace fs = std::filesystem;
using crypto::Profile;

using testing::kNow;
using testing::private_folder;

class SampleToolkit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = private_folder();
    SampleWorld::create(dir, kNow - 86400);
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string verdict(const std::string& qr, const std::string& mode = "test") const {
    std::ostringstream out, err;
    kiosk::run_cli({"verify", "--trust-list", (dir / "trustlist.cose").string(), "--revocations",
                    (dir / "revocations.cose").string(), "--pinned-key",
                    (dir / "keys/trustlist-signing.pub.pem").string(), "--mode", mode, "--now",
                    std::to_string(kNow), "--json", "--text", qr},
                   out, err);
    if (out.str().empty()) return "setup error: " + err.str();
    return nlohmann::json::parse(out.str())["verdict"];
  }

  fs::path dir;
};

TEST_F(SampleToolkit, EveryMemberVerifiesInBothProfiles) {
  const auto world = SampleWorld::load(dir);
  ASSERT_GE(world.members.size(), 4u);
  for (const auto& member : world.members) {
    for (const Profile profile : {Profile::issuer_signed, Profile::holder_bound}) {
      EXPECT_EQ(verdict(world.present(member.id, profile, kNow)), "valid") << member.id;
    }
  }
}

TEST_F(SampleToolkit, NothingItMakesPassesInProduction) {
  const auto world = SampleWorld::load(dir);
  EXPECT_EQ(verdict(world.present("taro", Profile::issuer_signed, kNow), "production"),
            "test_material");
  EXPECT_EQ(verdict(world.present("jiro", Profile::holder_bound, kNow), "production"),
            "test_material");
}

TEST_F(SampleToolkit, RevokedMemberIsRefusedAfterTheNewListIsPublished) {
  auto world = SampleWorld::load(dir);
  const std::uint64_t before = world.sequence;
  world.revoke("hanako");
  world.publish(kNow - 60);
  const auto reloaded = SampleWorld::load(dir);
  EXPECT_EQ(reloaded.sequence, before + 1);
  EXPECT_EQ(verdict(reloaded.present("hanako", Profile::issuer_signed, kNow)), "revoked");
  EXPECT_EQ(verdict(reloaded.present("hanako", Profile::holder_bound, kNow)), "revoked");
  EXPECT_EQ(verdict(reloaded.present("taro", Profile::issuer_signed, kNow)), "valid");
}

TEST_F(SampleToolkit, RotationRetiresTheOldKeyAndTheNewOneVerifies) {
  auto world = SampleWorld::load(dir);
  const auto old_key = world.signing_key(world.insurer("138057"));
  world.rotate("138057", kNow - 60);
  world.publish(kNow - 60);
  const auto reloaded = SampleWorld::load(dir);
  EXPECT_EQ(verdict(reloaded.present("jiro", Profile::issuer_signed, kNow)), "valid");
  // A page still signing with the retired key is refused.
  const auto& jiro = reloaded.member("jiro");
  const auto stale_signer = signer::to_qr_text(
      signer::make_issuer_presentation({jiro.certificate, kNow, 300, jiro.cti}, old_key));
  EXPECT_EQ(verdict(stale_signer), "key_out_of_period");
}

TEST_F(SampleToolkit, PrivateKeysAreReadableByTheOwnerOnly) {
  for (const auto& entry : fs::directory_iterator(dir / "keys")) {
    if (entry.path().string().ends_with(".key.pem")) {
      EXPECT_EQ(entry.status().permissions() & (fs::perms::group_all | fs::perms::others_all),
                fs::perms::none)
          << entry.path();
    }
  }
}

TEST_F(SampleToolkit, EveryNameSaysItIsASample) {
  for (const auto& member : SampleWorld::load(dir).members) {
    EXPECT_NE(member.certificate.name.find("見本"), std::string::npos) << member.id;
  }
}

TEST_F(SampleToolkit, RefusesToOverwriteAWorld) {
  EXPECT_THROW(SampleWorld::create(dir, kNow), std::runtime_error);
}

}  // namespace
}  // namespace kakunin::sample
