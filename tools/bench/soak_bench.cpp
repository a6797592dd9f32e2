// kakunin-bench soak: a counter day compressed — tens of thousands of
// verifications through the real loop (FramePump → DecodeStage → Verifier →
// StateMachine → audit log → offscreen screen), in bursts of members separated
// by stretches of an empty counter — and whether anything grows that should
// not: resident memory after warm-up, open file descriptors, threads.
//
// Memory is sampled after malloc_trim(), so the figure is what the process
// still holds (a leak), not what glibc keeps cached for the next allocation.
#include "bench.h"
#include "demo_world.h"
#include "qr_png.h"

#include <kakunin/audit/audit_log.h>
#include <kakunin/drivers/frame_pacer.h>
#include <kakunin/kiosk/kiosk.h>
#include <kakunin/kiosk/verdict_sink.h>
#include <kakunin/ui/screen.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kakunin::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr int kBurst = 250;        // members in a row (a morning rush, compressed)
constexpr int kIdleFrames = 60;    // then 2 s of an empty counter at 30 fps
constexpr double kBurstFps = 120;  // one new QR per frame while members come
constexpr double kIdleFps = 30;

struct Sample {
  int verifications = 0;
  double rss_mib = 0;
  int fds = 0;
  int threads = 0;
};

int open_fds() {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++n;
  return n - 1;  // the directory_iterator's own descriptor
}

int thread_count() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

Sample sample(int verifications) {
  release_free_memory();
  return {verifications, memory_now().rss_kib / 1024.0, open_fds(), thread_count()};
}

constexpr int kFrameWidth = 960;
constexpr int kFrameHeight = 540;

// A plain grey counter with `text` as a clean QR in the middle (libqrencode): the
// soak is about what the loop keeps, not about reading hard photographs, so a
// QR every camera reads at once, drawn in a millisecond, lets it reach a day's
// count in minutes.
frame::Frame counter_with_qr(const std::string& text) {
  frame::Frame frame;
  frame.width = kFrameWidth;
  frame.height = kFrameHeight;
  frame.stride = kFrameWidth;
  frame.format = frame::FrameView::Format::gray8;
  frame.pixels.assign(static_cast<std::size_t>(kFrameWidth) * kFrameHeight, 120);
  if (text.empty()) return frame;
  const cv::Mat qr = sample::render_qr(sample::encode_qr(text), 4);
  const int x0 = std::max(0, (kFrameWidth - qr.cols) / 2);
  const int y0 = std::max(0, (kFrameHeight - qr.rows) / 2);
  for (int y = 0; y < std::min(qr.rows, kFrameHeight); ++y) {
    std::copy_n(qr.ptr<std::uint8_t>(y), std::min(qr.cols, kFrameWidth),
                frame.pixels.data() + static_cast<std::ptrdiff_t>(y0 + y) * kFrameWidth + x0);
  }
  return frame;
}

// Members' phones in bursts, each frame a new QR, with an empty counter between.
class CounterDaySource final : public drivers::FrameSource {
 public:
  CounterDaySource(std::function<std::string(std::uint64_t)> text)
      : text_(std::move(text)), empty_(counter_with_qr("")) {}
  std::string describe() const override { return "compressed counter day"; }
  bool open(std::string&) override { return true; }
  drivers::GrabResult grab() override {
    const bool idle = position_ >= kBurst;
    (idle ? idle_pacer_ : burst_pacer_).wait_for_next();
    frame::Frame frame = idle ? empty_ : counter_with_qr(text_(phones_++));
    if (++position_ == kBurst + kIdleFrames) position_ = 0;
    frame.sequence = ++sequence_;
    frame.captured_at = SteadyClock::now();
    return drivers::GrabbedFrame{std::move(frame)};
  }
  void close() override {}

 private:
  std::function<std::string(std::uint64_t)> text_;
  frame::Frame empty_;
  int position_ = 0;
  std::uint64_t phones_ = 0;
  std::uint64_t sequence_ = 0;
  drivers::FramePacer burst_pacer_{kBurstFps};
  drivers::FramePacer idle_pacer_{kIdleFps};
};

class CountingSink final : public kiosk::VerdictSink {
 public:
  void verdict(const kiosk::CounterVerdict& v) override {
    ++verifications;
    if (v.result.is_valid()) ++valid;
  }
  int verifications = 0;
  int valid = 0;
};

}  // namespace

