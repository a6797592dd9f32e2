// The result tones: two different sounds, volume and mute from the settings, and
// silence (with one log line, never a crash) when there is no audio device.
#include <kakunin/base/log.h>
#include <kakunin/ui/tones.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace kakunin::testing {
namespace {

using ui::Tone;

int peak(const std::vector<std::int16_t>& samples) {
  int p = 0;
  for (std::int16_t s : samples) p = std::max(p, std::abs(static_cast<int>(s)));
  return p;
}

// Zero crossings per second of the first note: its pitch.
double first_note_pitch(const std::vector<std::int16_t>& samples, int rate, int ms) {
  const int count = rate * ms / 1000;
  int crossings = 0;
  for (int i = 1; i < count; ++i) {
    if ((samples[static_cast<std::size_t>(i - 1)] < 0) !=
        (samples[static_cast<std::size_t>(i)] < 0))
      ++crossings;
  }
  return crossings / 2.0 / (ms / 1000.0);
}

TEST(Tones, ValidAndRefusedSoundDifferent) {
  const auto valid = ui::synthesize(Tone::valid, 48000, 100);
  const auto refused = ui::synthesize(Tone::refused, 48000, 100);
  EXPECT_NEAR(first_note_pitch(valid, 48000, 80), 1046.5, 30);
  EXPECT_NEAR(first_note_pitch(refused, 48000, 200), 330, 15);
  EXPECT_LT(valid.size(), refused.size()) << "the valid tone is the short one";
  EXPECT_LT(valid.size(), 48000u / 2) << "short: staff are talking to the patient";
}

TEST(Tones, VolumeScalesTheLoudness) {
  const int full = peak(ui::synthesize(Tone::valid, 48000, 100));
  const int quiet = peak(ui::synthesize(Tone::valid, 48000, 25));
  EXPECT_GT(full, 25000);
  EXPECT_NEAR(quiet, full / 4.0, full / 40.0);
  EXPECT_EQ(peak(ui::synthesize(Tone::refused, 48000, 0)), 0);
  EXPECT_EQ(peak(ui::synthesize(Tone::refused, 48000, 400)), full) << "clamped to 100 %";
}

TEST(Tones, StartAndEndWithoutAClick) {
  const auto samples = ui::synthesize(Tone::refused, 48000, 100);
  EXPECT_LT(std::abs(samples.front()), 200);
  EXPECT_LT(std::abs(samples.back()), 200);
}

TEST(TonePlayer, MutedByConfigPlaysNothing) {
  config::AudioSettings settings;
  settings.enabled = false;
  base::CapturingLogSink log;
  auto player = ui::TonePlayer::open(settings, base::Logger(log));
  player->play(Tone::valid);
  EXPECT_FALSE(player->has_device());
  EXPECT_EQ(player->samples_played(), 0u);
  EXPECT_TRUE(log.lines().empty());
}

TEST(TonePlayer, NoAudioDeviceDegradesSilentlyWithOneLogLine) {
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  base::CapturingLogSink log;
  auto player = ui::TonePlayer::open(config::AudioSettings{}, base::Logger(log));
  player->play(Tone::valid);
  player->play(Tone::refused);
  EXPECT_FALSE(player->has_device());
  ASSERT_EQ(log.lines().size(), 1u) << log.text();
  EXPECT_NE(log.lines()[0].find("warning: "), std::string::npos) << log.text();
  EXPECT_NE(log.lines()[0].find("tones are off"), std::string::npos) << log.text();
  unsetenv("SDL_AUDIODRIVER");
}

TEST(TonePlayer, QueuesTheToneOnADevice) {
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  base::CapturingLogSink log;
  auto player = ui::TonePlayer::open(config::AudioSettings{}, base::Logger(log));
  ASSERT_TRUE(player->has_device()) << log.text();
  player->play(Tone::valid);
  EXPECT_GT(player->samples_played(), 0u);
  unsetenv("SDL_AUDIODRIVER");
}

}  // namespace
}  // namespace kakunin::testing
