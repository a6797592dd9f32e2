// The phone-shaped member page: its frames read back through `kakunin verify`
// are valid while fresh and stale 31 s after their QR was made, in both profiles;
// the QR changes every refresh period.
#include "member_page.h"
#include "sample_fixture.h"

#include <kakunin/drivers/qr_decode.h>

#include <opencv2/imgcodecs.hpp>

namespace kakunin::sample::testing {
namespace {

using crypto::Profile;

struct Frame {
  std::string path;
  crypto::UnixSeconds at = 0;
  crypto::UnixSeconds presented_at = 0;
};

// Parses the lines `kakunin-sample phone --frames` prints: PATH at T presented_at P.
std::vector<Frame> frames_of(const std::string& out) {
  std::vector<Frame> frames;
  std::istringstream lines(out);
  for (Frame f; lines >> f.path;) {
    std::string at_word, presented_word;
    lines >> at_word >> f.at >> presented_word >> f.presented_at;
    frames.push_back(f);
  }
  return frames;
}

class PhoneTest : public SampleWorldTest {
 protected:
  std::vector<Frame> render_frames(const std::string& member, const std::string& profile, int count,
                                   int step) {
    const auto run =
        sample_cli({"phone", dir.string(), "--member", member, "--profile", profile, "--frames",
                    std::to_string(count), "--out", (dir / ("frames-" + profile)).string(), "--at",
                    std::to_string(kNow), "--step", std::to_string(step)});
    EXPECT_EQ(run.status, 0) << run.err;
    return frames_of(run.out);
  }
};

TEST_F(PhoneTest, FramesAreValidWhileFreshAndStale31SecondsLater) {
  for (const auto& [member, profile] : {std::pair{"taro", "issuer"}, std::pair{"jiro", "holder"}}) {
    const auto frames = render_frames(member, profile, 3, 7);
    ASSERT_EQ(frames.size(), 3u) << profile;
    for (const auto& f : frames) {
      EXPECT_EQ(verdicts({f.path}, {.now = f.at}), std::vector<std::string>{"valid"}) << f.path;
      EXPECT_EQ(verdicts({f.path}, {.now = f.presented_at + 31}), std::vector<std::string>{"stale"})
          << f.path;
    }
  }
}

TEST_F(PhoneTest, FramesAreTestMaterialOnAProductionKiosk) {
  for (const char* profile : {"issuer", "holder"}) {
    const auto frames = render_frames("ume", profile, 1, 1);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(verdicts({frames[0].path}, {.mode = "production", .now = frames[0].at}),
              std::vector<std::string>{"test_material"});
  }
}

TEST_F(PhoneTest, QrIsSignedAnewEveryRefreshPeriod) {
  const auto frames = render_frames("hanako", "holder", 4, 5);  // t = 0, 5, 10, 15 with refresh 10
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].presented_at, kNow);
  EXPECT_EQ(frames[1].presented_at, kNow);
  EXPECT_EQ(frames[2].presented_at, kNow + 10);
  EXPECT_EQ(frames[3].presented_at, kNow + 10);
  const auto text_in = [](const std::string& path) {
    const auto image = drivers::load_image(path);
    const auto found = image ? drivers::decode(image->view()) : std::vector<drivers::Decoded>{};
    return found.size() == 1 ? found[0].text : std::string("no single QR in ") + path;
  };
  EXPECT_EQ(text_in(frames[0].path), text_in(frames[1].path));
  EXPECT_NE(text_in(frames[1].path), text_in(frames[2].path));
}

TEST_F(PhoneTest, ClockTicksEverySecondWhileTheQrStaysTheSame) {
  TextPainter painter;
  const auto world = SampleWorld::load(dir);
  MemberPage page(world, "taro", Profile::issuer_signed, 10, kNow, 1, painter);
  const cv::Mat first = page.render(kNow).clone();
  const cv::Mat next_second = page.render(kNow + 1).clone();
  ASSERT_EQ(first.size(), cv::Size(kPhoneWidth, kPhoneHeight));
  // Same QR (same presentation), but the clock changed: pixels below the card differ.
  const cv::Rect clock_area(0, 590, kPhoneWidth, 80);
  EXPECT_GT(cv::norm(first(clock_area), next_second(clock_area), cv::NORM_L1), 0);
  const cv::Rect card_area(0, 200, kPhoneWidth, 300);
  EXPECT_EQ(cv::norm(first(card_area), next_second(card_area), cv::NORM_L1), 0);
}

TEST_F(PhoneTest, RefusesBadRequestsWithAClearMessage) {
  const auto unknown = sample_cli({"phone", dir.string(), "--member", "nobody", "--frames", "1",
                                   "--out", (dir / "f").string()});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("no member 'nobody'"), std::string::npos) << unknown.err;
  const auto refresh = sample_cli({"phone", dir.string(), "--member", "taro", "--refresh", "301",
                                   "--frames", "1", "--out", (dir / "f").string()});
  EXPECT_EQ(refresh.status, 2);
  const auto no_out = sample_cli({"phone", dir.string(), "--member", "taro", "--frames", "1"});
  EXPECT_EQ(no_out.status, 2);
  EXPECT_NE(no_out.err.find("--out"), std::string::npos) << no_out.err;
}

}  // namespace
}  // namespace kakunin::sample::testing
