// DecodeStage: one worker thread, one newest-frame slot, one map of texts in sight.
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

  std::map<std::string, SteadyTime> last_seen;         // worker thread only: texts in sight
  std::chrono::steady_clock::time_point last_start{};  // worker thread only: last read began
  std::thread worker;

  Impl(QrTextSink& s, DecodeStageOptions o, const base::Clock& clock)
      : sink(s), options(o), reader(o.reader), heartbeat(clock) {}

  void run() {
    Frame frame;
    for (;;) {
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
        if (pending_scene) last_read_scene = *pending_scene;
        pending_scene.reset();
        busy = true;
        heartbeat.working();
        if (reset_requested) {
          last_seen.clear();
          reader.forget_region();
          last_read_scene = {};
          reset_requested = false;
        }
      }
      decode(frame);
      {
        std::lock_guard lock(mutex);
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

  void decode(const Frame& frame) {
    const auto start = std::chrono::steady_clock::now();
    last_start = start;
    const std::vector<Decoded> found = reader.read(frame.view());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const SteadyTime seen_at = frame.captured_at == SteadyTime{} ? start : frame.captured_at;

    std::vector<const Decoded*> news;
    for (const Decoded& qr : found) {
      const auto before = last_seen.find(qr.text);
      if (before == last_seen.end() || seen_at - before->second > options.forward_again_after)
        news.push_back(&qr);
      last_seen[qr.text] = seen_at;
    }
    // Texts long out of sight are forgotten, so the map stays as small as what is in view.
    std::erase_if(last_seen, [&](const auto& entry) {
      return seen_at - entry.second > options.forward_again_after;
    });
    {
      std::lock_guard lock(mutex);
      ++figures.frames_decoded;
      figures.texts_forwarded += news.size();
      figures.total_ms += ms;
      figures.ms_per_frame = figures.total_ms / static_cast<double>(figures.frames_decoded);
      ++figures.decoded_by_ms[bucket_of(ms)];
      detection = {found.empty() ? std::vector<std::pair<int, int>>{} : found.front().corners,
                   frame.sequence, frame.captured_at};
    }
    for (const Decoded* qr : news)
      sink.qr_text({qr->text, qr->corners, frame.sequence, frame.captured_at});
  }
};

DecodeStage::DecodeStage(QrTextSink& sink, DecodeStageOptions options, const base::Clock& clock)
    : impl_(std::make_unique<Impl>(sink, std::move(options), clock)) {
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

DecodeStage::~DecodeStage() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->worker.join();
}

void DecodeStage::push(const Frame& frame) {
  // Judged here, on the capture thread, before any copy: an empty counter whose
  // picture has not changed since the last read is neither copied nor handed to
  // the worker (30 fewer 2.7 MB copies and wake-ups a second while idle).
  const bool detect_change = impl_->options.read_unchanged_every.count() > 0;
  std::optional<SceneThumbnail> scene;
  if (detect_change) scene = SceneThumbnail::of(frame.view());
  {
    std::lock_guard lock(impl_->mutex);
    ++impl_->figures.frames_pushed;
    if (scene && impl_->unchanged_empty_counter(*scene)) {
      ++impl_->figures.frames_unchanged;
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
