#include "demo_counter.h"

#include "demo_world.h"

#include <kakunin/drivers/synthetic_source.h>
#include <kakunin/kiosk/kiosk.h>
#include <kakunin/kiosk/stop_signal.h>
#include <kakunin/kiosk/trust_source.h>
#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>

namespace kakunin::demo {

// The demo is the kiosk's own counter with a made-up world around it.
using namespace kiosk;

namespace {

using Seconds = std::chrono::duration<double>;

constexpr double kCameraFps = 30;

struct Tally {
  int verdicts = 0;
  int mismatches = 0;
  std::map<std::string, int> per_scene;  // scene name → verdicts seen
};

// The scene a frame captured at `captured_at` belonged to.
DemoMoment moment_of(const DemoTimeline& timeline, SteadyTime start, SteadyTime captured_at) {
  return timeline.at(Seconds(captured_at - start).count());
}

void print_verdict_line(const CounterVerdict& verdict, const DemoMoment& moment, SteadyTime shown_at,
                        std::ostream& out) {
  nlohmann::ordered_json line;
  const crypto::Verdict v = verdict.result.verdict();
  line["scene"] = moment.scene ? moment.scene->name : "";
  line["round"] = moment.round;
  line["verdict"] = crypto::verdict_name(v);
  line["expected"] = moment.scene ? std::string(crypto::verdict_name(moment.scene->expected)) : "";
  line["ok"] = moment.scene && moment.scene->expected == v;
  if (auto profile = verdict.result.profile()) line["profile"] = crypto::profile_name(*profile);
  if (const auto* p = verdict.result.presentation()) line["qr_age_seconds"] = p->age_seconds;
  line["latency_ms"] =
      std::chrono::duration<double, std::milli>(shown_at - verdict.scanned.captured_at).count();
  line["message_ja"] = ui::verdict_message(v, ui::Language::japanese);
  line["message_en"] = ui::verdict_message(v, ui::Language::english);
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

// Names NNNN-<screen>.png, one per screen change (a new result is a change too).
class ScreenshotNamer {
 public:
  explicit ScreenshotNamer(std::filesystem::path dir) : dir_(std::move(dir)) {}
  bool changed(const ui::ScreenModel& model) {
    const auto key = std::make_tuple(model.screen, model.valid.has_value(), model.refused.has_value(),
                                     model.refused ? static_cast<int>(model.refused->verdict) : -1,
                                     model.valid ? model.valid->checked_at : 0);
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
  std::tuple<ui::ScreenKind, bool, bool, int, crypto::UnixSeconds> last_{};
};

}  // namespace

int run_demo(const DemoOptions& given, std::ostream& out, std::ostream& err) {
  DemoOptions options = given;
  const ui::Language language =
      options.language == "en" ? ui::Language::english : ui::Language::japanese;
  SystemClock clock;
  const crypto::UnixSeconds start_wall = clock.wall_now();
  const SteadyTime start = clock.steady_now();
  const DemoWorld world = DemoWorld::create(start_wall);
  const auto verifier = std::make_shared<const crypto::Verifier>(
      world.trust_list(), world.revocations(), crypto::Mode::test, crypto::FreshnessPolicy{});
  const DemoTimeline timeline(world.scenes(), options.show_seconds, options.gap_seconds);

  // The member's phone, filmed: the text shown follows the script in real time.
  drivers::SyntheticPhoneOptions phone;
  phone.seed = options.seed;
  phone.difficulty = options.difficulty;
  phone.fps = kCameraFps;
  phone.frames_per_presentation = 1;  // ask for the text every frame (cheap: cached per redraw)
  phone.frames_per_pose = static_cast<int>((options.show_seconds + options.gap_seconds) * kCameraFps);
  auto source = std::make_unique<drivers::SyntheticPhoneSource>(phone, [&](std::uint64_t) {
    const double elapsed = Seconds(clock.steady_now() - start).count();
    const DemoMoment moment = timeline.at(elapsed);
    if (!moment.scene) return std::string();  // nobody at the counter: a phone still unlocking
    return moment.scene->qr_at(clock.wall_now());
  });

  StateMachineSettings settings;
  settings.language = language;
  settings.test_mode = true;
  settings.version = KAKUNIN_VERSION;
  settings.kiosk_id = "demo";

  std::unique_ptr<ui::TonePlayer> tones;
  if (!options.headless && !options.quiet) tones = ui::TonePlayer::open(config::AudioSettings{}, err);

  Tally tally;
  std::unique_ptr<ui::KioskWindow> window;
  CounterParts parts;
  parts.verifier = [verifier] { return verifier; };
  parts.trust_status = [&world](crypto::UnixSeconds) {
    return given_lists_status(*world.trust_list(), *world.revocations());
  };
  parts.clock_state = [] { return ui::ClockState::synchronised; };
  parts.tones = tones.get();
  parts.kiosk_id = "demo";
  parts.log = [&err](const std::string& line) { err << "kakunin-demo: " << line << '\n'; };
  parts.on_verdict = [&](const CounterVerdict& verdict) {
    const DemoMoment moment = moment_of(timeline, start, verdict.scanned.captured_at);
    ++tally.verdicts;
    if (moment.scene) ++tally.per_scene[moment.scene->name];
    if (!moment.scene || moment.scene->expected != verdict.result.verdict()) ++tally.mismatches;
    if (options.headless) print_verdict_line(verdict, moment, clock.steady_now(), out);
  };
  Kiosk kiosk(Capture::from_frames(std::move(source)), settings, parts, clock);

  if (!options.headless) {
    ui::WindowSettings window_settings;
    window_settings.fullscreen = options.fullscreen;
    window_settings.width = options.width;
    window_settings.height = options.height;
    window_settings.title = "Kakunin demo (TEST)";
    window_settings.screenshot_dir = options.screenshot_dir;
    std::string error;
    window = ui::KioskWindow::open(window_settings, &error);
    if (!window) {
      err << "kakunin-demo: no display (" << error << "), so no window: playing headless\n";
      options.headless = true;
    }
  }
  // Headless runs can still leave a PNG of each screen (tests, docs, support).
  std::unique_ptr<ui::OffscreenScreen> offscreen;
  if (options.headless && !options.screenshot_dir.empty()) {
    std::string error;
    offscreen = ui::OffscreenScreen::create(options.width, options.height, &error);
    if (!offscreen) {
      err << "kakunin-demo: cannot render screenshots: " << error << '\n';
      return 2;
    }
  }
  ScreenshotNamer screenshots(options.screenshot_dir);
  AfterTurn after_turn;
  if (offscreen) {
    after_turn = [&](const ui::ScreenModel& model, const drivers::Frame* preview) {
      if (!screenshots.changed(model)) return;
      const drivers::FrameView view = preview ? preview->view() : drivers::FrameView{};
      offscreen->draw(model, preview ? &view : nullptr);
      std::string error;
      if (!offscreen->save_png(screenshots.next_path(model), &error)) {
        err << "kakunin-demo: screenshot not written: " << error << '\n';
      }
    };
  }

  LoopEnd end;
  end.stop = &stop_on_signals();
  if (options.rounds > 0) {
    const double end_seconds = options.rounds * timeline.round_seconds();
    end.done = [&clock, start, end_seconds] { return Seconds(clock.steady_now() - start).count() >= end_seconds; };
  }
  kiosk.run(window.get(), end, after_turn);

  if (options.rounds > 0) {
    // Every scene must have been read and judged, or the demo did not show it.
    for (const DemoScene& scene : world.scenes()) {
      if (tally.per_scene[scene.name] == 0) {
        err << "kakunin-demo: no verdict for scene " << scene.name << '\n';
        ++tally.mismatches;
      }
    }
    err << "kakunin-demo: " << tally.verdicts << " verdicts, " << tally.mismatches
        << " differing from the script\n";
    return tally.mismatches == 0 ? 0 : 1;
  }
  return 0;
}

}  // namespace kakunin::demo
