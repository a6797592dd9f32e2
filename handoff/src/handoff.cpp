// The hand-off: send() makes each hand-off durable in the outbox; one thread per
// channel delivers from there. See handoff.h for the promises and docs/handoff.md
// for what happens in each fault.
#include <kakunin/base/file_name.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/handoff/record.h>
#include <kakunin/net/net.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "delivery.h"
#include "handoff_record.h"
#include "oqs_result_xml.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

using std::chrono::milliseconds;

// outcome() answers for this many of the newest hand-offs; memory stays bounded.
constexpr std::size_t kRecentOutcomes = 64;

std::string seconds_text(milliseconds duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) + " s";
}

std::string label(std::uint64_t sequence) { return "handoff #" + std::to_string(sequence) + ": "; }

Outcome::Kind summarize(const std::vector<ChannelResult>& channels) {
  const auto count = [&](ChannelOutcome outcome) {
    return std::count_if(channels.begin(), channels.end(),
                         [&](const ChannelResult& r) { return r.outcome == outcome; });
  };
  const auto failed = count(ChannelOutcome::failed);
  if (channels.empty() || failed == static_cast<long>(channels.size()))
    return Outcome::Kind::failed;
  if (failed > 0) return Outcome::Kind::partial;
  if (count(ChannelOutcome::queued) > 0) return Outcome::Kind::queued;
  return Outcome::Kind::sent;
}

// One channel thread's life. stop() leaves a thread behind that is stuck in a call
// on a hung share: it is marked abandoned and, when the call returns, touches
// nothing but this token.
struct Run {
  std::atomic<bool> abandoned{false};  // set under Shared::mutex
  std::atomic<bool> abort{false};      // ends an in-flight POST
  bool exited = false;                 // guarded by Shared::mutex
  bool failed_since_stop = false;      // guarded by Shared::mutex
};

// One configured channel. Guarded by Shared::mutex.
struct ChannelState {
  ChannelTarget target;
  std::map<std::uint64_t, OutboxEntry> pending;  // what is left for it, oldest first
  bool ready = false;                            // its folder answered since start()
  bool wake = false;                             // skip the backoff wait once
  std::optional<base::SteadyTime> busy_since;    // inside a call on the share or endpoint
  base::SteadyTime next_attempt{};
  milliseconds backoff{0};
  std::uint64_t delivered = 0;
  int consecutive_failures = 0;
  std::string last_error;
  std::optional<crypto::UnixSeconds> last_delivery;
  std::shared_ptr<Run> run;  // the thread now delivering, if any

  Channel channel() const { return target.channel; }
  std::string name() const { return std::string(channel_name(target.channel)); }
};

// What send(), the channel threads and the status calls share. The channel threads
// hold it by shared_ptr, so one left behind at stop() never reads freed memory.
struct Shared {
  config::HandoffSettings settings;
  std::string kiosk_id;
  HandoffOptions options;
  OutboxFolder outbox{""};

  mutable std::mutex mutex;
  std::condition_variable changed;          // new work, stop, retry, a thread ended
  std::vector<ChannelState> channels;       // the configured ones; fixed after create()
  std::map<std::uint64_t, Outcome> recent;  // the newest kRecentOutcomes hand-offs
  std::size_t quarantined = 0;
  std::size_t stranded = 0;  // entries for a channel that is not configured now
  bool running = false;
  bool stopping = false;

  const base::Clock& clock() const { return *options.clock; }

  const base::Logger& log() const { return options.log; }

  ChannelState* channel(Channel c) {
    for (ChannelState& state : channels) {
      if (state.channel() == c) return &state;
    }
    return nullptr;
  }

  milliseconds stuck_for(const ChannelState& ch) const {
    if (!ch.busy_since) return milliseconds(0);
    return std::chrono::duration_cast<milliseconds>(clock().steady_now() - *ch.busy_since);
  }
  bool answering(const ChannelState& ch) const { return stuck_for(ch) < options.share_timeout; }

  // Called with `mutex` held.
  void remember(const Outcome& outcome) {
    recent[outcome.sequence] = outcome;
    while (recent.size() > kRecentOutcomes) recent.erase(recent.begin());
    if (options.on_outcome) options.on_outcome(outcome);
  }

