// kakunin-sync-driver: the kiosk's list sync alone, in its own process, so the fault
// tests (tests/sync/file_sync_faults_test.cpp) can load the fault shim into it and
// stop it with SIGTERM as systemd stops the kiosk.
//
//   kakunin-sync-driver --state-dir DIR --pinned-key PEM --trust-list-url URL
//       [--revocations-url URL] --timeout-ms MS (--once | --background)
//
// Prints one line per step on standard output (logs go to standard error):
//   round MS                   sync_once() returned after MS ms (--once)
//   trust_list RESULT REASON   and `revocations RESULT REASON`, the round's outcomes (--once)
//   started                    the background thread runs (--background); send SIGTERM
//   stopped MS                 SIGTERM came and Syncer::stop() returned after MS ms
//   held SEQUENCE              the trust list in use at the end, or "held none"
#include <kakunin/base/log.h>
#include <kakunin/base/read_file.h>
#include <kakunin/sync/sync.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace {

using namespace kakunin;
using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

void say(const std::string& line) {
  std::cout << line << std::endl;  // flushed: the test reads it as it comes
}

std::string outcome_line(const char* name, const sync::ListOutcome& outcome) {
  return std::string(name) + " " + std::string(sync::list_result_name(outcome.result)) + " " +
         outcome.reason;
}

int usage() {
  std::cerr << "usage: kakunin-sync-driver --state-dir DIR --pinned-key PEM --trust-list-url URL "
               "[--revocations-url URL] --timeout-ms MS (--once | --background)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--once" || name == "--background") {
      args["mode"] = name;
    } else if (i + 1 < argc) {
      args[name] = argv[++i];
    } else {
      return usage();
    }
  }
  for (const char* required :
       {"--state-dir", "--pinned-key", "--trust-list-url", "--timeout-ms", "mode"}) {
    if (!args.count(required)) return usage();
  }
  const auto pem = base::read_file(args["--pinned-key"], std::size_t{64} * 1024);
  auto key = pem.ok() ? crypto::PublicKey::from_pem(pem.value()) : std::nullopt;
  auto pins = key ? crypto::PinnedKeys::from_keys({*key}) : std::nullopt;
  if (!pins) return usage();

  sync::SyncSettings settings;
  settings.state_dir = args["--state-dir"];
  settings.trust_list_url = args["--trust-list-url"];
  settings.revocations_url = args["--revocations-url"];
  settings.transport.total_timeout = std::chrono::milliseconds(std::stoll(args["--timeout-ms"]));
  settings.retry.retries = 0;
  settings.interval = std::chrono::hours(1);

  // SIGTERM is taken by sigwait below; blocked before any thread starts, so every
  // thread inherits the mask and none dies of it.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, nullptr);

  base::StreamLogSink sink(std::cerr, "kakunin-sync-driver");
  sync::TrustStore store(crypto::Mode::production, crypto::FreshnessPolicy{});
  sync::Syncer syncer(settings, *pins, store, base::Logger(sink));
  syncer.load_held();

  if (args["mode"] == "--once") {
    const auto started = Clock::now();
    const sync::RoundReport report = syncer.sync_once();
    say("round " + std::to_string(ms_since(started)));
    say(outcome_line("trust_list", report.trust_list));
    say(outcome_line("revocations", report.revocations));
  } else {
    syncer.start();
    say("started");
    int signal_number = 0;
    sigwait(&term, &signal_number);
    const auto stopping = Clock::now();
    syncer.stop();
    say("stopped " + std::to_string(ms_since(stopping)));
  }
  const auto snapshot = store.snapshot();
  say(snapshot.trust_list ? "held " + std::to_string(snapshot.trust_list->header().sequence)
                          : std::string("held none"));
  return 0;
}
