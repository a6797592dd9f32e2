// Shared pieces of kakunin-bench's sub-commands.
#pragma once

#include <kakunin/frame/frame.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cv {
class Mat;
}

namespace kakunin::bench {

struct BenchOptions {
  bool quick = false;                  // CI smoke run: shorter rounds, smaller lists
  std::vector<std::string> arguments;  // the rest of the command line, for commands that take any
};

int run_verify_bench(const BenchOptions& options);
int run_decode_bench(const BenchOptions& options);
int run_make_synthetic_set(const BenchOptions& options);
int run_e2e_bench(const BenchOptions& options);
// `kakunin run` as a process: start-up time, peak RSS, the libraries it maps.
int print_kiosk_process_figures(const BenchOptions& options);
int run_soak_bench(const BenchOptions& options);

// Calls `work` (which does `batch` operations) until `seconds` have passed; returns
// operations per second. Figures are steady_clock time over many repetitions, never
// one timed call.
template <typename Work>
double rate_per_second(Work&& work, int batch, double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::int64_t done = 0;
  double elapsed = 0;
  do {
    work();
    done += batch;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(done) / elapsed;
}

// The value at fraction `p` (0.5 = median, 0.95 = p95) of `values`, nearest rank;
// 0 for none.
double percentile(std::vector<double> values, double p);

// Resident and peak resident memory of this process in KiB (/proc/self/status).
struct Memory {
  long rss_kib = 0;
  long hwm_kib = 0;
};
Memory memory_now();
// User and system CPU time this process has used so far, in seconds (getrusage).
double cpu_seconds();

// A continuous 8-bit BGR image as a camera frame (a copy of its pixels).
frame::Frame frame_from(const cv::Mat& bgr);

// Hands freed heap memory back to the system so a following RSS difference counts
// only what is allocated after it.
void release_free_memory();

}  // namespace kakunin::bench
