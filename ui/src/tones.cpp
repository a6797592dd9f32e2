#include <kakunin/ui/tones.h>

#include <SDL.h>

#include <algorithm>
#include <cmath>

namespace kakunin::ui {

std::vector<ToneNote> tone_notes(Tone tone) {
  switch (tone) {
    case Tone::valid:
      return {{1046.5, 90}, {0, 30}, {1568.0, 140}};  // C6 then G6: "pi-pon"
    case Tone::refused:
      return {{330.0, 220}, {0, 80}, {330.0, 220}};  // low E4 twice: "boo boo"
  }
  return {};
}

std::vector<std::int16_t> synthesize(Tone tone, int sample_rate, int volume_percent) {
  const double amplitude = 30000.0 * std::clamp(volume_percent, 0, 100) / 100.0;
  const int fade = sample_rate / 200;  // 5 ms
  std::vector<std::int16_t> samples;
  for (const ToneNote& note : tone_notes(tone)) {
    const int count = sample_rate * note.milliseconds / 1000;
    for (int i = 0; i < count; ++i) {
      double value = 0;
      if (note.frequency_hz > 0) {
        const double envelope = std::min(
            {1.0, static_cast<double>(i) / fade, static_cast<double>(count - 1 - i) / fade});
        value = amplitude * envelope * std::sin(2.0 * M_PI * note.frequency_hz * i / sample_rate);
      }
      samples.push_back(static_cast<std::int16_t>(std::lround(value)));
    }
  }
  return samples;
}

std::unique_ptr<TonePlayer> TonePlayer::open(const config::AudioSettings& settings,
                                             base::Logger log) {
  std::unique_ptr<TonePlayer> player(new TonePlayer());
  player->volume_percent_ = settings.volume_percent;
  if (!settings.enabled || settings.volume_percent <= 0) return player;  // muted by config
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    log.warn(std::string("no audio (") + SDL_GetError() + "); result tones are off");
    return player;
  }
  player->audio_initialised_ = true;
  SDL_AudioSpec wanted{};
  wanted.freq = 48000;
  wanted.format = AUDIO_S16SYS;
  wanted.channels = 1;
  wanted.samples = 1024;
  SDL_AudioSpec got{};
  player->device_ = SDL_OpenAudioDevice(nullptr, 0, &wanted, &got, 0);
  if (player->device_ == 0) {
    log.warn(std::string("no audio device (") + SDL_GetError() + "); result tones are off");
    return player;
  }
  player->sample_rate_ = got.freq;
  SDL_PauseAudioDevice(player->device_, 0);
  return player;
}

TonePlayer::~TonePlayer() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (audio_initialised_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void TonePlayer::play(Tone tone) {
  if (device_ == 0) return;
  const std::vector<std::int16_t> samples = synthesize(tone, sample_rate_, volume_percent_);
  SDL_ClearQueuedAudio(device_);  // a new result cuts the old tone short
  SDL_QueueAudio(device_, samples.data(),
                 static_cast<Uint32>(samples.size() * sizeof(std::int16_t)));
  samples_played_ += samples.size();
}

}  // namespace kakunin::ui
