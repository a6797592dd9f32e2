// DecodeStage: a worker for the cheap passes on the newest frame, a second for
// the dear passes on the frame worth them, and one map of texts in sight.
#include <kakunin/drivers/decode_stage.h>

#include <kakunin/drivers/newest_frame.h>

#include "scene_change.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace kakunin::drivers {

struct DecodeStage::Impl {
  QrTextSink& sink;
  DecodeStageOptions options;
  QrReader reader;            // worker thread only
  base::Heartbeat heartbeat;  // written by the worker thread only

  mutable std::mutex mutex;
  std::condition_variable wake;  // a frame arrived, or stop
  std::condition_variable idle;  // the worker finished a frame
  NewestFrame pending;           // the newest frame, not yet taken
  bool busy = false;             // the worker is reading a frame
  bool stopping = false;
  bool reset_requested = false;
  Detection detection;
  DecodeFigures figures;
  // What push() needs to leave an unchanged empty counter alone without copying
  // its frame (published by the worker after each read).
  bool counter_empty = false;
  std::chrono::steady_clock::time_point last_read{};
  SceneThumbnail last_read_scene;
  std::optional<SceneThumbnail> pending_scene;  // the thumbnail of `pending`

  std::chrono::steady_clock::time_point last_start{};      // worker thread only: last read began
  SteadyTime last_captured{};                              // of the last frame pushed
  std::chrono::duration<double> frame_interval{1.0 / 30};  // between pushes, smoothed

  // The dear passes (under mutex but for dear_reader).
  QrReader dear_reader;                      // dear worker only
  std::condition_variable dear_wake;         // a frame for the dear passes, abandon, or stop
  std::optional<Frame> dear_frame;           // waiting for the dear worker
  std::optional<SceneThumbnail> dear_scene;  // of the frame the dear passes are on
  std::uint64_t dear_generation = 0;         // moves on when they are abandoned
  bool dear_busy = false;
  // Steady scenes the dear passes need not look at: the empty counter (the first
  // steady scene with nothing in it), the last one where they found nothing, and
  // the last one where they read.
  std::optional<SceneThumbnail> empty_counter_scene;
  std::optional<SceneThumbnail> settled_scene;
  std::optional<SceneThumbnail> dear_read_scene;

  // Texts in sight, shared by both workers; the sink is called under it, so it
  // hears one worker at a time.
  std::mutex seen_mutex;
  std::map<std::string, SteadyTime> last_seen;

  std::thread worker;
  std::thread dear_worker;

  Impl(QrTextSink& s, DecodeStageOptions o, const base::Clock& clock)
      : sink(s), options(o), reader(o.reader), heartbeat(clock), dear_reader(o.reader) {}

