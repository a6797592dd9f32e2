// Keeping a sample world's lists usable through a long field test.
#include "sample_fixture.h"

namespace kakunin::sample::testing {
namespace {

using crypto::Profile;

class ListsTest : public SampleWorldTest {};

TEST_F(ListsTest, PublishKeepsAWorldUsableWeeksLater) {
  const crypto::UnixSeconds later = kNow + 20 * 86400;  // past 7 days + 7 days' grace
  const std::string qr = SampleWorld::load(dir).present("taro", Profile::issuer_signed, later);
  EXPECT_EQ(text_verdict(qr, {.now = later}), "no_trust_list");
  const std::uint64_t before = SampleWorld::load(dir).sequence;
  const auto run = sample_cli({"publish", dir.string(), "--at", std::to_string(later)});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(SampleWorld::load(dir).sequence, before + 1);
  EXPECT_EQ(text_verdict(qr, {.now = later}), "valid");
}

TEST_F(ListsTest, HolderPresentationsVerifyRightAfterARotation) {
  ASSERT_EQ(sample_cli({"rotate", dir.string(), "--insurer", "138057", "--at", std::to_string(kNow)}).status, 0);
  const auto world = SampleWorld::load(dir);
  EXPECT_EQ(text_verdict(world.present("jiro", Profile::holder_bound, kNow + 5), {.now = kNow + 5}), "valid");
}

TEST_F(ListsTest, CertificatesOfANewWorldAreValidForAYear) {
  for (const auto& m : SampleWorld::load(dir).members) {
    const auto issued_at = kNow - 86400;
    EXPECT_LE(m.certificate.issued, crypto::CalendarDate::japan_date_at(issued_at)) << m.id;
    EXPECT_GE(m.certificate.valid_until, crypto::CalendarDate::japan_date_at(issued_at + 364 * 86400)) << m.id;
  }
}

}  // namespace
}  // namespace kakunin::sample::testing
