#include <kakunin/drivers/reader_thread.h>

#include <kakunin/drivers/newest_frame.h>

#include <condition_variable>
#include <mutex>
#include <optional>

namespace kakunin::drivers {

struct ReaderThread::State {
  BlockingRead read;  // reader thread only
  mutable std::mutex mutex;
  std::condition_variable changed;
  NewestFrame newest;                 // protected by mutex
  std::optional<SourceOffline> gone;  // protected by mutex
  std::uint64_t dropped = 0;          // protected by mutex
  bool stop = false;                  // protected by mutex
  bool finished = false;              // protected by mutex
};

namespace {

void read_until_stopped(const std::shared_ptr<ReaderThread::State>& state) {
  for (;;) {
    {
      std::lock_guard lock(state->mutex);
      if (state->stop) break;
    }
    auto result = state->read();
    std::lock_guard lock(state->mutex);
    if (auto* offline = std::get_if<SourceOffline>(&result)) {
      state->gone = std::move(*offline);
      state->changed.notify_all();
      break;
    }
    if (state->newest.put(std::move(std::get<Frame>(result)))) ++state->dropped;
    state->changed.notify_all();
  }
  state->read = nullptr;  // releases what the read holds (the device) on this thread
  std::lock_guard lock(state->mutex);
  state->finished = true;
  state->changed.notify_all();
}

}  // namespace

ReaderThread::ReaderThread(BlockingRead read) : state_(std::make_shared<State>()) {
  state_->read = std::move(read);
  thread_ = std::thread([state = state_] { read_until_stopped(state); });
}

ReaderThread::~ReaderThread() { stop(std::chrono::seconds(1)); }

GrabResult ReaderThread::take(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait_for(
      lock, timeout, [this] { return state_->newest.has_frame() || state_->gone.has_value(); });
  if (GrabbedFrame grabbed; state_->newest.take(grabbed.frame)) return grabbed;
  if (state_->gone) return *state_->gone;
  return NoFrameYet{};
}

bool ReaderThread::stop(std::chrono::milliseconds timeout) {
  if (!thread_.joinable()) return true;
  bool finished = false;
  {
    std::unique_lock lock(state_->mutex);
    state_->stop = true;
    finished = state_->changed.wait_for(lock, timeout, [this] { return state_->finished; });
  }
  if (finished) {
    thread_.join();
  } else {
    thread_.detach();  // stuck in read(); it holds the state and ends when the read returns
  }
  return finished;
}

std::uint64_t ReaderThread::dropped_frames() const {
  std::lock_guard lock(state_->mutex);
  return state_->dropped;
}

}  // namespace kakunin::drivers
