#include "demo_counter.h"

#include "demo_terminal.h"
#include "demo_world.h"

#include <kakunin/drivers/synthetic_source.h>
#include <kakunin/kiosk/kiosk.h>
#include <kakunin/kiosk/stop_signal.h>
#include <kakunin/kiosk/trust_source.h>
#include <kakunin/kiosk/verdict_sink.h>
#include <kakunin/online/online.h>
#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <tuple>

namespace kakunin::demo {
namespace {

using kiosk::CounterVerdict;
using kiosk::SteadyTime;
using Seconds = std::chrono::duration<double>;

constexpr double kCameraFps = 30;

// Holds each verdict against the script: which scene was at the counter when its
// frame was captured, and whether the kiosk said what the script promises.
class ScriptCheck final : public kiosk::VerdictSink {
 public:
  ScriptCheck(const DemoTimeline& timeline, SteadyTime start)
      : timeline_(timeline), start_(start) {}

  void verdict(const CounterVerdict& verdict) override {
    const DemoMoment moment = moment_of(verdict);
    ++verdicts_;
    if (moment.scene) ++per_scene_[moment.scene->name];
    if (!moment.scene || moment.scene->expected != verdict.result.verdict()) ++mismatches_;
  }

  // The scene on the headless line, and the Japanese message staff saw.
  void annotate(const CounterVerdict& verdict, nlohmann::ordered_json& line) const {
    const DemoMoment moment = moment_of(verdict);
    const crypto::Verdict v = verdict.result.verdict();
    line["scene"] = moment.scene ? moment.scene->name : "";
    line["round"] = moment.round;
    line["expected"] =
        moment.scene ? std::string(crypto::verdict_name(moment.scene->expected)) : "";
    line["ok"] = moment.scene && moment.scene->expected == v;
    line["message_ja"] = ui::verdict_message(v, ui::Language::japanese);
  }

  // After whole rounds: every scene must have been read and judged as scripted,
  // or the demo did not show it. 0 when so, 1 when not.
  int result(const std::vector<DemoScene>& scenes, std::ostream& err) {
    for (const DemoScene& scene : scenes) {
      if (per_scene_[scene.name] == 0) {
        err << "kakunin-demo: no verdict for scene " << scene.name << '\n';
        ++mismatches_;
      }
    }
    err << "kakunin-demo: " << verdicts_ << " verdicts, " << mismatches_
        << " differing from the script\n";
    return mismatches_ == 0 ? 0 : 1;
  }

 private:
  DemoMoment moment_of(const CounterVerdict& verdict) const {
    return timeline_.at(Seconds(verdict.scanned.captured_at - start_).count());
  }

  const DemoTimeline& timeline_;
  SteadyTime start_;
  int verdicts_ = 0;
  int mismatches_ = 0;
  std::map<std::string, int> per_scene_;  // scene name → verdicts seen
};

// The demo's lists, withheld while a scene with `lists_withheld` is at the
// counter: the kiosk then behaves as one whose lists are gone (the terminal tier).
class DemoTrust final : public kiosk::TrustSource {
 public:
  DemoTrust(const DemoWorld& world, const DemoTimeline& timeline, const kiosk::Clock& clock,
            SteadyTime start)
      : lists_(world.trust_list(), world.revocations(), crypto::Mode::test),
        none_(nullptr, nullptr, crypto::Mode::test),
        timeline_(timeline),
        clock_(clock),
        start_(start) {}

  std::shared_ptr<const crypto::Verifier> verifier() const override { return now().verifier(); }
  kiosk::TrustStatus status(crypto::UnixSeconds at) const override { return now().status(at); }
  base::ClockState clock_state() const override { return base::ClockState::ok; }

 private:
  const kiosk::FixedTrust& now() const {
    const DemoMoment moment = timeline_.at(Seconds(clock_.steady_now() - start_).count());
    return moment.scene && moment.scene->lists_withheld ? none_ : lists_;
  }

  kiosk::FixedTrust lists_;
  kiosk::FixedTrust none_;
  const DemoTimeline& timeline_;
  const kiosk::Clock& clock_;
  SteadyTime start_;
};

// The member's phone, filmed: the text shown follows the script in real time.
std::unique_ptr<drivers::FrameSource> film_the_counter(const DemoOptions& options,
                                                       const kiosk::Clock& clock, SteadyTime start,
                                                       const DemoTimeline& timeline) {
  drivers::SyntheticPhoneOptions phone;
  phone.seed = options.seed;
  phone.difficulty = options.difficulty;
  phone.fps = kCameraFps;
  phone.frames_per_presentation = 1;  // ask for the text every frame (cheap: cached per redraw)
  phone.frames_per_pose =
      static_cast<int>((options.show_seconds + options.gap_seconds) * kCameraFps);
  return std::make_unique<drivers::SyntheticPhoneSource>(
      phone, [&clock, start, &timeline](std::uint64_t) {
        const DemoMoment moment = timeline.at(Seconds(clock.steady_now() - start).count());
        if (!moment.scene) return std::string();  // nobody at the counter: a phone still unlocking
        return moment.scene->qr_at(clock.wall_now());
      });
}

kiosk::StateMachineSettings demo_settings(const DemoOptions& options) {
  kiosk::StateMachineSettings settings;
  settings.language = options.language == "en" ? ui::Language::english : ui::Language::japanese;
  settings.test_mode = true;
  settings.version = KAKUNIN_VERSION;
  settings.kiosk_id = "demo";
  settings.online_enabled = true;  // the demo's own 資格確認端末 answers (demo_terminal.h)
  return settings;
}

// nullptr when there is no display (the demo then plays headless).
std::unique_ptr<ui::KioskWindow> open_window(const DemoOptions& options, std::ostream& err) {
  ui::WindowSettings settings;
  settings.fullscreen = options.fullscreen;
  settings.width = options.width;
  settings.height = options.height;
  settings.title = "Kakunin demo (TEST)";
  settings.screenshot_dir = options.screenshot_dir;
  std::string error;
  auto window = ui::KioskWindow::open(settings, &error);
  if (!window)
    err << "kakunin-demo: no display (" << error << "), so no window: playing headless\n";
  return window;
}

// Names NNNN-<screen>.png, one per screen change (a new result is a change too).
class ScreenshotNamer {
 public:
  explicit ScreenshotNamer(std::filesystem::path dir) : dir_(std::move(dir)) {}
  bool changed(const ui::ScreenModel& model) {
    const bool online = model.valid && model.valid->online;
    const auto key =
        std::make_tuple(model.screen, model.valid.has_value(), model.refused.has_value(),
                        model.refused ? static_cast<int>(model.refused->verdict) : -1,
                        model.valid ? model.valid->checked_at : 0,
                        online ? static_cast<int>(model.valid->online->state) : -1);
    if (key == last_) return false;
    last_ = key;
    return true;
  }
  std::filesystem::path next_path(const ui::ScreenModel& model) {
    char number[16];
    std::snprintf(number, sizeof number, "%04d-", ++count_);
    return dir_ / (number + std::string(ui::screen_name(model.screen)) + ".png");
  }

