// The two result tones: a short rising double beep for a valid result, a low
// double buzz for a refusal — different in pitch and rhythm, so staff hear which
// without looking. Generated sine tones (no sound files to ship), played through
// SDL audio. Without an audio device (headless kiosk, CI) the player says so in
// one log line and stays silent; nothing else changes.
//
//   std::unique_ptr<ui::TonePlayer> tones = ui::TonePlayer::open(config.audio, log);
//   tones->play(ui::Tone::refused);  // returns at once; silent without a device
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/config/config.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace kakunin::ui {

enum class Tone { valid, refused };

struct ToneNote {
  double frequency_hz;
  int milliseconds;  // 0 Hz: a pause
};

// The notes of each tone (documented in docs/screens.md).
std::vector<ToneNote> tone_notes(Tone tone);

// Mono signed 16-bit samples at `sample_rate`, with short fades so nothing clicks.
// `volume_percent` 0..100 (clamped).
std::vector<std::int16_t> synthesize(Tone tone, int sample_rate, int volume_percent);

class TonePlayer {
 public:
  // Never fails: without a device, or with audio disabled, play() does nothing.
  // `log` gets one warning when there is no audio.
  static std::unique_ptr<TonePlayer> open(const config::AudioSettings& settings, base::Logger log);
  ~TonePlayer();
  TonePlayer(const TonePlayer&) = delete;
  TonePlayer& operator=(const TonePlayer&) = delete;

  // Starts the tone (cutting off one still playing); returns at once.
  void play(Tone tone);
  bool has_device() const { return device_ != 0; }
  // Samples handed to the device so far (for tests).
  std::size_t samples_played() const { return samples_played_; }

 private:
  TonePlayer() = default;
  std::uint32_t device_ = 0;
  int sample_rate_ = 48000;
  int volume_percent_ = 0;
  bool audio_initialised_ = false;
  std::size_t samples_played_ = 0;
};

}  // namespace kakunin::ui
