// kakunin-handoff-driver: a kiosk's hand-off alone, in its own process, so the fault
// tests (tests/handoff/handoff_fault_test.cpp) can load the fault shim into it, kill
// it with SIGKILL at any moment and start it again on the same outbox.
//
//   kakunin-handoff-driver --outbox DIR [--xml-dir DIR] [--json-dir DIR] [--post-url URL]
//       [--count N | --forever] [--settle xml,json,post] [--until-not-answering CHANNEL]
//       [--stop] [--stop-timeout-ms MS] [--share-timeout-ms MS] [--post-timeout-s S]
//
// Prints one line per step on standard output (logs go to standard error):
//   created MS                  Handoff::create and start() returned after MS ms
//   queued SEQ MS | failed SEQ DETAIL   per send(), in order; MS: how long send() took
//   settled                     the --settle channels have nothing pending
//   channel NAME pending N answering 0|1 error TEXT     with --settle / --until-not-answering
//   stopped MS                  stop() returned after MS ms (--stop)
#include <kakunin/handoff/handoff.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

namespace {

using namespace kakunin;
using Clock = std::chrono::steady_clock;

struct Options {
  config::HandoffSettings settings;
  long count = 0;
  bool forever = false;
  std::set<std::string> settle;
  std::string until_not_answering;
  bool stop = false;
  handoff::HandoffOptions handoff;
};

// A fictitious member; the hand-off takes a presentation the verifier passed, and
// verification is not what these tests are about.
crypto::VerifiedPresentation sample_presentation() {
  crypto::Certificate c;
  c.insurer_number = "06139992";
  c.symbol = "見本記号";
  c.number = "1234567";
  c.branch = "01";
  c.name = "見本 太郎";
  c.name_kana = "ミホン タロウ";
  c.birth_date = {1980, 4, 1};
  c.sex = crypto::Sex::male;
  c.issued = {2026, 4, 1};
  c.valid_until = {2027, 3, 31};
  c.ratio_tenths = 3;
  crypto::VerifiedPresentation p{
      crypto::Profile::issuer_signed, c, "見本健康保険組合", 0, 3, {}, false, false};
  return p;
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::set<std::string> split(const std::string& list) {
  std::set<std::string> out;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) out.insert(item);
  return out;
}

bool parse(int argc, char** argv, Options& o) {
  o.settings.enabled = true;
  o.settings.post_timeout_seconds = 5;
  o.handoff.backoff_initial = std::chrono::milliseconds(20);
  o.handoff.backoff_max = std::chrono::milliseconds(200);
  static base::StreamLogSink sink(std::cerr, "driver");
  o.handoff.log = base::Logger(sink);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--outbox") {
      o.settings.outbox_dir = value();
    } else if (arg == "--xml-dir") {
      o.settings.xml_dir = value();
    } else if (arg == "--json-dir") {
      o.settings.json_dir = value();
    } else if (arg == "--post-url") {
      o.settings.post_url = value();
    } else if (arg == "--count") {
      o.count = std::atol(value().c_str());
    } else if (arg == "--forever") {
      o.forever = true;
    } else if (arg == "--settle") {
      o.settle = split(value());
    } else if (arg == "--until-not-answering") {
      o.until_not_answering = value();
    } else if (arg == "--stop") {
      o.stop = true;
    } else if (arg == "--stop-timeout-ms") {
      o.handoff.stop_timeout = std::chrono::milliseconds(std::atol(value().c_str()));
    } else if (arg == "--share-timeout-ms") {
      o.handoff.share_timeout = std::chrono::milliseconds(std::atol(value().c_str()));
    } else if (arg == "--post-timeout-s") {
      o.settings.post_timeout_seconds = std::atoi(value().c_str());
    } else {
      return false;
    }
  }
  return true;
}

void print_channels(const handoff::QueueFigures& figures) {
  for (const auto& c : figures.channels) {
    std::cout << "channel " << handoff::channel_name(c.channel) << " pending " << c.pending
              << " answering " << (c.answering ? 1 : 0) << " error " << c.last_error << std::endl;
  }
}

// Polls the status the way a status page does, until `done` holds.
template <typename Done>
void wait_for(const handoff::Handoff& h, Done done) {
  while (!done(h.queue())) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::cerr << "usage: see the comment at the top of tests/handoff/driver/handoff_driver.cpp\n";
    return 2;
  }
  const auto start = Clock::now();
  auto created = handoff::Handoff::create(o.settings, "desk-1", o.handoff);
  if (!created.handoff) {
    std::cout << "error " << created.error << std::endl;
    return 1;
  }
  handoff::Handoff& h = *created.handoff;
  h.start();
  std::cout << "created " << ms_since(start) << std::endl;

  const crypto::VerifiedPresentation p = sample_presentation();
  for (long i = 0; o.forever || i < o.count; ++i) {
    const auto before = Clock::now();
    const handoff::Outcome outcome =
        h.send(p, static_cast<crypto::UnixSeconds>(std::time(nullptr)));
    if (outcome.kind == handoff::Outcome::Kind::queued) {
      std::cout << "queued " << outcome.sequence << " " << ms_since(before) << std::endl;
    } else {
      std::cout << "failed " << outcome.sequence << " " << outcome.detail << std::endl;
    }
  }
  if (!o.until_not_answering.empty()) {
    wait_for(h, [&](const handoff::QueueFigures& f) {
      for (const auto& c : f.channels) {
        if (handoff::channel_name(c.channel) == o.until_not_answering && !c.answering) return true;
      }
      return false;
    });
    print_channels(h.queue());
  }
  if (!o.settle.empty()) {
    wait_for(h, [&](const handoff::QueueFigures& f) {
      for (const auto& c : f.channels) {
        if (o.settle.count(std::string(handoff::channel_name(c.channel))) && c.pending > 0)
          return false;
      }
      return true;
    });
    std::cout << "settled" << std::endl;
    print_channels(h.queue());
  }
  if (o.stop) {
    const auto before = Clock::now();
    h.stop();
    std::cout << "stopped " << ms_since(before) << std::endl;
  }
  return 0;
}