int run_soak_bench(const BenchOptions& options) {
  const int target = options.quick ? 2000 : 20000;
  const int warm_up = options.quick ? 500 : 2000;
  const int sample_every = options.quick ? 250 : 1000;
  const crypto::UnixSeconds start = kiosk::SystemClock().wall_now();
  const demo::DemoWorld world = demo::DemoWorld::create(start);

  std::string folder = (fs::temp_directory_path() / "kakunin-soak-XXXXXX").string();
  if (!::mkdtemp(folder.data())) throw std::runtime_error("mkdtemp failed");
  config::AuditSettings audit_settings;
  audit_settings.database = fs::path(folder) / "audit.sqlite";
  audit_settings.secret_file = fs::path(folder) / "audit.key";
  auto audit = audit::AuditLog::open(audit_settings, {});
  if (!audit.ok()) throw std::runtime_error("audit log: " + audit.error().message);

  std::printf(
      "kakunin-bench soak: %d verifications through FramePump → DecodeStage → Verifier → "
      "StateMachine\n→ audit log → offscreen screen, in bursts of %d members (a new QR each "
      "frame at %.0f fps)\nwith %d frames of an empty counter at %.0f fps between\n",
      target, kBurst, kBurstFps, kIdleFrames, kIdleFps);
  std::fflush(stdout);

  // Fresh QRs of both profiles, 0-19 s old: each one new (a new signature).
  const auto member_qr = [&world](std::uint64_t n) {
    const auto& scene = world.scenes()[n % 2];
    return scene.qr_at(kiosk::SystemClock().wall_now() - static_cast<crypto::UnixSeconds>(n % 20));
  };
  kiosk::SystemClock clock;
  const kiosk::FixedTrust trust(world.trust_list(), world.revocations(), crypto::Mode::test);
  std::string error;
  auto screen = ui::OffscreenScreen::create(1280, 800, &error);
  if (!screen) throw std::runtime_error("offscreen renderer: " + error);
  kiosk::StateMachineSettings settings;
  settings.test_mode = true;
  CountingSink counts;
  kiosk::AuditSink audit_sink(audit.value(), "soak-1", {});
  std::vector<Sample> samples;
  int next_sample = warm_up;
  {
    kiosk::Kiosk kiosk(kiosk::Capture::from_frames(std::make_unique<CounterDaySource>(member_qr)),
                       trust, settings, clock);
    kiosk.add_sink(counts);
    kiosk.add_sink(audit_sink);
    const auto began = SteadyClock::now();
    kiosk::LoopEnd end;
    end.done = [&] { return counts.verifications >= target; };
    kiosk.run(nullptr, end, [&](const kiosk::Shown& shown) {
      if (shown.changed) {
        const frame::FrameView view = shown.preview ? shown.preview->view() : frame::FrameView{};
        screen->draw(shown.model, shown.preview ? &view : nullptr);
      }
      if (counts.verifications < next_sample) return;
      samples.push_back(sample(counts.verifications));
      next_sample += sample_every;
    });
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
    std::printf("%d verifications (%d valid) in %.0f s: %.0f a second\n", counts.verifications,
                counts.valid, seconds, counts.verifications / seconds);
  }
  fs::remove_all(folder);
  if (samples.size() < 2) {
    std::printf("soak: too few samples\n");
    return 1;
  }
  const Sample& first = samples.front();
  const Sample& last = samples.back();
  double highest = 0;
  for (const Sample& s : samples) highest = std::max(highest, s.rss_mib);
  std::printf("after warm-up (%d verifications): RSS %.1f MiB, %d open files, %d threads\n",
              first.verifications, first.rss_mib, first.fds, first.threads);
  std::printf("at the end (%d verifications): RSS %.1f MiB, %d open files, %d threads\n",
              last.verifications, last.rss_mib, last.fds, last.threads);
  const double growth = last.rss_mib - first.rss_mib;
  const bool met = growth <= 2.0 && last.fds <= first.fds && last.threads <= first.threads;
  std::printf(
      "growth after warm-up: RSS %+.1f MiB (highest sample %.1f MiB), open files %+d, threads "
      "%+d  (goal <= 2 MiB, no more files or threads: %s)\n",
      growth, highest, last.fds - first.fds, last.threads - first.threads, met ? "met" : "NOT met");
  std::printf("soak: verifications %d rss-growth %.1f MiB fds %+d threads %+d\n",
              last.verifications, growth, last.fds - first.fds, last.threads - first.threads);
  return counts.verifications >= target ? 0 : 1;
}

}  // namespace kakunin::bench
