// `kakunin run` itself, as a clinic starts it, measured from outside: a TEST
// world made with kakunin-sample, camera-sized phone photographs in an image
// folder, the kiosk in a window on SDL's dummy video driver. The figures are
// the kiosk process's own, not this benchmark's (which links the signer, the
// synthetic camera and OpenCV's image codecs).
#include "bench.h"

#include <kakunin/drivers/synthetic_source.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kakunin::bench {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

fs::path own_folder() { return fs::read_symlink("/proc/self/exe").parent_path(); }

// Runs a command of this build's tools and returns what it printed.
std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  if (::pclose(pipe) != 0) throw std::runtime_error(command + " failed");
  return out;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// The kiosk's folder: a TEST world's lists and pinned key, `photos` camera-sized
// frames of members' phones, and a kakunin.toml that reads them.
fs::path make_kiosk_folder(int photos) {
  std::string templ = (fs::temp_directory_path() / "kakunin-bench-run-XXXXXX").string();
  if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  fs::path dir = templ;
  const fs::path tools = own_folder();
  output_of((tools / "kakunin-sample").string() + " init " + (dir / "world").string());
  fs::create_directories(dir / "trust");
  fs::create_directories(dir / "counter");
  for (const char* list : {"trustlist.cose", "revocations.cose"})
    fs::copy_file(dir / "world" / list, dir / "trust" / list);

  drivers::SyntheticPhoneOptions phone;
  phone.seed = 31;
  phone.difficulty = 0.2;
  phone.frames_per_presentation = 1;
  const std::array<const char*, 2> members{"taro", "hanako"};
  std::vector<std::string> texts;
  texts.reserve(static_cast<std::size_t>(photos));
  for (int i = 0; i < photos; ++i) {
    texts.push_back(
        trimmed(output_of((tools / "kakunin-sample").string() + " present " +
                          (dir / "world").string() + " --text --member " + members[i % 2])));
  }
  drivers::SyntheticPhoneSource source(phone, [&](std::uint64_t n) { return texts[n]; });
  for (int i = 0; i < photos; ++i) {
    const frame::Frame frame = source.render(static_cast<std::uint64_t>(i));
    const cv::Mat bgr(frame.height, frame.width, CV_8UC3,
                      const_cast<std::uint8_t*>(frame.pixels.data()),
                      static_cast<std::size_t>(frame.stride));
    char name[32];
    std::snprintf(name, sizeof name, "%02d.jpg", i);
    cv::imwrite((dir / "counter" / name).string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 90});
  }
  std::ofstream(dir / "kakunin.toml")
      << "[kiosk]\nid = \"bench-1\"\nmode = \"test\"\nfullscreen = false\n"
      << "[trust]\npinned_keys = [\""
      << (dir / "world" / "keys" / "trustlist-signing.pub.pem").string() << "\"]\nstate_dir = \""
      << (dir / "trust").string() << "\"\n"
      << "[capture]\nkind = \"image_folder\"\ndevice = \"" << (dir / "counter").string() << "\"\n"
      << "[audit]\ndatabase = \"" << (dir / "audit.sqlite").string() << "\"\nsecret_file = \""
      << (dir / "audit.key").string() << "\"\n";
  return dir;
}

// The peak resident KiB of a process's program so far (/proc/PID/status VmHWM).
// Not wait4's ru_maxrss: that counts the child from fork(), when it is still a
// copy of this benchmark (150 MiB) and not yet the kiosk it will exec.
long peak_resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    long kib = 0;
    if (std::sscanf(line.c_str(), "VmHWM: %ld kB", &kib) == 1) return kib;
  }
  return 0;
}

