// The capture thread, its watchdog and the status it reports.
//
// Everything the threads touch lives in one shared State: the pump holds it, and
// so does each thread, so a capture thread stuck in a source can be left behind
// by stop() without anything being freed under it.
#include <kakunin/drivers/frame_pump.h>

#include <kakunin/drivers/frame_rate.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace kakunin::drivers {

struct FramePump::State {
  std::unique_ptr<FrameSource> source;  // capture thread only, after start()
  PumpTimings timings;
  // Set before the threads start. Must outlive a capture thread that stop() left
  // stuck in the source (the system clock does).
  const base::Clock* clock = nullptr;
  std::string description;

  // Sinks are called with sink_mutex held, so a status from the watchdog never
  // overlaps a push, and stop() can close them off for good.
  std::mutex sink_mutex;
  std::vector<FrameSink*> sinks;  // protected by sink_mutex
  bool sinks_closed = false;      // protected by sink_mutex
  SourceStatus status;            // protected by sink_mutex: the last one reported

  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;                          // protected by mutex
  bool capture_finished = false;                  // protected by mutex
  std::optional<base::SteadyTime> grab_started;   // protected by mutex: a grab in progress
  bool stall_reported = false;                    // protected by mutex: for the grab in progress
  FrameRate frame_rate{std::chrono::seconds(2)};  // protected by mutex
  std::uint64_t frames = 0;                       // protected by mutex
  std::uint64_t reopens = 0;                      // protected by mutex

  // Reports a status to every sink if it differs from the last one.
  void report(SourceState state, std::string reason) {
    std::lock_guard lock(sink_mutex);
    if (sinks_closed) return;
    if (status.state == state && status.reason == reason) return;
    status = {state, std::move(reason)};
    for (auto* sink : sinks) sink->status(status);
  }

  void push(const Frame& frame) {
    std::lock_guard lock(sink_mutex);
    if (sinks_closed) return;
    if (status.state != SourceState::running) {
      status = {SourceState::running, {}};
      for (auto* sink : sinks) sink->status(status);
    }
    for (auto* sink : sinks) sink->push(frame);
  }

  bool stop_requested() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // Sleeps `delay` unless stop() comes first; false when stopping.
  bool wait_unless_stopped(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, delay, [this] { return stopping; });
  }

  void count_frame(base::SteadyTime now) {
    std::lock_guard lock(mutex);
    ++frames;
    frame_rate.count(now);
  }
};

