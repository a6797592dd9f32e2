// The synthetic phone screen: the same frames for the same seed, frames a reader
// can read, a fresh text per presentation, and the FrameSource contract.
#include <kakunin/drivers/qr_reader.h>
#include <kakunin/drivers/synthetic_source.h>

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace kakunin::drivers {
namespace {

std::string text_for(std::uint64_t presentation) {
  // JHC1-shaped (Base45 alphabet), different per presentation, a version-10+ symbol.
  std::string text = "JHC1:" + std::to_string(1000 + presentation) + "-";
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  for (int i = 0; i < 300; ++i)
    text += alphabet[(presentation * 7 + static_cast<std::uint64_t>(i) * 13) % alphabet.size()];
  return text;
}

Frame grab_frame(SyntheticPhoneSource& source) {
  GrabResult result = source.grab();
  auto* grabbed = std::get_if<GrabbedFrame>(&result);
  if (!grabbed) throw std::runtime_error("the synthetic source gave no frame");
  return std::move(grabbed->frame);
}

SyntheticPhoneOptions options_with(std::uint64_t seed, double difficulty) {
  SyntheticPhoneOptions options;
  options.seed = seed;
  options.difficulty = difficulty;
  options.frames_per_presentation = 3;
  return options;
}

TEST(SyntheticPhone, SameSeedDrawsTheSameFramesAndAnotherSeedOthers) {
  std::string reason;
  SyntheticPhoneSource a(options_with(7, 0.6), text_for), b(options_with(7, 0.6), text_for),
      c(options_with(8, 0.6), text_for);
  ASSERT_TRUE(a.open(reason) && b.open(reason) && c.open(reason));
  for (int i = 0; i < 2; ++i) {
    const Frame fa = grab_frame(a), fb = grab_frame(b), fc = grab_frame(c);
    EXPECT_TRUE(fa.pixels == fb.pixels) << "frame " << i;
    EXPECT_TRUE(fa.pixels != fc.pixels) << "frame " << i;
    EXPECT_EQ(fa.sequence, static_cast<std::uint64_t>(i + 1));
  }
  // Frame n is the same whether or not the frames before it were drawn.
  SyntheticPhoneSource d(options_with(7, 0.6), text_for);
  const Frame third = d.render(2);
  ASSERT_TRUE(a.open(reason));
  grab_frame(a);
  grab_frame(a);
  EXPECT_TRUE(grab_frame(a).pixels == third.pixels);
}

TEST(SyntheticPhone, ShakesBetweenFramesOfOnePresentation) {
  SyntheticPhoneSource source(options_with(3, 0.5), text_for);
  EXPECT_TRUE(source.render(0).pixels != source.render(1).pixels);
}

TEST(SyntheticPhone, FramesAreBgr1280x720AndTheReaderReadsThePresentedText) {
  for (const double difficulty : {0.0, 0.4, 0.8}) {
    SyntheticPhoneSource source(options_with(11, difficulty), text_for);
    QrReader reader;
    for (const std::uint64_t i : {0u, 2u, 3u}) {  // two presentations
      const Frame frame = source.render(i);
      ASSERT_EQ(frame.width, 1280);
      ASSERT_EQ(frame.height, 720);
      ASSERT_EQ(frame.format, FrameView::Format::bgr24);
      ASSERT_EQ(frame.pixels.size(), static_cast<std::size_t>(frame.stride * frame.height));
      const auto found = reader.read(frame.view());
      ASSERT_EQ(found.size(), 1u) << "difficulty " << difficulty << " frame " << i;
      EXPECT_EQ(found[0].text, text_for(i / 3)) << "difficulty " << difficulty << " frame " << i;
    }
  }
}

TEST(SyntheticPhone, AsksForAFreshTextEachPresentation) {
  std::vector<std::uint64_t> asked;
  SyntheticPhoneSource source(options_with(5, 0.2), [&](std::uint64_t n) {
    asked.push_back(n);
    return text_for(n);
  });
  std::string reason;
  ASSERT_TRUE(source.open(reason));
  for (int i = 0; i < 7; ++i) grab_frame(source);
  EXPECT_EQ(asked, (std::vector<std::uint64_t>{0, 1, 2}));  // 3 frames a presentation
}

TEST(SyntheticPhone, AnEmptyTextShowsThePhoneWithoutAQr) {
  SyntheticPhoneSource source(options_with(5, 0.2), [](std::uint64_t) { return std::string(); });
  EXPECT_TRUE(QrReader().read(source.render(0).view()).empty());
}

TEST(SyntheticPhone, EndsAfterItsFrameCountAndIsOfflineWhenClosed) {
  SyntheticPhoneOptions options = options_with(1, 0.1);
  options.frame_count = 2;
  SyntheticPhoneSource source(options, text_for);
  EXPECT_TRUE(std::holds_alternative<SourceOffline>(source.grab()));  // not opened yet
  std::string reason;
  ASSERT_TRUE(source.open(reason));
  grab_frame(source);
  grab_frame(source);
  EXPECT_TRUE(std::holds_alternative<EndOfStream>(source.grab()));
  ASSERT_TRUE(source.open(reason));  // reopening starts again
  EXPECT_EQ(grab_frame(source).sequence, 1u);
  source.close();
  EXPECT_TRUE(std::holds_alternative<SourceOffline>(source.grab()));
  EXPECT_NE(source.describe().find("synthetic"), std::string::npos);
}

TEST(SyntheticPhone, PacedSourceDoesNotRunAheadOfItsFrameRate) {
  SyntheticPhoneOptions options = options_with(1, 0.0);
  options.fps = 50;  // 20 ms a frame
  SyntheticPhoneSource source(options, text_for);
  std::string reason;
  ASSERT_TRUE(source.open(reason));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) grab_frame(source);
  // Frame 6 is due 5 periods after frame 1: a lower bound only, never flaky.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace kakunin::drivers