// Resident KiB per mapped file of a process (/proc/PID/smaps), largest first.
std::vector<std::pair<std::string, long>> resident_by_file(pid_t pid) {
  std::ifstream smaps("/proc/" + std::to_string(pid) + "/smaps");
  std::map<std::string, long> by_file;
  std::string current;
  for (std::string line; std::getline(smaps, line);) {
    if (line.empty()) continue;
    if (std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') < 17) {
      const std::size_t slash = line.find('/');
      current = slash == std::string::npos ? "" : line.substr(slash);
      continue;
    }
    long kib = 0;
    if (!current.empty() && std::sscanf(line.c_str(), "Rss: %ld kB", &kib) == 1)
      by_file[current] += kib;
  }
  std::vector<std::pair<std::string, long>> sorted(by_file.begin(), by_file.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

struct KioskRun {
  std::optional<double> first_frame_ms;              // exec → first camera frame on screen
  long peak_rss_kib = 0;                             // the kiosk's VmHWM, polled while it runs
  std::vector<std::pair<std::string, long>> mapped;  // while it reads
  int status = -1;
  std::string log;
};

KioskRun run_kiosk_process(const fs::path& dir, std::chrono::seconds limit) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const std::string kakunin = (own_folder() / "kakunin").string();
  const std::string config = (dir / "kakunin.toml").string();
  const auto started = SteadyClock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::setenv("SDL_VIDEODRIVER", "dummy", 1);
    ::setenv("SDL_AUDIODRIVER", "dummy", 1);
    ::execl(kakunin.c_str(), kakunin.c_str(), "run", "--config", config.c_str(), "--windowed",
            "--until-source-ends", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  KioskRun run;
  std::string pending;
  std::optional<SteadyClock::time_point> sample_maps_at;
  for (;;) {
    // Polled every 50 ms at most until the pipe closes, which the kiosk does
    // only as it exits: the last reading is its peak but for its last moments.
    if (run.first_frame_ms) run.peak_rss_kib = std::max(run.peak_rss_kib, peak_resident_kib(pid));
    if (sample_maps_at && SteadyClock::now() >= *sample_maps_at) {
      run.mapped = resident_by_file(pid);
      sample_maps_at.reset();
    }
    if (SteadyClock::now() - started > limit) {
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    if (::poll(&fd, 1, 50) <= 0) continue;
    std::array<char, 4096> buffer{};
    const ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
    if (n <= 0) break;  // the kiosk stopped
    pending.append(buffer.data(), static_cast<std::size_t>(n));
    if (!run.first_frame_ms && pending.find("first camera frame on screen") != std::string::npos) {
      run.first_frame_ms =
          std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
      sample_maps_at = SteadyClock::now() + std::chrono::milliseconds(1500);  // reading by then
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.log = pending;
  return run;
}

std::string short_name(const std::string& path) { return fs::path(path).filename().string(); }

}  // namespace

int print_kiosk_process_figures(const BenchOptions& options) {
  const int photos = options.quick ? 3 : 6;  // one a second, as the image folder holds each up
  const fs::path dir = make_kiosk_folder(photos);
  const KioskRun run = run_kiosk_process(dir, std::chrono::seconds(30 + photos));
  fs::remove_all(dir);
  if (run.status != 0 || !run.first_frame_ms) {
    std::printf("kakunin run failed (exit %d):\n%s\n", run.status, run.log.c_str());
    return 1;
  }
  std::printf(
      "kakunin run (a window on SDL's dummy driver, %d camera-sized photos of phones, one a "
      "second):\n",
      photos);
  std::printf("  start-up, exec → first camera frame on screen: %.0f ms  (goal <= 1500 ms: %s)\n",
              *run.first_frame_ms, *run.first_frame_ms <= 1500 ? "met" : "NOT met");
  std::printf("  peak RSS (VmHWM): %.1f MiB  (goal <= 100 MiB: %s)\n", run.peak_rss_kib / 1024.0,
              run.peak_rss_kib <= 100L * 1024 ? "met" : "NOT met");
  long libraries = 0;
  long library_kib = 0;
  bool gdal = false;
  std::string largest;
  int listed = 0;
  for (const auto& [path, kib] : run.mapped) {
    if (path.find(".so") == std::string::npos) continue;
    ++libraries;
    library_kib += kib;
    gdal = gdal || path.find("gdal") != std::string::npos || path.find("gdcm") != std::string::npos;
    if (listed++ < 10) {
      char row[160];
      std::snprintf(row, sizeof row, "    %-36s %5.1f MiB\n", short_name(path).c_str(),
                    kib / 1024.0);
      largest += row;
    }
  }
  std::printf(
      "  while reading: %ld shared libraries mapped, %.1f MiB of them resident; GDAL or gdcm "
      "mapped: %s  (goal: no)\n  largest resident libraries:\n%s",
      libraries, library_kib / 1024.0, gdal ? "yes" : "no", largest.c_str());
  std::printf("kakunin-run: startup %.0f ms peak-rss %.1f MiB libraries %ld gdal %s\n",
              *run.first_frame_ms, run.peak_rss_kib / 1024.0, libraries, gdal ? "yes" : "no");
  return 0;
}

}  // namespace kakunin::bench