  // One channel of a recent hand-off is settled. Called with `mutex` held.
  void settle(std::uint64_t sequence, Channel channel, ChannelOutcome outcome,
              const std::string& detail) {
    const auto found = recent.find(sequence);
    if (found == recent.end()) return;
    Outcome& o = found->second;
    for (ChannelResult& r : o.channels) {
      if (r.channel != channel) continue;
      r.outcome = outcome;
      r.detail = detail;
    }
    o.kind = summarize(o.channels);
    if (options.on_outcome) options.on_outcome(o);
  }
};

// ------------------------------------------------------- channel threads --

// A call on the share or endpoint returned. Called with `mutex` held.
void call_returned(Shared& s, ChannelState& ch) {
  const milliseconds took = s.stuck_for(ch);
  ch.busy_since.reset();
  if (took >= s.options.share_timeout) {
    s.log().warn("handoff: " + ch.name() + ": a call on its " +
                 (ch.channel() == Channel::post ? "endpoint" : "folder") + " returned after " +
                 seconds_text(took));
  }
}

void note_failure(Shared& s, ChannelState& ch, Run& run, const std::string& what,
                  const std::string& error) {
  ++ch.consecutive_failures;
  ch.last_error = error;
  if (ch.backoff.count() <= 0) ch.backoff = s.options.backoff_initial;
  ch.next_attempt = s.clock().steady_now() + ch.backoff;
  s.log().warn(what + " (" + error + "), retry in " + std::to_string(ch.backoff.count()) + " ms");
  ch.backoff = std::min(ch.backoff * 2, s.options.backoff_max);
  if (s.stopping) run.failed_since_stop = true;  // draining at stop: do not try again
}

void note_success(ChannelState& ch) {
  ch.consecutive_failures = 0;
  ch.last_error.clear();
  ch.backoff = milliseconds(0);
  ch.next_attempt = {};
}

// The channel's first touch of its folder. Called with `lock` held; releases it
// for the call, which may hang on a share.
void prepare(Shared& s, ChannelState& ch, Run& run, std::unique_lock<std::mutex>& lock) {
  ch.busy_since = s.clock().steady_now();
  const ChannelTarget target = ch.target;
  lock.unlock();
  const base::Status ready = prepare_channel(target);
  lock.lock();
  if (run.abandoned) return;
  call_returned(s, ch);
  if (!ready.ok()) {
    note_failure(s, ch, run, "handoff: " + ch.name() + " channel not ready", ready.error().message);
    return;
  }
  if (ch.consecutive_failures > 0) s.log().info("handoff: " + ch.name() + " channel ready again");
  ch.ready = true;
  note_success(ch);
}

// Delivers the oldest entry left for this channel. Called with `lock` held;
// releases it for the delivery.
void deliver_next(Shared& s, ChannelState& ch, Run& run, std::unique_lock<std::mutex>& lock) {
  const std::uint64_t sequence = ch.pending.begin()->first;
  const OutboxEntry entry = ch.pending.begin()->second;
  const ChannelTarget target = ch.target;
  ch.busy_since = s.clock().steady_now();
  lock.unlock();

  DeliveryResult result = deliver_entry(target, s.outbox, sequence, entry, run.abort);
  std::string remove_error;
  // A thread left behind at stop() leaves the outbox as it is: the entry is
  // delivered again after the restart, under the same name or key.
  if (!run.abandoned && result.kind == DeliveryResult::Kind::delivered) {
    if (const base::Status removed = s.outbox.remove(sequence, entry); !removed.ok()) {
      remove_error = removed.error().message;
    }
  }
  if (!run.abandoned && result.kind == DeliveryResult::Kind::damaged) {
    const base::Status moved = s.outbox.quarantine_entry(sequence, entry.file_name());
    result.detail +=
        moved.ok() ? ", moved to quarantine" : ", left in place: " + moved.error().message;
  }

  lock.lock();
  if (run.abandoned) return;
  call_returned(s, ch);
  const std::string name = ch.name();
  switch (result.kind) {
    case DeliveryResult::Kind::delivered: {
      ch.pending.erase(sequence);
      ++ch.delivered;
      ch.last_delivery = s.clock().wall_now();
      note_success(ch);
      std::string line = label(sequence) + name + " delivered";
      if (result.http_status != 0) line += " (HTTP " + std::to_string(result.http_status) + ")";
      if (!result.warning.empty()) line += ", but " + result.warning;
      s.log().log(result.warning.empty() ? base::LogLevel::info : base::LogLevel::warn, line);
      if (!remove_error.empty()) {
        s.log().warn(label(sequence) + remove_error +
                     "; it is delivered once more after a restart");
      }
      s.settle(sequence, ch.channel(), ChannelOutcome::sent, {});
      return;
    }
    case DeliveryResult::Kind::retry:
      note_failure(s, ch, run, label(sequence) + name + " failed", result.detail);
      return;
    case DeliveryResult::Kind::gone:
    case DeliveryResult::Kind::damaged:
      // The queue moves on: one bad entry never holds the others.
      ch.pending.erase(sequence);
      if (result.kind == DeliveryResult::Kind::damaged) ++s.quarantined;
      s.log().error(label(sequence) + name + ": outbox entry " +
                    (result.kind == DeliveryResult::Kind::gone ? "gone (" : "damaged (") +
                    result.detail + "); not handed over on this channel");
      s.settle(sequence, ch.channel(), ChannelOutcome::failed, "outbox entry " + result.detail);
      return;
  }
}

