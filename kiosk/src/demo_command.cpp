#include "demo_command.h"

#include "stop_signal.h"
#include "trust_service.h"

#include <kakunin/drivers/synthetic_source.h>
#include <kakunin/kiosk/camera_pipeline.h>
#include <kakunin/kiosk/counter.h>
#include <kakunin/kiosk/demo_world.h>
#include <kakunin/kiosk/kiosk_loop.h>
#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <tuple>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

namespace kakunin::kiosk {
namespace {

using Seconds = std::chrono::duration<double>;

constexpr double kCameraFps = 30;
// How often the headless loop and the window loop turn (the screen's rate).
constexpr auto kTurn = std::chrono::milliseconds(15);

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

TrustStatus demo_trust_status(const DemoWorld& world) {
  TrustStatus status;
  status.usable = true;
  status.trust_list = list_info(world.trust_list()->header());
  status.revocations = list_info(world.revocations()->header());
  return status;
}

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

  ScannedTexts texts;
  LatestFrame frames;
  CameraPipeline camera(std::move(source), texts, frames);

  StateMachineSettings settings;
  settings.language = language;
  settings.test_mode = true;
  settings.version = KAKUNIN_VERSION;
  settings.kiosk_id = "demo";
  StateMachine machine(settings, clock);

  base::StreamLogSink log_sink(err, "kakunin demo");
  const base::Logger log(log_sink, base::LogLevel::info);
  std::unique_ptr<ui::TonePlayer> tones;
  if (!options.headless && !options.quiet) tones = ui::TonePlayer::open(config::AudioSettings{}, log);

  Tally tally;
  std::unique_ptr<ui::KioskWindow> window;
  CounterParts parts;
  parts.verifier = [verifier] { return verifier; };
  parts.trust_status = [&world](crypto::UnixSeconds) { return demo_trust_status(world); };
  parts.clock_state = [] { return ui::ClockState::synchronised; };
  parts.tones = tones.get();
  parts.reset_reader = [&camera] { camera.reset_reader(); };
  parts.kiosk_id = "demo";
  parts.log = log;
  parts.on_verdict = [&](const CounterVerdict& verdict) {
    const DemoMoment moment = moment_of(timeline, start, verdict.scanned.captured_at);
    ++tally.verdicts;
    if (moment.scene) ++tally.per_scene[moment.scene->name];
    if (!moment.scene || moment.scene->expected != verdict.result.verdict()) ++tally.mismatches;
    if (options.headless) print_verdict_line(verdict, moment, clock.steady_now(), out);
  };
  Counter counter(machine, texts, &frames, parts, clock);

  if (!options.headless) {
    ui::WindowSettings window_settings;
    window_settings.fullscreen = options.fullscreen;
    window_settings.width = options.width;
    window_settings.height = options.height;
    window_settings.title = "Kakunin demo (TEST)";
    window_settings.screenshot_dir = options.screenshot_dir;
    window_settings.log = log;
    std::string error;
    window = ui::KioskWindow::open(window_settings, &error);
    if (!window) {
      err << "kakunin demo: no display (" << error << "), so no window: playing headless\n";
      options.headless = true;
    }
  }
  // Headless runs can still leave a PNG of each screen (tests, docs, support).
  std::unique_ptr<ui::OffscreenScreen> offscreen;
  if (options.headless && !options.screenshot_dir.empty()) {
    std::string error;
    offscreen = ui::OffscreenScreen::create(options.width, options.height, &error);
    if (!offscreen) {
      err << "kakunin demo: cannot render screenshots: " << error << '\n';
      return 2;
    }
  }
  ScreenshotNamer screenshots(options.screenshot_dir);

  const std::atomic<bool>& interrupted = stop_on_signals();
  camera.start();
  const double end_seconds =
      options.rounds > 0 ? options.rounds * timeline.round_seconds() : 0.0;
  bool quit = false;
  while (!quit && !interrupted) {
    if (window) {
      quit = !kiosk_loop_turn(*window, counter, static_cast<int>(kTurn.count())).keep_running;
    } else {
      counter.step();
      if (offscreen) {
        const ui::ScreenModel model = machine.model();
        if (screenshots.changed(model)) {
          const drivers::Frame* preview = counter.preview();
          const drivers::FrameView view = preview ? preview->view() : drivers::FrameView{};
          offscreen->draw(model, preview ? &view : nullptr);
          std::string error;
          if (!offscreen->save_png(screenshots.next_path(model), &error)) {
            err << "kakunin demo: screenshot not written: " << error << '\n';
          }
        }
      }
      std::this_thread::sleep_for(kTurn);
    }
    if (end_seconds > 0 && Seconds(clock.steady_now() - start).count() >= end_seconds) break;
  }
  camera.stop();

  if (options.rounds > 0) {
    // Every scene must have been read and judged, or the demo did not show it.
    for (const DemoScene& scene : world.scenes()) {
      if (tally.per_scene[scene.name] == 0) {
        err << "kakunin demo: no verdict for scene " << scene.name << '\n';
        ++tally.mismatches;
      }
    }
    err << "kakunin demo: " << tally.verdicts << " verdicts, " << tally.mismatches
        << " differing from the script\n";
    return tally.mismatches == 0 ? 0 : 1;
  }
  return 0;
}

Command add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* demo = app.add_subcommand(
      "demo", "Play a scripted counter on built-in TEST data through the real pipeline (no camera)");
  demo->add_flag("--headless", options->headless, "No window: one JSON line per verdict");
  demo->add_flag("--fullscreen", options->fullscreen, "Fill the display as a kiosk does");
  demo->add_option("--width", options->width, "Window width")->check(CLI::Range(640, 7680));
  demo->add_option("--height", options->height, "Window height")->check(CLI::Range(480, 4320));
  demo->add_option("--rounds", options->rounds,
                   "Stop after this many rounds of the script and exit 1 if any verdict differed "
                   "(default: loop until closed)")
      ->check(CLI::Range(0, 1000));
  demo->add_option("--show-seconds", options->show_seconds, "How long each phone is held up")
      ->check(CLI::Range(0.5, 60.0));
  demo->add_option("--gap-seconds", options->gap_seconds, "Empty counter between members")
      ->check(CLI::Range(0.0, 60.0));
  demo->add_option("--screenshot-dir", options->screenshot_dir, "Write a PNG of each screen shown");
  demo->add_option("--language", options->language, "ja (default) or en")
      ->check(CLI::IsMember({"ja", "en"}));
  demo->add_option("--seed", options->seed, "Seed of the synthetic camera");
  demo->add_option("--difficulty", options->difficulty, "0 (perfect phone) to 1 (worst)")
      ->check(CLI::Range(0.0, 1.0));
  demo->add_flag("--quiet", options->quiet, "No tones");
  return {demo, [options](std::ostream& out, std::ostream& err) { return run_demo(*options, out, err); }};
}

}  // namespace kakunin::kiosk
