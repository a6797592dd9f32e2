#include "run_command.h"

#include "config_file.h"
#include "kiosk_log.h"
#include "outbox_handoff.h"
#include "run_health.h"
#include "run_metrics.h"
#include "trust_service.h"

#include <kakunin/audit/audit_log.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/kiosk/capture.h>
#include <kakunin/kiosk/cli.h>
#include <kakunin/kiosk/kiosk.h>
#include <kakunin/kiosk/metrics.h>
#include <kakunin/kiosk/service_notifier.h>
#include <kakunin/kiosk/stop_signal.h>
#include <kakunin/kiosk/watchdog.h>
#include <kakunin/ui/screen.h>
#include <kakunin/ui/tones.h>

#include <memory>
#include <optional>

namespace kakunin::kiosk {
namespace {

int setup_error(std::ostream& err, const std::string& reason) {
  err << "kakunin: error: " << reason << '\n';
  return kExitSetup;
}

StateMachineSettings machine_settings(const config::KioskConfig& config) {
  StateMachineSettings s;
  s.language = config.kiosk.language;
  s.test_mode = config.kiosk.mode == crypto::Mode::test;
  s.freshness_skipped = s.test_mode && config.freshness.skip_for_printed_sheets;
  s.result_time = std::chrono::seconds(config.kiosk.result_seconds);
  s.handoff_enabled = config.handoff.enabled;
  s.handoff_automatic = config.handoff.trigger == config::HandoffTrigger::automatic;
  s.online_enabled = config.online.enabled;
  s.version = KAKUNIN_VERSION;
  s.kiosk_id = config.kiosk.id;
  return s;
}

// A frame is read in well under a second even on a slow mini PC; fifteen
// seconds inside one read is a decoder that will not come back.
constexpr auto kDecodeStuckAfter = std::chrono::seconds(15);

void watch_stages(Watchdog& watchdog, const Capture& capture, const sync::Syncer& syncer) {
  if (const base::Heartbeat* decode = capture.decode_heartbeat())
    watchdog.watch("decode", *decode, kDecodeStuckAfter);
  watchdog.watch("sync", syncer.heartbeat(), syncer.longest_step());
}

}  // namespace

// The vendor's start-up figure, once, in the journal: how long from the start of
// `kakunin run` until staff see the camera (lists, audit log, fonts, the camera's
// first frame all on the way).
class FirstFrameLine {
 public:
  FirstFrameLine(const base::Logger& log, const Clock& clock, SteadyTime started)
      : log_(log), clock_(clock), started_(started) {}
  void after_turn(const Shown& shown) {
    if (told_ || !shown.preview || !shown.changed) return;
    told_ = true;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - started_);
    log_.info("first camera frame on screen " + std::to_string(ms.count()) + " ms after start");
  }

 private:
  const base::Logger& log_;
  const Clock& clock_;
  SteadyTime started_;
  bool told_ = false;
};

