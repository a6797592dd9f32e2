#include "file_reads.h"

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <system_error>
#include <thread>

namespace kakunin::net::detail {
namespace {

// How often a waiting caller looks at its cancel flag and its clock.
constexpr std::chrono::milliseconds kPoll{50};

// What one worker and its caller share; the caller may be gone when it is filled.
struct Job {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;  // guarded by mutex
  std::optional<base::Result<Bytes>> result;
};

FileReadOutcome outcome(FileReadOutcome::Kind kind) {
  FileReadOutcome o;
  o.kind = kind;
  return o;
}

// An exception must not leave a detached thread (std::terminate).
base::Result<Bytes> read_or_error(const FileReader& reader, const std::filesystem::path& path,
                                  std::size_t max_bytes) {
  try {
    return reader(path, max_bytes);
  } catch (const std::exception& e) {
    return base::Error{"cannot read " + path.string() + ": " + e.what(), 0};
  }
}

}  // namespace

std::shared_ptr<FileReads> FileReads::make(FileReader reader) {
  return std::shared_ptr<FileReads>(new FileReads(std::move(reader)));
}

bool FileReads::claim(const std::string& path) {
  std::lock_guard lock(mutex_);
  return busy_.insert(path).second;
}

void FileReads::release(const std::string& path) {
  std::lock_guard lock(mutex_);
  busy_.erase(path);
}

std::size_t FileReads::in_flight() const {
  std::lock_guard lock(mutex_);
  return busy_.size();
}

FileReadOutcome FileReads::read(const std::filesystem::path& path, std::size_t max_bytes,
                                std::chrono::milliseconds timeout, const std::atomic<bool>& cancel,
                                const base::Clock& clock) {
  const std::string key = path.string();
  if (!claim(key)) return outcome(FileReadOutcome::Kind::still_stuck);
  auto job = std::make_shared<Job>();
  try {
    // The worker owns copies and shared_ptrs only: it may return long after the
    // caller, the Client and the Syncer are gone.
    std::thread([self = shared_from_this(), job, path, key, max_bytes] {
      base::Result<Bytes> result = read_or_error(self->reader_, path, max_bytes);
      self->release(key);  // before `done`: a caller that saw it may read the path again
      std::lock_guard lock(job->mutex);
      job->result.emplace(std::move(result));
      job->done = true;
      job->done_changed.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    release(key);
    return outcome(FileReadOutcome::Kind::no_thread);
  }

  const base::SteadyTime deadline = clock.steady_now() + timeout;
  std::unique_lock lock(job->mutex);
  while (!job->done) {
    if (cancel.load()) return outcome(FileReadOutcome::Kind::cancelled);
    const base::SteadyTime now = clock.steady_now();
    if (now >= deadline) return outcome(FileReadOutcome::Kind::timed_out);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    job->done_changed.wait_for(lock, std::min(left + std::chrono::milliseconds(1), kPoll));
  }
  FileReadOutcome done = outcome(FileReadOutcome::Kind::done);
  done.result = std::move(*job->result);
  return done;
}

}  // namespace kakunin::net::detail