  void run() {
    Frame frame;
    std::optional<SceneThumbnail> scene;
    bool steady = false;  // the frame shows the scene of the frame read before it
    for (;;) {
      bool was_reset = false;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [this] { return pending.has_frame() || stopping; });
        if (stopping) return;
        // An empty counter: wait out the idle pace (newer frames replace the
        // pending one meanwhile), waking at once on stop.
        if (const auto due = idle_due();
            due && wake.wait_until(lock, *due, [this] { return stopping; }))
          return;
        pending.take(frame);  // the slot keeps the old buffer for the next push
        scene = std::move(pending_scene);
        pending_scene.reset();
        steady = scene && !scene->differs_from(last_read_scene);
        if (scene) last_read_scene = *scene;
        busy = true;
        heartbeat.working();
        was_reset = reset_requested;
        if (reset_requested) {
          reader.forget_region();
          last_read_scene = {};
          abandon_dear_passes();
          dear_read_scene.reset();
          reset_requested = false;
        }
      }
      // Outside the mutex: forward() takes the two in the other order.
      if (was_reset) forget_texts_in_sight();
      const bool read_something = decode(frame);
      {
        std::lock_guard lock(mutex);
        plan_dear_passes(frame, read_something, reader.located_unread(), scene, steady);
        counter_empty = reader.counter_looks_empty();
        last_read = last_start;
        busy = false;
        heartbeat.waiting();  // with busy: once drain() returns, the stage is idle
      }
      idle.notify_all();
    }
  }

  // An empty counter whose picture has not changed since the last read: reading
  // it again would find the same nothing. One is still read now and then
  // (read_unchanged_every), in case a change was too faint to see. Under mutex.
  bool unchanged_empty_counter(const SceneThumbnail& scene) const {
    if (!counter_empty || reset_requested) return false;
    const bool due = std::chrono::steady_clock::now() - last_read >= options.read_unchanged_every;
    return !due && !scene.differs_from(last_read_scene);
  }

  // Under mutex: the camera's frame interval, smoothed, for the dear passes' budget.
  void note_frame_interval(SteadyTime captured_at) {
    if (captured_at == SteadyTime{}) return;
    if (last_captured != SteadyTime{} && captured_at > last_captured) {
      const std::chrono::duration<double> gap = captured_at - last_captured;
      if (gap < std::chrono::seconds(1)) frame_interval = frame_interval * 0.9 + gap * 0.1;
    }
    last_captured = captured_at;
  }

  // When the next frame may be read while the counter looks empty.
  std::optional<std::chrono::steady_clock::time_point> idle_due() const {
    if (options.idle_frames_per_second <= 0 || !reader.counter_looks_empty()) return std::nullopt;
    return last_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(1.0 / options.idle_frames_per_second));
  }

  static std::size_t bucket_of(double ms) {
    std::size_t bucket = 0;
    while (bucket < kDecodeMsBuckets.size() && ms > kDecodeMsBuckets[bucket]) ++bucket;
    return bucket;
  }

  static double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  }

  // The cheap passes on the newest frame; true when they read something.
  bool decode(const Frame& frame) {
    const auto start = std::chrono::steady_clock::now();
    last_start = start;
    const std::vector<Decoded> found = reader.read(frame.view());
    const double ms = ms_since(start);
    {
      std::lock_guard lock(mutex);
      ++figures.frames_decoded;
      figures.total_ms += ms;
      figures.ms_per_frame = figures.total_ms / static_cast<double>(figures.frames_decoded);
      ++figures.decoded_by_ms[bucket_of(ms)];
      detection = {found.empty() ? std::vector<std::pair<int, int>>{} : found.front().corners,
                   frame.sequence, frame.captured_at};
    }
    forward(found, frame, start, /*by_dear_pass=*/false);
    return !found.empty();
  }

  // Hands each text not already in sight to the sink (either worker).
  void forward(const std::vector<Decoded>& found, const Frame& frame,
               std::chrono::steady_clock::time_point read_at, bool by_dear_pass) {
    const SteadyTime seen_at = frame.captured_at == SteadyTime{} ? read_at : frame.captured_at;
    std::lock_guard seen(seen_mutex);
    std::vector<const Decoded*> news;
    for (const Decoded& qr : found) {
      auto [before, first_sighting] = last_seen.try_emplace(qr.text, seen_at);
      if (first_sighting || seen_at - before->second > options.forward_again_after)
        news.push_back(&qr);
      // The dear worker reads an older frame than the cheap one may have since.
      before->second = std::max(before->second, seen_at);
    }
    // Texts long out of sight are forgotten, so the map stays as small as what is in view.
    std::erase_if(last_seen, [&](const auto& entry) {
      return seen_at - entry.second > options.forward_again_after;
    });
    {
      std::lock_guard lock(mutex);
      figures.texts_forwarded += news.size();
      if (by_dear_pass) figures.dear_texts_forwarded += news.size();
    }
    for (const Decoded* qr : news)
      sink.qr_text({qr->text, qr->corners, frame.sequence, frame.captured_at});
  }

  void forget_texts_in_sight() {
    std::lock_guard seen(seen_mutex);
    last_seen.clear();
  }

  // ---------------------------------------------------------- dear passes --

  static bool same_scene(const std::optional<SceneThumbnail>& a,
                         const std::optional<SceneThumbnail>& b) {
    return a && b && !a->differs_from(*b);
  }

  // Under mutex: the worker stops after the pass it is in; a waiting frame goes.
  void abandon_dear_passes() {
    if (!dear_frame && !dear_busy) return;
    ++dear_generation;
    dear_frame.reset();
    dear_scene.reset();
    dear_wake.notify_all();
  }

  // Under mutex, after the cheap passes read `frame`: whether the dear passes
  // should look at it, go on with what they look at, or stop.
  void plan_dear_passes(const Frame& frame, bool read_something, bool located,
                        const std::optional<SceneThumbnail>& scene, bool steady) {
    if (!options.dear_passes) return;
    if (read_something) {
      abandon_dear_passes();  // the cheap passes read the symbol themselves
      return;
    }
    const bool working = dear_frame || dear_busy;
    if (working && same_scene(scene, dear_scene)) return;  // still the picture they look at
    if (working) abandon_dear_passes();                    // the scene changed
    if (!located && !steady) return;
    if (same_scene(scene, empty_counter_scene) || same_scene(scene, settled_scene) ||
        same_scene(scene, dear_read_scene))
      return;
    if (!located && !empty_counter_scene) {
      // The first steady scene with nothing in it is taken for the empty counter:
      // the kiosk starts with nobody in front of it, and an empty counter must
      // not pay for the dear passes. A phone then changes the scene.
      empty_counter_scene = scene;
      return;
    }
    dear_frame = frame;  // one copy, only of a frame worth the dear passes
    dear_scene = scene;
    dear_wake.notify_all();
  }

  // The pause after a dear pass that took `ms`, so that on average the passes
  // take dear_budget_per_frame of each frame interval.
  std::chrono::steady_clock::duration rest_after(double ms) const {
    const double budget_ms = static_cast<double>(options.dear_budget_per_frame.count());
    const double interval_ms = std::chrono::duration<double, std::milli>(frame_interval).count();
    const double rest_ms = budget_ms > 0 ? ms * std::max(0.0, interval_ms / budget_ms - 1) : 0;
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double, std::milli>(rest_ms));
  }

  void run_dear_passes() {
    Frame frame;
    for (;;) {
      std::uint64_t generation = 0;
      std::optional<SceneThumbnail> scene;
      {
        std::unique_lock lock(mutex);
        dear_wake.wait(lock, [this] { return dear_frame.has_value() || stopping; });
        if (stopping) return;
        frame = std::move(*dear_frame);
        dear_frame.reset();
        generation = dear_generation;
        scene = dear_scene;
        dear_busy = true;
      }
      const bool read = run_schedule(frame, generation);
      std::lock_guard lock(mutex);
      dear_busy = false;
      if (generation != dear_generation) continue;  // abandoned: the scene is not this one
      (read ? dear_read_scene : settled_scene) = scene;
      dear_scene.reset();
    }
  }

  // Every dear pass on `frame` in turn until one reads, resting between them;
  // true when one read. Stops early when abandoned (or on stop).
  bool run_schedule(const Frame& frame, std::uint64_t generation) {
    for (std::size_t pass = 0; pass < dear_pass_count(); ++pass) {
      const auto start = std::chrono::steady_clock::now();
      const std::vector<Decoded> found = dear_reader.read_dear_pass(frame.view(), pass);
      const double ms = ms_since(start);
      {
        std::lock_guard lock(mutex);
        ++figures.dear_passes_run;
        figures.dear_ms += ms;
        if (!found.empty()) detection = {found.front().corners, frame.sequence, frame.captured_at};
      }
      if (!found.empty()) {
        forward(found, frame, start, /*by_dear_pass=*/true);  // a read is a read, abandoned or not
        return true;
      }
      if (pass + 1 == dear_pass_count()) break;  // no rest after the last
      std::unique_lock lock(mutex);
      if (dear_wake.wait_for(lock, rest_after(ms),
                             [&] { return stopping || dear_generation != generation; }))
        return false;
    }
    return false;
  }
};

