// Fleet metrics without a listener: a Prometheus text file for node_exporter's
// textfile collector, which clinics' IT vendors already run on many sites. The
// kiosk opens no port; node_exporter reads the file it rewrites atomically
// (base::write_file_atomically) every [metrics] interval. Figures only: verdict
// counts, list sequences and ages, the clock, the capture, decode times, the
// hand-off queue, the online check's counts. Never personal data: no names, numbers or QR texts
// exist here.
//
//   kiosk::MetricsSink counts;                        // a verdict sink, beside the others
//   kiosk.add_sink(counts);
//   kiosk::MetricsTextfile file(config.metrics, [&] { return snapshot_now(counts); }, log);
//   file.start();  ...  file.stop();                  // a write at start, then every interval
//
// docs/install.md shows a sample of the file and the node_exporter setting.
#pragma once

#include <kakunin/base/clock_state.h>
#include <kakunin/base/log.h>
#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/decode_stage.h>
#include <kakunin/frame/frame.h>
#include <kakunin/kiosk/verdict_sink.h>
#include <kakunin/online/online.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace kakunin::kiosk {

// A held list's header figures.
struct ListFigures {
  std::uint64_t sequence = 0;
  crypto::UnixSeconds issued_at = 0;
};

// Everything the file says, as plain values (a test fills one in).
struct MetricsSnapshot {
  crypto::UnixSeconds now = 0;  // wall time of the snapshot (list ages)
  std::array<std::uint64_t, crypto::kVerdictCount> verdicts{};  // since start, by verdict
  std::optional<ListFigures> trust_list;                        // nullopt: none held
  std::optional<ListFigures> revocations;
  // When the held lists' grace ends and every QR is refused as no_trust_list;
  // nullopt when a list is missing (verification has stopped already).
  std::optional<crypto::UnixSeconds> verification_stops_at;
  std::optional<std::int64_t> clock_offset_seconds;    // local minus the sync server's Date
  base::ClockState clock = base::ClockState::unknown;  // the clock check's state
  bool scanner = false;  // the capture is a handheld scanner (else a camera or file source)
  frame::SourceState capture = frame::SourceState::starting;
  std::optional<drivers::DecodeFigures> decode;        // nullopt for a scanner
  std::optional<std::size_t> handoff_pending;          // nullopt when the hand-off is off
  std::optional<online::OnlineCheck::Figures> online;  // nullopt when [online] is off
};

// The Prometheus text exposition format (version 0.0.4) of `snapshot`: HELP and
// TYPE before each family, base units in the names (_seconds), counters in _total.
std::string prometheus_text(const MetricsSnapshot& snapshot);

// Counts verdicts by verdict; verdict() on the main thread, counts() anywhere.
class MetricsSink final : public VerdictSink {
 public:
  void verdict(const CounterVerdict& verdict) override;
  std::array<std::uint64_t, crypto::kVerdictCount> counts() const;

 private:
  std::array<std::atomic<std::uint64_t>, crypto::kVerdictCount> counts_{};
};

// Writes the file on its own thread (a slow disk never holds the counter): once
// at start(), then every `settings.interval_seconds`. A write that fails is
// logged once, as is the next one that works again.
class MetricsTextfile {
 public:
  using Gather = std::function<MetricsSnapshot()>;  // called on the writer thread
  MetricsTextfile(config::MetricsSettings settings, Gather gather, base::Logger log = {});
  ~MetricsTextfile();  // stop()
  MetricsTextfile(const MetricsTextfile&) = delete;
  MetricsTextfile& operator=(const MetricsTextfile&) = delete;

  // Gathers and writes once, now, on the caller's thread; false when it failed.
  bool write_now();
  void start();
  void stop();

 private:
  void run();

  config::MetricsSettings settings_;
  Gather gather_;
  base::Logger log_;
  bool last_failed_ = false;  // the writer's (or write_now's caller's) only
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // protected by mutex_
  std::thread thread_;
};

}  // namespace kakunin::kiosk