// The std::thread's own copies of `shared` and `run` keep both alive while it runs.
void run_channel(const std::shared_ptr<Shared>& shared, std::size_t index,
                 const std::shared_ptr<Run>& run) {
  Shared& s = *shared;
  std::unique_lock lock(s.mutex);
  ChannelState& ch = s.channels[index];
  while (!run->abandoned) {
    const bool has_work = !ch.ready || !ch.pending.empty();
    if (s.stopping && (!has_work || run->failed_since_stop)) break;
    if (!has_work) {
      s.changed.wait(lock);
      continue;
    }
    // Durations from the clock's steady time: a FakeClock's points never meet the real clock's.
    const auto now = s.clock().steady_now();
    if (!ch.wake && now < ch.next_attempt) {
      // In slices, looking at the clock again each time, so a kiosk clock that is
      // not the system's (a test's FakeClock) is obeyed.
      s.changed.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                                   ch.next_attempt - now, std::chrono::seconds(1)));
      continue;
    }
    ch.wake = false;
    if (!ch.ready) {
      prepare(s, ch, *run, lock);
    } else {
      deliver_next(s, ch, *run, lock);
    }
  }
  run->exited = true;
  s.changed.notify_all();
}

// The endpoint must be on this machine unless the kiosk allows otherwise.
net::UrlUse post_use(const HandoffOptions& options) {
  return options.allow_remote_endpoint ? net::UrlUse::remote_endpoint : net::UrlUse::local_endpoint;
}

ChannelTarget target_for(Channel channel, const config::HandoffSettings& settings,
                         const HandoffOptions& options) {
  ChannelTarget target;
  target.channel = channel;
  if (channel == Channel::xml) {
    target.dir = settings.xml_dir;
    target.setting = "handoff.xml_dir";
  } else if (channel == Channel::json) {
    target.dir = settings.json_dir;
    target.setting = "handoff.json_dir";
  } else {
    target.setting = "handoff.post_url";
    target.post_url = settings.post_url;
    target.post_timeout = std::chrono::seconds(std::max(1, settings.post_timeout_seconds));
    target.post_use = post_use(options);
  }
  return target;
}

std::vector<Channel> configured_channels(const config::HandoffSettings& settings) {
  std::vector<Channel> out;
  if (!settings.xml_dir.empty()) out.push_back(Channel::xml);
  if (!settings.json_dir.empty()) out.push_back(Channel::json);
  if (!settings.post_url.empty()) out.push_back(Channel::post);
  return out;
}

}  // namespace

std::string_view channel_name(Channel channel) {
  switch (channel) {
    case Channel::xml:
      return "xml";
    case Channel::json:
      return "json";
    case Channel::post:
      return "post";
  }
  return "?";
}

std::string_view outcome_name(Outcome::Kind kind) {
  switch (kind) {
    case Outcome::Kind::queued:
      return "queued";
    case Outcome::Kind::sent:
      return "sent";
    case Outcome::Kind::partial:
      return "partial";
    case Outcome::Kind::failed:
      return "failed";
    case Outcome::Kind::disabled:
      return "disabled";
  }
  return "?";
}