int run_kiosk(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const SteadyTime started = SystemClock().steady_now();
  const std::string config_path =
      options.config_path.empty() ? config::kDefaultConfigPath : options.config_path;
  const auto loaded = load_config_reporting(config_path, err);
  if (!loaded)
    return setup_error(err, config_path + " has errors; the kiosk does not start half-configured");
  const config::KioskConfig& config = *loaded;
  // One log for every part, at [log] level; setup errors above and below go to
  // `err` as the CLI's own "kakunin: error:" lines whatever the level.
  const KioskLog kiosk_log(config, err);
  const base::Logger log = kiosk_log.logger();

  std::string error;
  auto trust = make_trust_service(config, log, &error);
  if (!trust) return setup_error(err, error);

  // The audit log says what it does through the kiosk's log, and purges only
  // while the kiosk's own clock check (NTP state and the sync server's Date) says
  // the clock can be trusted.
  audit::AuditOptions audit_options;
  audit_options.log = log;
  const sync::ClockCheck& clock_check = *trust->clock;
  audit_options.clock_problem = [&clock_check]() -> std::optional<std::string> {
    const sync::ClockReport report = clock_check.report();
    if (report.state == base::ClockState::ok) return std::nullopt;
    return report.message;
  };
  auto audit = audit::AuditLog::open(config.audit, audit_options);
  if (!audit.ok()) return setup_error(err, "audit log: " + audit.error().message);

  std::unique_ptr<handoff::Handoff> handoff;
  if (config.handoff.enabled) {
    handoff::HandoffOptions handoff_options;
    handoff_options.hand_over_test_material = config.kiosk.mode == crypto::Mode::test;
    handoff_options.log = log;
    auto created = handoff::Handoff::create(config.handoff, config.kiosk.id, handoff_options);
    if (!created.handoff) return setup_error(err, "hand-off: " + created.error);
    handoff = std::move(created.handoff);
  }

  // [online]: the request template is checked here, so a vendor's broken one stops
  // the start with its line rather than failing each scan.
  std::unique_ptr<online::OnlineCheck> online_check;
  if (config.online.enabled) {
    online::OnlineOptions online_options;
    online_options.kiosk_id = config.kiosk.id;
    online_options.log = log;
    auto created = online::OnlineCheck::create(config.online, online_options);
    if (!created.check) return setup_error(err, created.error);
    online_check = std::move(created.check);
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

  auto capture = Capture::from_settings(config.capture, &error);
  if (!capture) return setup_error(err, "capture: " + error);
  trust->syncer->start();
  if (handoff) handoff->start();

  // The sinks first: they outlive the kiosk that pushes to them.
  AuditSink audit_sink(audit.value(), config.kiosk.id, log);
  std::optional<ToneSink> tone_sink;
  if (tones) tone_sink.emplace(*tones);
  JsonLineSink headless_line(out);
  std::optional<OutboxHandoff> outbox;
  if (handoff) outbox.emplace(*handoff, log);
  const RunHealth health(audit.value(), handoff.get(), online_check.get());
  MetricsSink verdict_counts;

  SystemClock clock;
  const HeldTrust held(*trust);
  Kiosk kiosk(std::move(capture), held, machine_settings(config), clock, log);
  kiosk.add_sink(audit_sink);
  if (tone_sink) kiosk.add_sink(*tone_sink);
  if (options.headless) kiosk.add_sink(headless_line);
  if (outbox) kiosk.set_handoff(*outbox);
  if (online_check) kiosk.set_online(*online_check);
  kiosk.set_health(health);

  // [metrics]: node_exporter's text file, written on its own thread.
  std::optional<RunMetrics> metrics;
  std::optional<MetricsTextfile> metrics_file;
  if (config.metrics.enabled) {
    kiosk.add_sink(verdict_counts);
    metrics.emplace(verdict_counts, *trust, held, kiosk.capture(), handoff.get(),
                    online_check.get(), clock);
    metrics_file.emplace(
        config.metrics, [&metrics] { return metrics->snapshot(); }, log);
    metrics_file->start();
  }

  log.info(std::string("running: kiosk ") + config.kiosk.id + ", " +
           (config.kiosk.mode == crypto::Mode::test ? "TEST mode" : "production mode"));
  // systemd (Type=notify, WatchdogSec=) hears from the loop: ready after the
  // first turn, alive while the loop, the decoder and the sync thread move.
  const auto notifier = service_notifier();
  Watchdog watchdog(*notifier, clock, log);
  watch_stages(watchdog, kiosk.capture(), *trust->syncer);
  LoopEnd end;
  end.stop = &stop_on_signals();
  if (options.until_source_ends) end.done = [&kiosk] { return kiosk.capture().ended(); };
  FirstFrameLine first_frame(log, clock, started);
  const bool on_screen = window != nullptr;
  OnlineLine online_line(out);  // headless: the national answer, after the verdict's line
  const bool tell_online = options.headless && online_check != nullptr;
  kiosk.run(window.get(), end, [&](const Shown& shown) {
    if (on_screen) first_frame.after_turn(shown);
    if (tell_online) online_line.after_turn(shown.model);
    watchdog.turn(service_status(shown.model));
  });
  watchdog.stopping();
  if (metrics_file) {
    metrics_file->stop();
    metrics_file->write_now();  // the last counts, as the kiosk stops
  }
  trust->syncer->stop();
  if (handoff) handoff->stop();  // delivers what is queued until its stop timeout
  if (auto purge_error = audit.value().last_purge_error())
    log.warn("audit purge not done: " + purge_error->message);
  log.info("stopped");
  return kExitOk;
}

Command add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run =
      app.add_subcommand("run", "Run the kiosk: camera or scanner, verification, screens");
  run->add_option("--config", options->config_path,
                  std::string("Configuration file (default ") + config::kDefaultConfigPath + ")");
  run->add_flag("--windowed", options->windowed, "A window instead of fullscreen");
  run->add_flag(
      "--headless", options->headless,
      "No screen: one JSON line per verdict (verdict, profile, QR age; no personal data)");
  run->add_flag("--until-source-ends", options->until_source_ends,
                "Stop when a test image folder or video has been read to its end");
  run->add_option("--screenshot-dir", options->screenshot_dir,
                  "Write a PNG of each screen as it is shown (valid results only in test mode)");
  return {run, [options](std::ostream& out, std::ostream& err) {
            return run_kiosk(*options, out, err);
          }};
}

}  // namespace kakunin::kiosk
