#include "run_command.h"

#include "config_file.h"
#include "handoff_worker.h"
#include "kiosk_log.h"
#include "stop_signal.h"
#include "trust_service.h"

#include <kakunin/audit/audit_log.h>
#include <kakunin/drivers/scanner.h>
#include <kakunin/drivers/sources.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/camera_pipeline.h>
#include <kakunin/kiosk/cli.h>
#include <kakunin/kiosk/counter.h>
#include <kakunin/kiosk/kiosk_loop.h>
#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <thread>

namespace kakunin::kiosk {
namespace {

using namespace std::chrono_literals;

int setup_error(std::ostream& err, const std::string& reason) {
  err << "kakunin: error: " << reason << '\n';
  return kExitSetup;
}

StateMachineSettings machine_settings(const config::KioskConfig& config) {
  StateMachineSettings s;
  s.language = config.kiosk.language == config::Language::english ? ui::Language::english : ui::Language::japanese;
  s.test_mode = config.kiosk.mode == config::KioskMode::test;
  s.freshness_skipped = s.test_mode && config.freshness.skip_for_printed_sheets;
  s.result_time = std::chrono::seconds(config.kiosk.result_seconds);
  s.handoff_enabled = config.handoff.enabled;
  s.handoff_automatic = config.handoff.trigger == config::HandoffTrigger::automatic;
  s.version = KAKUNIN_VERSION;
  s.kiosk_id = config.kiosk.id;
  return s;
}

// The headless line: what an operator or a test needs, never personal data.
void print_verdict_line(const CounterVerdict& verdict, std::ostream& out) {
  nlohmann::ordered_json line;
  line["verdict"] = crypto::verdict_name(verdict.result.verdict());
  if (auto profile = verdict.result.profile()) line["profile"] = crypto::profile_name(*profile);
  if (const auto* p = verdict.result.presentation()) line["qr_age_seconds"] = p->age_seconds;
  line["frame"] = verdict.scanned.frame_sequence;
  line["message_en"] = ui::verdict_message(verdict.result.verdict(), ui::Language::english);
  out << line.dump() << '\n' << std::flush;
}

// Capture: a camera (or test folder/video) through the decode stage, or a
// handheld scanner that decodes by itself. Both end in `texts`.
class Capture {
 public:
  static std::unique_ptr<Capture> start(const config::CaptureSettings& settings, ScannedTexts& texts,
                                        LatestFrame& frames, std::string* error) {
    auto capture = std::unique_ptr<Capture>(new Capture());
    if (settings.kind == config::CaptureKind::serial_scanner) {
      capture->serial_ = std::make_unique<drivers::SerialScanner>(drivers::serial_scanner_options(settings), texts);
      capture->serial_->start();
    } else if (settings.kind == config::CaptureKind::hid_scanner) {
      capture->hid_ = std::make_unique<drivers::HidScanner>(drivers::hid_scanner_options(settings), texts);
      capture->hid_->start();
    } else {
      std::string reason;
      auto source = drivers::make_frame_source(settings, reason);
      if (!source) {
        *error = reason;
        return nullptr;
      }
      capture->camera_ = std::make_unique<CameraPipeline>(std::move(source), texts, frames);
      capture->camera_->start();
    }
    return capture;
  }
  ~Capture() { stop(); }
  void stop() {
    if (camera_) camera_->stop();
    if (serial_) serial_->stop();
    if (hid_) hid_->stop();
  }
  void reset_reader() {
    if (camera_) camera_->reset_reader();
  }
  bool ended() { return camera_ && camera_->ended(); }
  bool frames() const { return camera_ != nullptr; }