struct Handoff::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::unique_ptr<Outbox> outbox;    // null when disabled; used by send() only
  std::mutex send_mutex;             // one send() at a time: numbers in call order
  std::mutex lifecycle;              // serialises start() and stop()
  std::vector<std::thread> threads;  // guarded by `lifecycle`, one per channel

  // Renders what each channel hands over. A channel that cannot (a name CP932
  // cannot hold) fails at once; the others still go.
  std::vector<OutboxPayload> render(const crypto::VerifiedPresentation& p,
                                    crypto::UnixSeconds checked_at, std::uint64_t sequence,
                                    const OnlineCheckResult* online, Outcome& outcome) const {
    const Shared& s = *shared;
    std::vector<OutboxPayload> payloads;
    nlohmann::ordered_json record = certificate_record(p, checked_at, {{sequence, s.kiosk_id}});
    if (online) record["online"] = online_record(online->status, online->answer.get());
    for (const ChannelState& ch : s.channels) {
      ChannelResult r{ch.channel(), ChannelOutcome::queued, {}, {}};
      if (ch.channel() == Channel::xml) {
        const OqsResultRequest request{p,
                                       checked_at,
                                       s.kiosk_id,
                                       sequence,
                                       s.settings.xml_encoding,
                                       s.options.medical_institution_code};
        const OqsResultFile file = hands_over_national_answer(online)
                                       ? pass_on_national_answer(request, *online->answer)
                                       : render_oqs_result(request);
        if (file.ok()) {
          payloads.push_back({{Channel::xml, file.name}, file.bytes});
          r.file = s.settings.xml_dir / file.name;
        } else {
          r.outcome = ChannelOutcome::failed;
          r.detail = file.error;
        }
      } else if (ch.channel() == Channel::json) {
        const std::string name = handoff_record_file_name(s.kiosk_id, checked_at, sequence);
        payloads.push_back({{Channel::json, name}, record_text(record, 2)});
        r.file = s.settings.json_dir / name;
      } else {
        // Header-safe: a kiosk id with other characters cannot inject header lines.
        const std::string key = base::file_name_safe(s.kiosk_id) + "-" + std::to_string(sequence);
        payloads.push_back({{Channel::post, key}, record_text(record, -1)});
      }
      outcome.channels.push_back(std::move(r));
    }
    return payloads;
  }

  Outcome send(const crypto::VerifiedPresentation& p, crypto::UnixSeconds checked_at,
               const OnlineCheckResult* online) {
    Shared& s = *shared;
    Outcome outcome;
    if (!s.settings.enabled) {
      outcome.detail = "hand-off is disabled (handoff.enabled = false)";
      return outcome;
    }
    if (s.channels.empty()) {
      outcome.detail = "no hand-off channel configured (xml_dir, json_dir, post_url)";
      return outcome;
    }
    outcome.kind = Outcome::Kind::failed;
    if (p.test_material && !s.options.hand_over_test_material) {
      outcome.detail = "result verified against TEST lists: not handed to the receipt computer";
      s.log().warn("handoff: refused a test-material result");
      return outcome;
    }

    std::lock_guard serial(send_mutex);
    const base::Result<std::uint64_t> sequence = outbox->reserve_sequence();
    if (!sequence.ok()) {
      outcome.detail = "cannot number the hand-off: " + sequence.error().message;
      s.log().error("handoff: " + outcome.detail);
      return outcome;
    }
    outcome.sequence = sequence.value();
    const std::vector<OutboxPayload> payloads =
        render(p, checked_at, outcome.sequence, online, outcome);
    if (!payloads.empty()) {
      if (const base::Status queued = outbox->enqueue(outcome.sequence, payloads); !queued.ok()) {
        outcome.detail = "the outbox cannot take it: " + queued.error().message;
        for (ChannelResult& r : outcome.channels) {
          if (r.outcome == ChannelOutcome::queued)
            r = {r.channel, ChannelOutcome::failed, outcome.detail, {}};
        }
      }
    }
    outcome.kind = summarize(outcome.channels);
    log_outcome(outcome);
    {
      std::lock_guard lock(s.mutex);
      for (const ChannelResult& r : outcome.channels) {
        if (r.outcome != ChannelOutcome::queued) continue;
        ChannelState* ch = s.channel(r.channel);
        for (const OutboxPayload& payload : payloads) {
          if (payload.entry.channel == r.channel)
            ch->pending.emplace(outcome.sequence, payload.entry);
        }
        ch->wake = true;
      }
      s.remember(outcome);
    }
    s.changed.notify_all();
    return outcome;
  }

  void log_outcome(const Outcome& o) const {
    std::string queued;
    std::string failed;
    for (const ChannelResult& r : o.channels) {
      if (r.outcome == ChannelOutcome::queued) {
        queued += (queued.empty() ? "" : ", ") + std::string(channel_name(r.channel));
      } else {
        failed += " " + std::string(channel_name(r.channel)) + " FAILED (" + r.detail + ")";
      }
    }
    std::string line = label(o.sequence);
    line += queued.empty() ? "nothing queued" : "queued for " + queued;
    shared->log().log(failed.empty()   ? base::LogLevel::info
                      : queued.empty() ? base::LogLevel::error
                                       : base::LogLevel::warn,
                      line + (failed.empty() ? "" : ";" + failed));
  }

  void start() {
    std::lock_guard life(lifecycle);
    Shared& s = *shared;
    {
      std::lock_guard lock(s.mutex);
      if (s.running || !s.settings.enabled || s.channels.empty()) return;
      s.running = true;
      s.stopping = false;
      for (ChannelState& ch : s.channels) {
        ch.ready = false;  // each start touches the folder again, on the channel's thread
        ch.wake = true;
        ch.backoff = milliseconds(0);
        ch.next_attempt = {};
        ch.run = std::make_shared<Run>();
      }
    }
    threads.clear();
    for (std::size_t i = 0; i < s.channels.size(); ++i) {
      threads.emplace_back(run_channel, shared, i, s.channels[i].run);
    }
  }

  void stop() {
    std::lock_guard life(lifecycle);
    Shared& s = *shared;
    std::unique_lock lock(s.mutex);
    if (!s.running) return;
    s.stopping = true;
    for (ChannelState& ch : s.channels) ch.wake = true;  // one last try for what waits in backoff
    s.changed.notify_all();
    // Real time: stop() must return in time whatever clock the channels are given.
    const auto deadline = std::chrono::steady_clock::now() + s.options.stop_timeout;
    s.changed.wait_until(lock, deadline, [&] {
      return std::all_of(s.channels.begin(), s.channels.end(),
                         [](const ChannelState& ch) { return ch.run->exited; });
    });
    std::vector<bool> left_behind;
    for (ChannelState& ch : s.channels) {
      const bool stuck = !ch.run->exited;
      left_behind.push_back(stuck);
      if (stuck) abandon(s, ch);
      ch.run.reset();
    }
    s.running = false;
    s.stopping = false;
    lock.unlock();
    for (std::size_t i = 0; i < threads.size(); ++i) {
      if (left_behind[i]) {
        threads[i].detach();  // blocked in the kernel: it cannot be joined, only left
      } else {
        threads[i].join();
      }
    }
    threads.clear();
  }

  // Called with the mutex held.
  static void abandon(Shared& s, ChannelState& ch) {
    ch.run->abandoned = true;
    ch.run->abort = true;
    const std::string why =
        ch.busy_since ? "a call on its " +
                            std::string(ch.channel() == Channel::post ? "endpoint" : "folder") +
                            " has not returned for " + seconds_text(s.stuck_for(ch))
                      : "still delivering";
    s.log().warn("handoff: " + ch.name() + " channel did not stop within " +
                 std::to_string(s.options.stop_timeout.count()) + " ms (" + why + "); its " +
                 std::to_string(ch.pending.size()) +
                 " hand-off(s) stay in the outbox for the next start");
    ch.busy_since.reset();
  }

  // Hand-offs an earlier run left: each configured channel takes its entries.
  void pick_up_queue() {
    Shared& s = *shared;
    std::map<Channel, std::size_t> per_channel;
    for (const auto& [sequence, entries] : outbox->found()) {
      for (const OutboxEntry& entry : entries) {
        ChannelState* ch = s.channel(entry.channel);
        if (ch == nullptr) {
          ++s.stranded;
          continue;
        }
        ch->pending.emplace(sequence, entry);
        ++per_channel[entry.channel];
      }
    }
    s.quarantined = outbox->quarantined();
    if (!outbox->found().empty()) {
      std::string counts;
      for (const auto& [channel, count] : per_channel) {
        counts += (counts.empty() ? "" : ", ") + std::string(channel_name(channel)) + " " +
                  std::to_string(count);
      }
      s.log().info("handoff: " + std::to_string(outbox->found().size()) +
                   " hand-off(s) still queued from an earlier run, oldest #" +
                   std::to_string(outbox->found().begin()->first) +
                   (counts.empty() ? "" : " (" + counts + ")"));
    }
    if (s.stranded > 0) {
      s.log().warn(
          "handoff: " + std::to_string(s.stranded) +
          " outbox entr(ies) wait for a channel that is not configured; they stay until it is");
    }
  }
};