 private:
  std::filesystem::path dir_;
  int count_ = 0;
  std::tuple<ui::ScreenKind, bool, bool, int, crypto::UnixSeconds, int> last_{};
};

}  // namespace

int run_demo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  kiosk::SystemClock clock;
  const SteadyTime start = clock.steady_now();
  const DemoWorld world = DemoWorld::create(clock.wall_now());
  const DemoTimeline timeline(world.scenes(), options.show_seconds, options.gap_seconds);
  const DemoTrust trust(world, timeline, clock, start);

  std::unique_ptr<ui::KioskWindow> window;
  if (!options.headless) window = open_window(options, err);
  const bool headless = !window;
  // Headless runs can still leave a PNG of each screen (tests, docs, support).
  std::unique_ptr<ui::OffscreenScreen> offscreen;
  if (headless && !options.screenshot_dir.empty()) {
    std::string error;
    offscreen = ui::OffscreenScreen::create(options.width, options.height, &error);
    std::error_code ec;  // a folder that cannot be made fails each save, with its message
    std::filesystem::create_directories(options.screenshot_dir, ec);
    if (!offscreen) {
      err << "kakunin-demo: cannot render screenshots: " << error << '\n';
      return 2;
    }
  }
  ScreenshotNamer screenshots(options.screenshot_dir);

  // The sinks first: they outlive the kiosk that pushes to them.
  ScriptCheck script(timeline, start);
  kiosk::JsonLineSink headless_line(
      out, [&script](const CounterVerdict& verdict, nlohmann::ordered_json& line) {
        script.annotate(verdict, line);
      });
  std::unique_ptr<ui::TonePlayer> tones;
  std::optional<kiosk::ToneSink> tone_sink;
  base::StreamLogSink demo_log(err, "kakunin-demo");
  const base::Logger log(demo_log);
  if (!headless && !options.quiet) {
    tones = ui::TonePlayer::open(config::AudioSettings{}, log);
    tone_sink.emplace(*tones);
  }

  // The オンライン資格確認 loop: a simulated terminal in a temp folder, and the
  // kiosk's real online check asking it.
  std::string terminal_error;
  const auto terminal = DemoTerminal::start(world, &terminal_error);
  if (!terminal) {
    err << "kakunin-demo: " << terminal_error << '\n';
    return 2;
  }
  online::OnlineOptions online_options;
  online_options.kiosk_id = "demo";
  online_options.log = log;
  auto online_check = online::OnlineCheck::create(terminal->settings(), online_options);
  if (!online_check.check) {
    err << "kakunin-demo: " << online_check.error << '\n';
    return 2;
  }

  kiosk::Kiosk kiosk(kiosk::Capture::from_frames(film_the_counter(options, clock, start, timeline)),
                     trust, demo_settings(options), clock, log);
  kiosk.set_online(*online_check.check);
  kiosk.add_sink(script);
  if (tone_sink) kiosk.add_sink(*tone_sink);
  if (headless) kiosk.add_sink(headless_line);

  kiosk::OnlineLine online_line(out);
  kiosk::AfterTurn after_turn = [&](const kiosk::Shown& shown) {
    if (headless) online_line.after_turn(shown.model);
    if (!offscreen) return;
    const ui::ScreenModel& model = shown.model;
    if (!screenshots.changed(model)) return;
    const frame::FrameView view = shown.preview ? shown.preview->view() : frame::FrameView{};
    offscreen->draw(model, shown.preview ? &view : nullptr);
    std::string save_error;
    if (!offscreen->save_png(screenshots.next_path(model), &save_error)) {
      err << "kakunin-demo: screenshot not written: " << save_error << '\n';
    }
  };
  kiosk::LoopEnd end;
  end.stop = &kiosk::stop_on_signals();
  if (options.rounds > 0) {
    const double end_seconds = options.rounds * timeline.round_seconds();
    end.done = [&clock, start, end_seconds] {
      return Seconds(clock.steady_now() - start).count() >= end_seconds;
    };
  }
  kiosk.run(window.get(), end, after_turn);

  return options.rounds > 0 ? script.result(world.scenes(), err) : 0;
}

}  // namespace kakunin::demo