DecodeStage::DecodeStage(QrTextSink& sink, DecodeStageOptions options, const base::Clock& clock)
    : impl_(std::make_unique<Impl>(sink, std::move(options), clock)) {
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
  impl_->dear_worker = std::thread([impl = impl_.get()] { impl->run_dear_passes(); });
}

DecodeStage::~DecodeStage() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->dear_wake.notify_all();
  impl_->worker.join();
  impl_->dear_worker.join();
}

void DecodeStage::push(const Frame& frame) {
  // Judged here, on the capture thread, before any copy: an empty counter whose
  // picture has not changed since the last read is neither copied nor handed to
  // the worker (30 fewer 2.7 MB copies and wake-ups a second while idle).
  // (The thumbnail also tells the dear passes whether the scene holds still.)
  const bool detect_change = impl_->options.read_unchanged_every.count() > 0;
  std::optional<SceneThumbnail> scene = SceneThumbnail::of(frame.view());
  {
    std::lock_guard lock(impl_->mutex);
    ++impl_->figures.frames_pushed;
    impl_->note_frame_interval(frame.captured_at);
    if (detect_change && impl_->unchanged_empty_counter(*scene)) {
      ++impl_->figures.frames_unchanged;
      // Not worth the cheap passes again, but a scene that changed and now
      // holds still may be worth the dear ones (a phone the cheap ones miss).
      impl_->plan_dear_passes(frame, /*read_something=*/false, /*located=*/false, scene,
                              /*steady=*/true);
      return;
    }
    // A frame never read is dropped: the newer one replaces it.
    if (impl_->pending.put(frame)) ++impl_->figures.frames_dropped;
    impl_->pending_scene = std::move(scene);
  }
  impl_->wake.notify_one();
}

void DecodeStage::status(const SourceStatus& status) { impl_->sink.status(status); }

void DecodeStage::reset() {
  std::lock_guard lock(impl_->mutex);
  impl_->reset_requested = true;
}

bool DecodeStage::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->idle.wait_for(lock, timeout,
                              [this] { return !impl_->pending.has_frame() && !impl_->busy; });
}

Detection DecodeStage::last_detection() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->detection;
}

DecodeFigures DecodeStage::figures() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->figures;
}

const base::Heartbeat& DecodeStage::heartbeat() const { return impl_->heartbeat; }

}  // namespace kakunin::drivers
