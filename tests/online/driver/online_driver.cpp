// Drives an OnlineCheck in its own process, for the tests that need one: a hung
// share (the fault shim is loaded into this process) and kill -9 in the middle of
// round trips. Prints one line per event to stdout:
//   started                      the check runs (earlier runs' files are cleared)
//   asked TICKET                 ask() returned
//   status TICKET STATE REASON   every --report-ms while a ticket is pending, and once final
//   done
//
//   kakunin-online-driver --req DIR --res DIR [--timeout S] [--count N] [--interval-ms M]
//                         [--report-ms R] [--linger-ms L]
#include <kakunin/online/online.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "../online_test_support.h"

namespace {

struct Args {
  kakunin::config::OnlineSettings settings;
  int count = 1;
  int interval_ms = 0;
  int report_ms = 100;
  int linger_ms = 0;
};

Args parse(int argc, char** argv) {
  Args args;
  args.settings.enabled = true;
  args.settings.timeout_seconds = 2;
  args.settings.medical_institution_code = "1312345678";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--req") args.settings.req_dir = value;
    if (key == "--res") args.settings.res_dir = value;
    if (key == "--timeout") args.settings.timeout_seconds = std::stoi(value);
    if (key == "--count") args.count = std::stoi(value);
    if (key == "--interval-ms") args.interval_ms = std::stoi(value);
    if (key == "--report-ms") args.report_ms = std::stoi(value);
    if (key == "--linger-ms") args.linger_ms = std::stoi(value);
  }
  return args;
}

void say(const std::string& line) { std::cout << line << std::endl; }

void report(const kakunin::online::OnlineCheck& check, std::uint64_t ticket) {
  const auto status = check.status(ticket);
  say("status " + std::to_string(ticket) + " " +
      std::string(kakunin::online::online_state_name(status.state)) + " " +
      std::string(kakunin::online::online_reason_name(status.reason)));
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  kakunin::online::OnlineOptions options;
  options.kiosk_id = "desk-1";
  options.poll_interval = std::chrono::milliseconds(20);
  auto created = kakunin::online::OnlineCheck::create(args.settings, options);
  if (!created.check) {
    std::cerr << created.error << "\n";
    return 2;
  }
  auto& check = *created.check;
  say("started");
  const auto presentation = kakunin::testing::sample_presentation();
  for (int i = 0; i < args.count; ++i) {
    const std::uint64_t ticket = check.ask(presentation, 1795132800);
    say("asked " + std::to_string(ticket));
    while (!check.status(ticket).final()) {
      report(check, ticket);
      std::this_thread::sleep_for(std::chrono::milliseconds(args.report_ms));
    }
    report(check, ticket);
    std::this_thread::sleep_for(std::chrono::milliseconds(args.interval_ms));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(args.linger_ms));
  say("done");
  return 0;
}