Handoff::Created Handoff::create(const config::HandoffSettings& settings, std::string kiosk_id,
                                 HandoffOptions options) {
  if (options.backoff_initial.count() <= 0) options.backoff_initial = milliseconds(1);
  if (options.backoff_max < options.backoff_initial) options.backoff_max = options.backoff_initial;
  if (options.clock == nullptr) options.clock = &base::system_clock();
  if (options.stop_timeout.count() < 0) options.stop_timeout = milliseconds(0);
  if (settings.enabled && !settings.post_url.empty()) {
    if (auto problem = net::check_url(settings.post_url, post_use(options))) {
      return {nullptr, "handoff.post_url: " + *problem};
    }
  }
  auto impl = std::make_unique<Impl>();
  Shared& s = *impl->shared;
  s.settings = settings;
  s.kiosk_id = std::move(kiosk_id);
  s.options = std::move(options);
  const std::vector<Channel> channels = configured_channels(settings);
  // Disabled, or nothing to hand over on: touches no disk; send() answers `disabled`.
  if (!settings.enabled || channels.empty())
    return {std::unique_ptr<Handoff>(new Handoff(std::move(impl))), {}};

  for (Channel c : channels) {
    ChannelState ch;
    ch.target = target_for(c, settings, s.options);
    s.channels.push_back(std::move(ch));
  }
  Outbox::Opened opened =
      Outbox::open(settings.outbox_dir, base::file_name_safe(s.kiosk_id), s.options.log);
  if (!opened.outbox) return {nullptr, opened.error};
  impl->outbox = std::move(opened.outbox);
  s.outbox = impl->outbox->folder();
  impl->pick_up_queue();
  return {std::unique_ptr<Handoff>(new Handoff(std::move(impl))), {}};
}