 private:
  Capture() = default;
  std::unique_ptr<CameraPipeline> camera_;
  std::unique_ptr<drivers::SerialScanner> serial_;
  std::unique_ptr<drivers::HidScanner> hid_;
};

}  // namespace

int run_kiosk(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string config_path = options.config_path.empty() ? config::kDefaultConfigPath : options.config_path;
  const auto loaded = load_config_reporting(config_path, err);
  if (!loaded) return setup_error(err, config_path + " has errors; the kiosk does not start half-configured");
  const config::KioskConfig& config = *loaded;
  // One log for every part, at [log] level; setup errors above and below go to
  // `err` as the CLI's own "kakunin: error:" lines whatever the level.
  const KioskLog kiosk_log(config, err);
  const base::Logger log = kiosk_log.logger();

  std::string error;
  auto trust = make_trust_service(config, log, &error);
  if (!trust) return setup_error(err, error);

  auto audit = audit::AuditLog::open(config.audit);
  if (!audit.ok()) return setup_error(err, "audit log: " + audit.error().message);

  std::unique_ptr<handoff::Handoff> handoff;
  if (config.handoff.enabled) {
    handoff::HandoffOptions handoff_options;
    handoff_options.hand_over_test_material = config.kiosk.mode == config::KioskMode::test;
    handoff_options.log = log;
    auto created = handoff::Handoff::create(config.handoff, config.kiosk.id, handoff_options);
    if (!created.handoff) return setup_error(err, "hand-off: " + created.error);
    handoff = std::move(created.handoff);
  }

  std::unique_ptr<ui::KioskWindow> window;
  if (!options.headless) {
    ui::WindowSettings window_settings;
    window_settings.fullscreen = config.kiosk.fullscreen && !options.windowed;
    window_settings.width = config.kiosk.window_width;
    window_settings.height = config.kiosk.window_height;
    window_settings.screenshot_dir = options.screenshot_dir;
    window_settings.log = log;
    window = ui::KioskWindow::open(window_settings, &error);
    if (!window) return setup_error(err, "no display for the kiosk screen: " + error);
  }
  std::unique_ptr<ui::TonePlayer> tones;
  if (!options.headless) tones = ui::TonePlayer::open(config.audio, log);

  ScannedTexts texts;
  LatestFrame frames;
  auto capture = Capture::start(config.capture, texts, frames, &error);
  if (!capture) return setup_error(err, "capture: " + error);
  trust->syncer->start();
  if (handoff) handoff->start();

  SystemClock clock;
  StateMachine machine(machine_settings(config), clock);
  CounterParts parts;
  sync::TrustStore& store = *trust->store;
  const sync::ClockCheck& clock_check = *trust->clock;
  parts.verifier = [&store] { return store.verifier(); };
  parts.trust_status = [&store](crypto::UnixSeconds now) { return trust_status_of(store, now); };
  parts.clock_state = [&clock_check] { return clock_state_of(clock_check.report()); };
  parts.audit = &audit.value();
  std::unique_ptr<HandoffWorker> handoff_worker;
  if (handoff) {
    handoff_worker = std::make_unique<HandoffWorker>(*handoff, log);
    parts.hand_off = [&handoff_worker](std::shared_ptr<const crypto::VerifiedPresentation> p,
                                       crypto::UnixSeconds at) { handoff_worker->submit(std::move(p), at); };
  }
  parts.tones = tones.get();
  parts.kiosk_id = config.kiosk.id;
  parts.reset_reader = [&capture] { capture->reset_reader(); };
  parts.log = log;
  if (options.headless) parts.on_verdict = [&out](const CounterVerdict& v) { print_verdict_line(v, out); };
  Counter counter(machine, texts, capture->frames() ? &frames : nullptr, parts, clock);

  log.info(std::string("running: kiosk ") + config.kiosk.id + ", " +
      (config.kiosk.mode == config::KioskMode::test ? "TEST mode" : "production mode"));
  const std::atomic<bool>& stop = stop_on_signals();
  if (window) {
    run_kiosk_loop(*window, counter, stop);
  } else {
    while (!stop) {
      counter.step();
      if (options.until_source_ends && capture->ended()) {
        counter.step();  // the last texts decoded
        break;
      }
      std::this_thread::sleep_for(15ms);
    }
  }
  capture->stop();
  trust->syncer->stop();
  handoff_worker.reset();  // what staff sent is written before the sender stops
  if (handoff) handoff->stop();
  if (auto purge_error = audit.value().last_purge_error()) log.error("audit purge failed: " + purge_error->message);
  log.info("stopped");
  return kExitOk;
}

Command add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run the kiosk: camera or scanner, verification, screens");
  run->add_option("--config", options->config_path,
                  std::string("Configuration file (default ") + config::kDefaultConfigPath + ")");
  run->add_flag("--windowed", options->windowed, "A window instead of fullscreen");
  run->add_flag("--headless", options->headless,
                "No screen: one JSON line per verdict (verdict, profile, QR age; no personal data)");
  run->add_flag("--until-source-ends", options->until_source_ends,
                "Stop when a test image folder or video has been read to its end");
  run->add_option("--screenshot-dir", options->screenshot_dir,
                  "Write a PNG of each screen as it is shown (valid results only in test mode)");
  return {run, [options](std::ostream& out, std::ostream& err) { return run_kiosk(*options, out, err); }};
}

}  // namespace kakunin::kiosk
