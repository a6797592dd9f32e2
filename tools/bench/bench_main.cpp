// kakunin-bench SUBCOMMAND [--quick]
#include "bench.h"

#include <fstream>
#include <string>
#include <iostream>
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

}  // namespace kakunin::bench

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  kakunin::bench::BenchOptions options;
  for (int i = 2; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--quick") {
      options.quick = true;
    } else {
      std::cerr << "kakunin-bench: unknown option " << argv[i] << '\n';
      return 2;
    }
  }
  if (command == "verify") return kakunin::bench::run_verify_bench(options);
  std::cerr << "usage: kakunin-bench verify [--quick]\n";
  return 2;
}
