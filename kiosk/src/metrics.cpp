#include <kakunin/kiosk/metrics.h>

#include <kakunin/base/atomic_file.h>
#include <kakunin/ui/catalogue.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

namespace kakunin::kiosk {
namespace {

// One metric family: its HELP and TYPE lines, then its samples. Label values
// here are fixed words of our own (verdict, tier, list and state names), never
// text from a QR, so they need no escaping.
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    out_ << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << number(value) << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  // Whole numbers in full (a sequence, a count), fractions to nine digits; never
  // a locale's comma (snprintf in the C locale).
  static std::string number(double value) {
    char buffer[48];
    const bool whole =
        std::fabs(value) < 9e15 && value == static_cast<double>(static_cast<std::int64_t>(value));
    std::snprintf(buffer, sizeof buffer, whole ? "%.0f" : "%.9g", value);
    return buffer;
  }
  std::ostringstream out_;
};

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + std::string(value) + '"';
}

void verdict_counts(Exposition& e, const MetricsSnapshot& s) {
  e.family("kakunin_verifications_total", "counter",
           "QR verifications since the kiosk started, by tier (what staff do next) and verdict.");
  for (int i = 0; i < crypto::kVerdictCount; ++i) {
    const auto verdict = static_cast<crypto::Verdict>(i);
    e.sample("kakunin_verifications_total",
             label("tier", ui::verdict_tier_name(ui::verdict_tier(verdict))) + ',' +
                 label("verdict", crypto::verdict_name(verdict)),
             static_cast<double>(s.verdicts[static_cast<std::size_t>(i)]));
  }
}

void lists(Exposition& e, const MetricsSnapshot& s) {
  const std::pair<const char*, const std::optional<ListFigures>*> held[] = {
      {"trust_list", &s.trust_list}, {"revocations", &s.revocations}};
  e.family("kakunin_list_sequence", "gauge",
           "Sequence number of the held list; no sample while none is held.");
  for (const auto& [name, list] : held)
    if (*list) e.sample("kakunin_list_sequence", label("list", name), double((*list)->sequence));
  e.family("kakunin_list_age_seconds", "gauge", "Seconds since the held list was issued.");
  for (const auto& [name, list] : held) {
    if (*list)
      e.sample("kakunin_list_age_seconds", label("list", name), double(s.now - (*list)->issued_at));
  }
  e.family("kakunin_verification_stops_in_seconds", "gauge",
           "Seconds until the held lists' grace period ends and every QR is refused as "
           "no_trust_list; 0 once it has.");
  const crypto::UnixSeconds left = s.verification_stops_at ? *s.verification_stops_at - s.now : 0;
  e.sample("kakunin_verification_stops_in_seconds", "", double(left > 0 ? left : 0));
}

void clock(Exposition& e, const MetricsSnapshot& s) {
  e.family("kakunin_clock_offset_seconds", "gauge",
           "The kiosk's clock minus the sync server's Date (positive: ahead); no sample before "
           "a sync server answered.");
  if (s.clock_offset_seconds)
    e.sample("kakunin_clock_offset_seconds", "", double(*s.clock_offset_seconds));
  e.family("kakunin_clock_state", "gauge",
           "Whether the kiosk trusts its clock to judge a QR's age: 1 for the current state.");
  for (const base::ClockState state :
       {base::ClockState::ok, base::ClockState::unknown, base::ClockState::not_synchronised,
        base::ClockState::offset_too_large}) {
    e.sample("kakunin_clock_state", label("state", base::clock_state_name(state)),
             state == s.clock ? 1 : 0);
  }
}

void capture(Exposition& e, const MetricsSnapshot& s) {
  e.family("kakunin_capture_state", "gauge",
           "The camera's or scanner's state: 1 for the current state, 0 for the others.");
  for (const frame::SourceState state : {frame::SourceState::starting, frame::SourceState::running,
                                         frame::SourceState::offline, frame::SourceState::ended}) {
    e.sample("kakunin_capture_state",
             label("source", s.scanner ? "scanner" : "camera") + ',' +
                 label("state", frame::source_state_name(state)),
             state == s.capture ? 1 : 0);
  }
}

