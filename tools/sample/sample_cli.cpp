// kakunin-sample: a TEST issuer for field tests. Makes a world of fictitious
// insurers and members, presentations of both profiles, revocations and key
// rotations, a printable sheet of every case, a phone-shaped member page and the
// same page served to a real phone. Nothing it makes passes on a production kiosk
// (every list it signs is marked test).
#include "sample_cli.h"

#include "member_page.h"
#include "oqs_terminal.h"
#include "phone_window.h"
#include "qr_png.h"
#include "sample_server.h"
#include "sample_world.h"
#include "sheet.h"

#include <kakunin/base/clock.h>

#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace kakunin::sample {
namespace {

using crypto::Profile;
using crypto::UnixSeconds;

Profile profile_of(const std::string& name) {
  return name == "holder" ? Profile::holder_bound : Profile::issuer_signed;
}

struct Options {
  std::string dir, member_id, profile = "issuer", png, insurer, out, listen = "127.0.0.1:8080";
  std::optional<UnixSeconds> at;
  bool text = false;
  int refresh = 10;
  int frames = 0;
  int step = 1;
  int scale = 2;
  std::string req, res, encoding = "utf-8", mode = "answer";
  int delay_ms = 0;
  bool once = false;
};

int run_sheet(const Options& o, UnixSeconds now, std::ostream& out) {
  const auto world = SampleWorld::load(o.dir);
  const auto cases = make_sheet_cases(world, now);
  TextPainter painter;
  write_sheet(render_sheet(world, cases, now, painter), o.out);
  out << "sheet with " << cases.size() << " cases written to " << o.out
      << "; read it on a kiosk in test mode with freshness.skip_for_printed_sheets = true "
         "(kakunin verify --mode test --skip-freshness)\n";
  return 0;
}

int run_phone(const Options& o, UnixSeconds now, std::ostream& out, std::ostream& err) {
  const auto world = SampleWorld::load(o.dir);
  TextPainter painter;
  MemberPage page(world, o.member_id, profile_of(o.profile), o.refresh, now, o.scale, painter);
  if (o.frames > 0) {
    // Headless: frames at simulated times, for tests and for documentation.
    std::filesystem::create_directories(o.out);
    for (int i = 0; i < o.frames; ++i) {
      const UnixSeconds t = now + static_cast<UnixSeconds>(i) * o.step;
      char name[32];
      std::snprintf(name, sizeof name, "frame-%03d.png", i);
      const auto path = std::filesystem::path(o.out) / name;
      if (!cv::imwrite(path.string(), page.render(t)))
        throw std::runtime_error("cannot write " + path.string());
      out << path.string() << " at " << t << " presented_at " << page.presented_at() << '\n';
    }
    return 0;
  }
  // Live: the simulated clock runs from --at (default now) in real time.
  const UnixSeconds offset = now - base::system_clock().wall_now();
  std::string error;
  if (!run_phone_window(
          page, [offset] { return base::system_clock().wall_now() + offset; }, o.scale, &error)) {
    err << "kakunin-sample: error: " << error << '\n';
    return 2;
  }
  return 0;
}

int run_serve(const Options& o, std::ostream& out, std::ostream& err) {
  const auto address = parse_listen(o.listen);
  if (!address) {
    err << "kakunin-sample: error: --listen must be HOST:PORT (port 1-65535), not " << o.listen
        << '\n';
    return 2;
  }
  SampleServer server(SampleWorld::load(o.dir), o.refresh);
  // Ctrl-C and SIGTERM stop the server cleanly: blocked here, awaited by one thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::string error;
  const auto port = server.bind(address->host, address->port, &error);
  if (!port) {
    err << "kakunin-sample: error: " << error << '\n';
    return 2;
  }
  if (!is_loopback(address->host)) {
    err << "kakunin-sample: warning: listening on " << address->host
        << ", not loopback: the sample pages and fresh sample QR codes are reachable by anyone on "
           "this "
           "network (TEST material, refused by production kiosks)\n";
  }
  const std::string shown_host =
      address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
  out << "serving sample member pages at http://" << shown_host << ':' << *port
      << "/  (TEST material; Ctrl-C stops)\n";
  if (address->host == "0.0.0.0" || address->host == "::") {
    out << "on the phone, open http://THIS-MACHINE'S-LAN-ADDRESS:" << *port << "/\n";
  }
  out << std::flush;
  std::thread stopper([&server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
  });
  stopper.detach();  // lives until a signal; the process ends with the server
  if (!server.run()) {
    err << "kakunin-sample: error: the server stopped: cannot accept connections on " << o.listen
        << '\n';
    return 2;
  }
  return 0;
}

TerminalOptions terminal_options(const Options& o, std::ostream& out, std::ostream& err) {
  TerminalOptions t;
  t.req_dir = o.req;
  t.res_dir = o.res;
  t.encoding =
      o.encoding == "shift_jis" ? config::XmlEncoding::shift_jis : config::XmlEncoding::utf8;
  t.mode = terminal_mode_from_name(o.mode).value_or(TerminalMode::answer);
  t.delay = std::chrono::milliseconds(o.delay_ms);
  // File names and modes only: what the answers hold is about (sample) people.
  t.on_request = [&out](const TerminalEvent& e) {
    out << "took " << e.request_file << " (mode " << terminal_mode_name(e.mode)
        << "): " << e.outcome;
    if (!e.answer_file.empty()) out << "; answered with " << e.answer_file;
    out << '\n' << std::flush;
  };
  t.on_error = [&err](const std::string& reason) {
    err << "kakunin-sample: warning: " << reason << '\n' << std::flush;
  };
  return t;
}

int run_terminal(const Options& o, std::ostream& out, std::ostream& err) {
  for (const auto& [flag, dir] : {std::pair{"--req", &o.req}, std::pair{"--res", &o.res}}) {
    if (!std::filesystem::is_directory(*dir)) {
      err << "kakunin-sample: error: " << flag << " " << *dir << " is not a folder\n";
      return 2;
    }
  }
  TerminalSimulator terminal(SampleWorld::load(o.dir), terminal_options(o, out, err));
  if (o.once) {
    terminal.answer_pending();
    return terminal.last_error() ? 2 : 0;
  }
  // Ctrl-C and SIGTERM stop the terminal between requests: blocked here, awaited by one thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::atomic<bool> stop{false};
  std::thread stopper([&stop, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    stop = true;
  });
  out << "answering requests in " << o.req << " into " << o.res << " (mode " << o.mode << ", "
      << o.encoding << "; TEST material; Ctrl-C stops)\n"
      << std::flush;
  terminal.run(stop);
  stopper.join();
  return 0;
}

}  // namespace

