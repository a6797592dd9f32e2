// kakunin-bench SUBCOMMAND [--quick]
#include "bench.h"

#include <opencv2/core.hpp>

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace kakunin::bench {

Memory memory_now() {
  Memory memory;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) memory.rss_kib = std::stol(line.substr(6));
    if (line.starts_with("VmHWM:")) memory.hwm_kib = std::stol(line.substr(6));
  }
  return memory;
}

void release_free_memory() { malloc_trim(0); }

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

frame::Frame frame_from(const cv::Mat& bgr) {
  frame::Frame frame;
  frame.width = bgr.cols;
  frame.height = bgr.rows;
  frame.stride = bgr.cols * 3;
  frame.format = frame::FrameView::Format::bgr24;
  frame.pixels.assign(bgr.data, bgr.data + bgr.total() * 3);
  return frame;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index =
      static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)));
  return values[std::min(index, values.size() - 1)];
}

}  // namespace kakunin::bench

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const kakunin::bench::BenchOptions&);
  bool takes_arguments = false;
};
constexpr Command kCommands[] = {
    {"verify",
     "verification rates beside the raw signature rate, and a large\n"
     "           revocation list's load time, look-up time and memory",
     kakunin::bench::run_verify_bench},
    {"decode",
     "[--stills] [--misses] DIR...: QR read rate and ms per image of the\n"
     "           decode pipeline beside ZBar, zxing-cpp and WeChat alone (folders\n"
     "           of NAME.jpg + NAME.txt; --stills: as for single images, not a\n"
     "           camera stream; --misses: name what was missed)",
     kakunin::bench::run_decode_bench, true},
    {"make-synthetic",
     "OUT_DIR [--count N] [--seed S]: 1280x720 phone-screen frames\n"
     "           showing JHC1 QRs, for `decode`",
     kakunin::bench::run_make_synthetic_set, true},
    {"e2e",
     "the kiosk loop on a synthetic camera: capture → result drawn latency,\n"
     "           a phone appearing → result drawn, CPU while idle at 30 fps beside\n"
     "           the floor; then kakunin run itself: start-up, peak RSS, libraries",
     kakunin::bench::run_e2e_bench},
    {"soak",
     "a compressed counter day: 20,000 verifications in bursts between empty-\n"
     "           counter stretches; RSS, open files and threads after warm-up",
     kakunin::bench::run_soak_bench},
};

void print_usage(std::ostream& out) {
  out << "usage: kakunin-bench COMMAND [--quick]\ncommands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << std::string(c.name.size() < 9 ? 9 - c.name.size() : 1, ' ')
        << c.summary << '\n';
  }
  out << "options:\n  --quick  shorter rounds and smaller data (CI smoke run)\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "-h" || command == "--help") {
    print_usage(std::cout);
    return 0;
  }
  kakunin::bench::BenchOptions options;
  for (int i = 2; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--quick") {
      options.quick = true;
    } else {
      options.arguments.emplace_back(argv[i]);
    }
  }
  for (const Command& c : kCommands) {
    if (c.name != command) continue;
    if (!c.takes_arguments && !options.arguments.empty()) {
      std::cerr << "kakunin-bench: unknown option " << options.arguments.front() << '\n';
      return 2;
    }
    return c.run(options);
  }
  print_usage(std::cerr);
  return 2;
}