Handoff::Handoff(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Handoff::~Handoff() { impl_->stop(); }

Outcome Handoff::send(const crypto::VerifiedPresentation& presentation,
                      crypto::UnixSeconds checked_at, const OnlineCheckResult* online) {
  try {
    return impl_->send(presentation, checked_at, online);
  } catch (const std::exception& e) {  // allocation failure and the like: a value, not a throw
    Outcome outcome;
    outcome.kind = Outcome::Kind::failed;
    outcome.detail = std::string("internal error: ") + e.what();
    return outcome;
  }
}

std::optional<Outcome> Handoff::outcome(std::uint64_t sequence) const {
  const Shared& s = *impl_->shared;
  std::lock_guard lock(s.mutex);
  const auto found = s.recent.find(sequence);
  if (found == s.recent.end()) return std::nullopt;
  Outcome o = found->second;
  for (ChannelResult& r : o.channels) {
    if (r.outcome != ChannelOutcome::queued) continue;
    for (const ChannelState& ch : s.channels) {
      if (ch.channel() != r.channel) continue;
      r.detail =
          !s.answering(ch) ? "no answer for " + seconds_text(s.stuck_for(ch)) : ch.last_error;
    }
  }
  return o;
}

void Handoff::start() { impl_->start(); }
void Handoff::stop() { impl_->stop(); }

void Handoff::retry_now() {
  Shared& s = *impl_->shared;
  {
    std::lock_guard lock(s.mutex);
    for (ChannelState& ch : s.channels) ch.wake = true;
  }
  s.changed.notify_all();
}

QueueFigures Handoff::queue() const {
  const Shared& s = *impl_->shared;
  std::lock_guard lock(s.mutex);
  QueueFigures figures;
  figures.quarantined = s.quarantined;
  figures.running = s.running;
  std::set<std::uint64_t> pending;
  for (const ChannelState& ch : s.channels) {
    ChannelFigures c;
    c.channel = ch.channel();
    c.pending = ch.pending.size();
    if (!ch.pending.empty()) c.oldest_pending = ch.pending.begin()->first;
    c.delivered = ch.delivered;
    c.consecutive_failures = ch.consecutive_failures;
    c.last_error = ch.last_error;
    c.last_delivery = ch.last_delivery;
    c.answering = s.answering(ch);
    c.stuck_for = s.stuck_for(ch);
    c.running = ch.run != nullptr;
    for (const auto& item : ch.pending) pending.insert(item.first);
    figures.channels.push_back(std::move(c));
  }
  figures.pending = pending.size();
  if (!pending.empty()) figures.oldest_pending = *pending.begin();
  figures.stranded = s.stranded;
  return figures;
}

const config::HandoffSettings& Handoff::settings() const { return impl_->shared->settings; }

}  // namespace kakunin::handoff