// A histogram, not a summary: buckets add up across kiosks and over time, so a
// fleet's recent decode times come from rate() of the buckets.
void decode_times(Exposition& e, const MetricsSnapshot& s) {
  if (!s.decode) return;
  const drivers::DecodeFigures& d = *s.decode;
  e.family("kakunin_decode_duration_seconds", "histogram",
           "Time to read one camera frame for QR codes, since the kiosk started.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < drivers::kDecodeMsBuckets.size(); ++i) {
    cumulative += d.decoded_by_ms[i];
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", drivers::kDecodeMsBuckets[i] / 1000);
    e.sample("kakunin_decode_duration_seconds_bucket", label("le", bound), double(cumulative));
  }
  e.sample("kakunin_decode_duration_seconds_bucket", label("le", "+Inf"), double(d.frames_decoded));
  e.sample("kakunin_decode_duration_seconds_sum", "", d.total_ms / 1000);
  e.sample("kakunin_decode_duration_seconds_count", "", double(d.frames_decoded));
}

void handoff(Exposition& e, const MetricsSnapshot& s) {
  if (!s.handoff_pending) return;
  e.family("kakunin_handoff_queue_length", "gauge",
           "Hand-offs to the receipt computer that some channel has yet to deliver.");
  e.sample("kakunin_handoff_queue_length", "", double(*s.handoff_pending));
}

// Counts since start; a fleet alerts on rate() of timeouts or refused files (a
// terminal that does not answer, or something writing into its `res` share).
void online_check(Exposition& e, const MetricsSnapshot& s) {
  if (!s.online) return;
  const online::OnlineCheck::Figures& f = *s.online;
  e.family("kakunin_online_requests_total", "counter",
           "オンライン資格確認 requests made after valid verdicts, since the kiosk started.");
  e.sample("kakunin_online_requests_total", "", double(f.asked));
  e.family("kakunin_online_answers_total", "counter",
           "National answers accepted from the terminal's res folder.");
  e.sample("kakunin_online_answers_total", "", double(f.answered));
  e.family("kakunin_online_timeouts_total", "counter",
           "Requests with no readable answer within online.timeout_seconds.");
  e.sample("kakunin_online_timeouts_total", "", double(f.timed_out));
  e.family("kakunin_online_refused_files_total", "counter",
           "Result files refused as broken or hostile (too large, a DOCTYPE, another request's).");
  e.sample("kakunin_online_refused_files_total", "", double(f.refused_files));
  e.family("kakunin_online_write_failures_total", "counter",
           "Requests that could not be written into the terminal's req folder.");
  e.sample("kakunin_online_write_failures_total", "", double(f.write_failures));
}

}  // namespace

std::string prometheus_text(const MetricsSnapshot& snapshot) {
  Exposition e;
  verdict_counts(e, snapshot);
  lists(e, snapshot);
  clock(e, snapshot);
  capture(e, snapshot);
  decode_times(e, snapshot);
  handoff(e, snapshot);
  online_check(e, snapshot);
  return e.text();
}

void MetricsSink::verdict(const CounterVerdict& verdict) {
  ++counts_[static_cast<std::size_t>(verdict.result.verdict())];
}

std::array<std::uint64_t, crypto::kVerdictCount> MetricsSink::counts() const {
  std::array<std::uint64_t, crypto::kVerdictCount> counts{};
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = counts_[i].load();
  return counts;
}

MetricsTextfile::MetricsTextfile(config::MetricsSettings settings, Gather gather, base::Logger log)
    : settings_(std::move(settings)), gather_(std::move(gather)), log_(std::move(log)) {}

MetricsTextfile::~MetricsTextfile() { stop(); }

bool MetricsTextfile::write_now() {
  // 0644: node_exporter reads it as its own user.
  const base::Status written = base::write_file_atomically(
      settings_.textfile_path, prometheus_text(gather_()), {.mode = 0644});
  if (!written.ok() && !last_failed_) {
    log_.warn("metrics: cannot write " + settings_.textfile_path.string() + ": " +
              written.error().message + " (tried again every interval)");
  }
  if (written.ok() && last_failed_)
    log_.info("metrics: writing " + settings_.textfile_path.string() + " again");
  last_failed_ = !written.ok();
  return written.ok();
}

void MetricsTextfile::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void MetricsTextfile::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MetricsTextfile::run() {
  const auto every = std::chrono::seconds(settings_.interval_seconds);
  for (;;) {
    write_now();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, every, [this] { return stopping_; })) return;
  }
}

}  // namespace kakunin::kiosk
