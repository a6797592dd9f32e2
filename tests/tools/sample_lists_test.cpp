// Keeping a sample world's lists usable through a long field test.
#include "sample_fixture.h"

namespace kakunin::sample::testing {
namespace {

using crypto::Profile;

class ListsTest : public SampleWorldTest {};

TEST_F(ListsTest, PublishKeepsAWorldUsableWeeksLater) {
  const crypto::UnixSeconds later = kNow + 20L * 86400;  // past 7 days + 7 days' grace
  const std::string qr = SampleWorld::load(dir).present("taro", Profile::issuer_signed, later);
  EXPECT_EQ(text_verdict(qr, {.now = later}), "no_trust_list");
  const std::uint64_t before = SampleWorld::load(dir).sequence;
  const auto run = sample_cli({"publish", dir.string(), "--at", std::to_string(later)});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(SampleWorld::load(dir).sequence, before + 1);
  EXPECT_EQ(text_verdict(qr, {.now = later}), "valid");
}

TEST_F(ListsTest, HolderPresentationsVerifyRightAfterARotation) {
  ASSERT_EQ(
      sample_cli({"rotate", dir.string(), "--insurer", "138057", "--at", std::to_string(kNow)})
          .status,
      0);
  const auto world = SampleWorld::load(dir);
  EXPECT_EQ(text_verdict(world.present("jiro", Profile::holder_bound, kNow + 5), {.now = kNow + 5}),
            "valid");
}

TEST_F(ListsTest, CertificatesOfANewWorldAreValidForAYear) {
  for (const auto& m : SampleWorld::load(dir).members) {
    const auto issued_at = kNow - 86400;
    EXPECT_LE(m.certificate.issued, crypto::CalendarDate::japan_date_at(issued_at)) << m.id;
    EXPECT_GE(m.certificate.valid_until,
              crypto::CalendarDate::japan_date_at(issued_at + 364L * 86400))
        << m.id;
  }
}

TEST_F(ListsTest, PresentPrintsAndDrawsCodesThatVerifyInBothProfiles) {
  for (const char* profile : {"issuer", "holder"}) {
    const auto text = sample_cli({"present", dir.string(), "--member", "ume", "--profile", profile,
                                  "--at", std::to_string(kNow), "--text"});
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_EQ(text_verdict(text.out.substr(0, text.out.find('\n'))), "valid") << profile;
    const fs::path png = dir / (std::string(profile) + ".png");
    const auto drawn = sample_cli({"present", dir.string(), "--member", "ume", "--profile", profile,
                                   "--at", std::to_string(kNow), "--png", png.string()});
    ASSERT_EQ(drawn.status, 0) << drawn.err;
    EXPECT_EQ(verdicts({png.string()}, {}), std::vector<std::string>{"valid"}) << profile;
    EXPECT_EQ(verdicts({png.string()}, {.mode = "production"}),
              std::vector<std::string>{"test_material"})
        << profile;
  }
}

TEST_F(ListsTest, PresentAfterRevokeAndRotateGivesTheNewVerdicts) {
  ASSERT_EQ(
      sample_cli({"revoke", dir.string(), "--member", "ume", "--at", std::to_string(kNow - 60)})
          .status,
      0);
  ASSERT_EQ(sample_cli({"rotate", dir.string(), "--insurer", "39130018", "--at",
                        std::to_string(kNow - 30)})
                .status,
            0);
  for (const char* profile : {"issuer", "holder"}) {
    const auto ume = sample_cli({"present", dir.string(), "--member", "ume", "--profile", profile,
                                 "--at", std::to_string(kNow), "--text"});
    EXPECT_EQ(text_verdict(ume.out.substr(0, ume.out.find('\n'))), "revoked") << profile;
    const auto taro = sample_cli({"present", dir.string(), "--member", "taro", "--profile", profile,
                                  "--at", std::to_string(kNow), "--text"});
    EXPECT_EQ(text_verdict(taro.out.substr(0, taro.out.find('\n'))), "valid") << profile;
  }
}

}  // namespace
}  // namespace kakunin::sample::testing