namespace {

std::string milliseconds_text(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

// The capture loop: open, grab, push; on any fault report, close, wait, re-open.
void capture(const std::shared_ptr<FramePump::State>& state) {
  auto& source = *state->source;
  const auto& timings = state->timings;
  auto backoff = timings.reopen_initial;
  bool is_open = false;
  bool first_attempt = true;
  base::SteadyTime last_progress{};  // the last frame, or the open

  const auto back_off = [&] {
    const bool go_on = state->wait_unless_stopped(backoff);
    backoff = std::min(backoff * 2, timings.reopen_max);
    return go_on;
  };
  const auto close_source = [&] {
    if (is_open) source.close();
    is_open = false;
  };

  while (!state->stop_requested()) {
    if (!is_open) {
      if (!first_attempt) {
        std::lock_guard lock(state->mutex);
        ++state->reopens;
      }
      first_attempt = false;
      std::string reason;
      if (!source.open(reason)) {
        state->report(SourceState::offline,
                      reason.empty() ? "cannot open " + state->description : reason);
        if (!back_off()) break;
        continue;
      }
      is_open = true;
      last_progress = state->clock->steady_now();
    }

    {
      std::lock_guard lock(state->mutex);
      state->grab_started = state->clock->steady_now();
      state->stall_reported = false;
    }
    GrabResult result = source.grab();
    {
      std::lock_guard lock(state->mutex);
      state->grab_started.reset();
      if (state->stopping) break;
    }

    const auto now = state->clock->steady_now();
    if (auto* grabbed = std::get_if<GrabbedFrame>(&result)) {
      last_progress = now;
      backoff = timings.reopen_initial;
      state->count_frame(now);
      state->push(grabbed->frame);
    } else if (std::holds_alternative<NoFrameYet>(result)) {
      if (now - last_progress < timings.stall_after) continue;
      state->report(SourceState::offline, "camera stalled: no frame from " + state->description +
                                              " for " + milliseconds_text(timings.stall_after));
      close_source();  // a re-open is what unsticks most UVC cameras
      if (!back_off()) break;
    } else if (auto* offline = std::get_if<SourceOffline>(&result)) {
      state->report(SourceState::offline, offline->reason);
      close_source();
      if (!back_off()) break;
    } else {
      state->report(SourceState::ended, {});
      break;
    }
  }
  close_source();
  std::lock_guard lock(state->mutex);
  state->capture_finished = true;
  state->wake.notify_all();
}

// Sees a grab that does not return (the source broke its own timeout) and
// reports it; the capture loop cannot, it is the one stuck.
void watch(const std::shared_ptr<FramePump::State>& state) {
  const auto period = std::max(std::chrono::milliseconds(1), state->timings.stall_after / 4);
  std::unique_lock lock(state->mutex);
  while (!state->stopping && !state->capture_finished) {
    state->wake.wait_for(lock, period);
    if (state->stopping || !state->grab_started || state->stall_reported) continue;
    if (state->clock->steady_now() - *state->grab_started < state->timings.stall_after) continue;
    state->stall_reported = true;
    lock.unlock();
    state->report(SourceState::offline, "camera stalled: " + state->description +
                                            " has not returned from a read for " +
                                            milliseconds_text(state->timings.stall_after));
    lock.lock();
  }
}

}  // namespace

FramePump::FramePump(std::unique_ptr<FrameSource> source, PumpTimings timings,
                     const base::Clock& clock)
    : state_(std::make_shared<State>()) {
  state_->clock = &clock;
  state_->description = source->describe();
  state_->source = std::move(source);
  state_->timings = timings;
}

FramePump::~FramePump() { stop(); }

void FramePump::add_sink(FrameSink& sink) {
  std::lock_guard lock(state_->sink_mutex);
  state_->sinks.push_back(&sink);
}

void FramePump::start() {
  if (started_) return;
  started_ = true;
  {
    std::lock_guard lock(state_->sink_mutex);
    state_->status = {SourceState::starting, {}};
    for (auto* sink : state_->sinks) sink->status(state_->status);
  }
  auto state = state_;
  capture_thread_ = std::thread([state] { capture(state); });
  watchdog_thread_ = std::thread([state] { watch(state); });
}

bool FramePump::stop() {
  if (!started_ || stopped_) return true;
  stopped_ = true;
  bool finished = false;
  {
    std::unique_lock lock(state_->mutex);
    state_->stopping = true;
    state_->wake.notify_all();
    finished = state_->wake.wait_for(lock, state_->timings.stop_timeout,
                                     [this] { return state_->capture_finished; });
  }
  {
    std::lock_guard lock(state_->sink_mutex);
    state_->sinks_closed = true;
  }
  watchdog_thread_.join();  // it only waits on `wake`, which stopping ends
  if (finished) {
    capture_thread_.join();
  } else {
    capture_thread_.detach();  // it holds the State and ends when the source returns
  }
  return finished;
}

PumpStats FramePump::stats() const {
  PumpStats stats;
  {
    std::lock_guard lock(state_->sink_mutex);
    stats.status = state_->status;
  }
  std::lock_guard lock(state_->mutex);
  stats.frames = state_->frames;
  stats.reopens = state_->reopens;
  stats.source = state_->description;
  stats.fps = state_->frame_rate.per_second(state_->clock->steady_now());
  return stats;
}

}  // namespace kakunin::drivers