int run_sample_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app(
      "kakunin-sample — TEST issuer for Kakunin field tests. Everything it makes is sample "
      "material: "
      "verified in test mode, refused as test_material by a production kiosk. See "
      "docs/sample-toolkit.md.",
      "kakunin-sample");
  app.require_subcommand(1);
  Options o;

  auto* init = app.add_subcommand(
      "init", "Make a new TEST world (keys, insurers, members, signed lists) in DIR");
  init->add_option("DIR", o.dir, "Folder for the world (must not hold one)")->required();
  init->add_option("--at", o.at, "Creation time (Unix seconds; default now)");

  auto* present = app.add_subcommand("present", "Print or draw one presentation of a member");
  present->add_option("DIR", o.dir, "The world's folder")->required();
  present->add_option("--member", o.member_id, "Member id from roster.toml")->required();
  present
      ->add_option("--profile", o.profile, "issuer (online page, §5.1) or holder (phone key, §5.2)")
      ->check(CLI::IsMember({"issuer", "holder"}));
  present->add_option("--at", o.at, "Presentation time (Unix seconds; default now)");
  auto* as_text = present->add_flag("--text", o.text, "Print the QR text");
  auto* as_png = present->add_option("--png", o.png, "Write the QR as a PNG image");
  as_text->excludes(as_png);

  auto* revoke =
      app.add_subcommand("revoke", "Revoke a member's certificate and publish the lists");
  revoke->add_option("DIR", o.dir, "The world's folder")->required();
  revoke->add_option("--member", o.member_id, "Member id from roster.toml")->required();
  revoke->add_option("--at", o.at, "Publishing time (Unix seconds; default now)");

  auto* rotate = app.add_subcommand(
      "rotate", "Give an insurer a new key (the old one retires now) and publish");
  rotate->add_option("DIR", o.dir, "The world's folder")->required();
  rotate->add_option("--insurer", o.insurer, "保険者番号 of the insurer")->required();
  rotate->add_option("--at", o.at,
                     "When the new key starts and the lists are published (default now)");

  auto* publish = app.add_subcommand("publish",
                                     "Re-sign both lists with the next sequence (lists are good "
                                     "for 7 days plus the kiosk's grace)");
  publish->add_option("DIR", o.dir, "The world's folder")->required();
  publish->add_option("--at", o.at, "Publishing time (Unix seconds; default now)");

  auto* sheet =
      app.add_subcommand("sheet", "Print an A4 field-test sheet with one labelled QR per case");
  sheet->footer(
      "Cases: valid (both profiles, every insurer), test material, forged signature, unknown "
      "insurer, another "
      "insurer's key, retired key, copied to another phone, phone credential expired, revoked, "
      "certificate out "
      "of date, not a JHC1 QR, malformed; each labelled (ja/en) with the verdict the kiosk must "
      "show.\n"
      "Printed codes cannot stay fresh: read the sheet on a kiosk in test mode with "
      "freshness.skip_for_printed_sheets = true (kakunin verify --mode test --skip-freshness "
      "SHEET.png). "
      "Without it the valid codes are stale; a production kiosk refuses every code.");
  sheet->add_option("DIR", o.dir, "The world's folder")->required();
  sheet->add_option("--out", o.out, "FILE.png or FILE.pdf (one A4 page, 300 dpi)")->required();
  sheet->add_option("--at", o.at, "Signing time (Unix seconds; default now)");

  auto* phone =
      app.add_subcommand("phone", "Show a member's page in a phone-shaped window, or write frames");
  phone->footer(
      "A 390x844 window like the member's 資格確認書【web】 page: live clock, 見本 SAMPLE "
      "watermark, a new QR "
      "every --refresh seconds. Esc or Q closes it. With --frames N --out FOLDER it writes N PNG "
      "frames at "
      "simulated times --at + i*--step instead (no display needed) and prints PATH at T "
      "presented_at P.");
  phone->add_option("DIR", o.dir, "The world's folder")->required();
  phone->add_option("--member", o.member_id, "Member id from roster.toml")->required();
  phone->add_option("--profile", o.profile, "issuer (online page) or holder (phone key)")
      ->check(CLI::IsMember({"issuer", "holder"}));
  phone->add_option("--refresh", o.refresh, "Seconds between new QR codes (default 10)")
      ->check(CLI::Range(1, 300));
  phone->add_option("--scale", o.scale, "Pixels per logical point (default 2)")
      ->check(CLI::Range(1, 4));
  auto* frames =
      phone->add_option("--frames", o.frames, "Write N frames as PNG instead of opening a window")
          ->check(CLI::Range(1, 10000));
  auto* frames_out =
      phone->add_option("--out", o.out, "Folder for the frames (frame-000.png, ...)");
  frames->needs(frames_out);
  frames_out->needs(frames);
  phone->add_option("--at", o.at, "Simulated time the page opens (Unix seconds; default now)");
  phone->add_option("--step", o.step, "Simulated seconds between frames (default 1)")
      ->check(CLI::Range(1, 86400))
      ->needs(frames);

  auto* serve =
      app.add_subcommand("serve", "Serve the member pages over HTTP for a real phone's browser");
  serve->footer(
      "Member picker at /, pages at /member?id=ID&profile=issuer|holder, fresh presentations at "
      "/api/presentation?member=ID (JSON) and /qr.svg?member=ID. Plain HTTP on 127.0.0.1:8080 by "
      "default; a "
      "phone on the LAN needs e.g. --listen 0.0.0.0:8080, which warns that sample material is "
      "exposed on the "
      "network. Ctrl-C stops it.");
  serve->add_option("DIR", o.dir, "The world's folder")->required();
  serve->add_option("--listen", o.listen,
                    "HOST:PORT (default 127.0.0.1:8080; e.g. 0.0.0.0:8080 for a phone on the LAN, "
                    "with a warning)");
  serve->add_option("--refresh", o.refresh, "Seconds between new QR codes (default 10)")
      ->check(CLI::Range(1, 300));

  auto* terminal = app.add_subcommand(
      "terminal",
      "Simulate a 資格確認端末: answer the kiosk's OQSsiquc01req requests from the roster");
  terminal->footer(
      "Takes each OQSsiquc01req_*.xml from --req (dot files are writes in flight) and writes "
      "OQSsiquc01res_*.xml into --res, looked up in the world's roster. Modes: answer, no-answer, "
      "late (30 s unless --delay-ms), error, lost, not-found, other-ratio, malformed, oversized, "
      "in-pieces, other-request. One line per request (file name and mode, no personal data). "
      "--once answers what is pending and exits; otherwise Ctrl-C or SIGTERM stops it.");
  terminal->add_option("--world", o.dir, "The world's folder")->required();
  terminal->add_option("--req", o.req, "The terminal's req folder (the kiosk's online.req_dir)")
      ->required();
  terminal->add_option("--res", o.res, "The terminal's res folder (the kiosk's online.res_dir)")
      ->required();
  terminal->add_option("--encoding", o.encoding, "utf-8 (default) or shift_jis (CP932)")
      ->check(CLI::IsMember({"utf-8", "shift_jis"}));
  terminal->add_option("--mode", o.mode, "How to answer (default answer; see below)")
      ->check(CLI::IsMember(terminal_mode_names()));
  terminal->add_option("--delay-ms", o.delay_ms, "Milliseconds before each answer (default 0)")
      ->check(CLI::Range(0, 3600 * 1000));
  terminal->add_flag("--once", o.once, "Answer the requests pending now and exit");

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "kakunin-sample: error: " << e.what() << '\n';
    return 2;
  }
  try {
    const UnixSeconds now = o.at.value_or(base::system_clock().wall_now());
    if (init->parsed()) {
      const auto world = SampleWorld::create(o.dir, now);
      out << "TEST world written to " << o.dir << " (" << world.insurers.size() << " insurers, "
          << world.members.size() << " members). Pinned key: " << o.dir
          << "/keys/trustlist-signing.pub.pem\n";
    } else if (present->parsed()) {
      if (!o.text && o.png.empty()) throw std::runtime_error("give --text or --png FILE");
      const auto world = SampleWorld::load(o.dir);
      const std::string qr = world.present(o.member_id, profile_of(o.profile), now);
      if (o.text) {
        out << qr << '\n';
      } else {
        write_qr_png(qr, o.png);
      }
    } else if (revoke->parsed()) {
      auto world = SampleWorld::load(o.dir);
      world.revoke(o.member_id);
      world.publish(now);
      out << "revoked " << o.member_id << "; lists published with sequence " << world.sequence
          << '\n';
    } else if (rotate->parsed()) {
      auto world = SampleWorld::load(o.dir);
      world.rotate(o.insurer, now);
      world.publish(now);
      out << "rotated the key of " << o.insurer << "; lists published with sequence "
          << world.sequence << '\n';
    } else if (publish->parsed()) {
      auto world = SampleWorld::load(o.dir);
      world.republish(now);
      out << "lists published with sequence " << world.sequence << '\n';
    } else if (sheet->parsed()) {
      return run_sheet(o, now, out);
    } else if (phone->parsed()) {
      return run_phone(o, now, out, err);
    } else if (serve->parsed()) {
      return run_serve(o, out, err);
    } else if (terminal->parsed()) {
      return run_terminal(o, out, err);
    }
  } catch (const std::exception& e) {
    err << "kakunin-sample: error: " << e.what() << '\n';
    return 2;
  }
  return 0;
}

}  // namespace kakunin::sample
