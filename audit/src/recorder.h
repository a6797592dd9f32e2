// The writer behind AuditLog::record(). record() makes a row durable in the
// crash-safe queue (queue.h) and returns; a thread of its own writes the queued
// rows into the database in order, retrying with backoff while the database is
// locked, full, damaged or missing, and runs the daily purge. What each fault
// does: docs/audit.md "When the database does not answer".
//
// Thread-safe. Locks: mutex_ guards the queue's in-memory side and the status;
// db_mutex_ guards the database and the purge's state. Never both at once, and
// record() never takes db_mutex_, so a database that hangs never blocks it.
#pragma once

#include <kakunin/audit/audit_log.h>

#include "database.h"
#include "purge_policy.h"
#include "queue.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace kakunin::audit::detail {

// A statement waits this long for another connection's lock before the writer
// thread retries on its own schedule (and can notice a request to stop).
inline constexpr std::chrono::milliseconds kBusyTimeout{250};

struct RecorderSetup {
  std::filesystem::path database;
  int retention_days = 1096;
  AuditOptions options;  // every field filled in
};

class Recorder {
 public:
  // `db`: the database as AuditLog::open() could open it, or why it could not.
  Recorder(RecorderSetup setup, DbResult<Database> db, Queue queue, QueueContents contents);
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  // Writes what is queued if the database answers at the first attempt, then
  // stops the writer thread (within about kBusyTimeout either way); rows not yet
  // written stay in the queue for the next start.
  ~Recorder();

  // The row (id 0) made durable in the queue; its place in the queue's order.
  base::Result<std::int64_t> record(Row row);
  RecordingStatus status() const;
  base::Status flush(std::chrono::milliseconds timeout);
  base::Result<PurgeReport> purge(std::optional<crypto::UnixSeconds> now);
  std::optional<base::Error> last_purge_error() const;

  // f(const Database&) under the database lock, or `unavailable(error)` when the
  // database cannot be opened.
  template <typename F, typename G>
  auto with_database(F&& f, G&& unavailable) const {
    const std::lock_guard lock(db_mutex_);
    if (auto problem = ensure_database()) return unavailable(*problem);
    return f(static_cast<const Database&>(*db_));
  }

 private:
  struct Fault {
    RecordingProblem problem = RecordingProblem::none;
    std::string detail;
  };
  struct Line {
    base::LogLevel level;
    std::string text;
  };
  // What one round of the writer thread did.
  struct Round {
    bool touched_database = false;
    std::optional<DbError> failure;  // the database's, when it did not answer
    std::size_t rows_done = 0;       // from the front of the batch, now in the database
    std::optional<bool> reserve_made;
  };

  void run();
  // `attempt`: write `batch` (or, empty, see whether the database answers again).
  Round work(bool attempt, const std::vector<QueueEntry>& batch, bool purge_due,
             bool remake_reserve);
  // Under mutex_; returns what to log (after unlocking).
  std::optional<Line> finish_round(const Round& round, const std::vector<QueueEntry>& batch);
  // Opens the database when it is not open, and learns the time evidence the
  // first time it is. Under db_mutex_.
  std::optional<DbError> ensure_database() const;
  base::Result<PurgeReport> purge_locked(std::optional<crypto::UnixSeconds> given_now);
  void daily_purge();
  void say(const Line& line) const { setup_.options.log.log(line.level, "audit: " + line.text); }

  RecorderSetup setup_;
  const base::Clock& clock_;
  const base::SteadyTime opened_at_;
  const crypto::UnixSeconds wall_at_open_;

  std::mutex record_mutex_;  // one queue write at a time, so entries are in order
  Queue queue_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the writer thread: rows, a nudge, stop
  std::condition_variable progress_;  // flush(): rows written, or an attempt failed
  std::deque<QueueEntry> waiting_;
  std::int64_t next_sequence_ = 1;
  std::uint64_t failed_rounds_ = 0;
  std::optional<Fault> database_fault_;
  std::optional<Fault> queue_fault_;
  bool reserve_missing_ = false;   // to be made (again)
  bool reserve_given_up_ = false;  // a full disk took it: the status says so
  bool nudge_ = false;
  bool stop_ = false;

  mutable std::mutex db_mutex_;
  mutable std::optional<Database> db_;
  mutable std::optional<TimeEvidence> evidence_;
  std::optional<base::Error> last_purge_error_;

  // The writer thread's own schedule.
  base::SteadyTime next_attempt_;
  std::chrono::milliseconds backoff_;
  base::SteadyTime next_purge_;
  base::SteadyTime next_reserve_try_;

  std::thread thread_;  // last: starts once everything above is in place
};

}  // namespace kakunin::audit::detail
