#include "recorder.h"

#include <openssl/rand.h>

#include <algorithm>

namespace kakunin::audit::detail {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(250);
constexpr auto kMaxBackoff = std::chrono::milliseconds(10'000);
constexpr auto kPurgeInterval = std::chrono::hours(24);
constexpr auto kPurgeRetry = std::chrono::hours(1);
constexpr auto kReserveRetry = std::chrono::minutes(1);
// Each wait also ends after this long, so a test's fake clock is looked at again.
constexpr auto kLongestWait = std::chrono::milliseconds(1000);
constexpr std::size_t kBatchRows = 64;
constexpr auto kStopFlush = std::chrono::milliseconds(2000);

RecordingProblem problem_of(const DbError& error) {
  switch (error.sqlite_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RecordingProblem::database_locked;
    case SQLITE_FULL:
      return RecordingProblem::disk_full;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return RecordingProblem::database_damaged;
    default:
      return RecordingProblem::database_unavailable;
  }
}

// Locked or full: the same connection works once the other program lets go or
// there is room. Anything else (damaged, removed, replaced, an I/O error): the
// file is opened afresh next time, so a database an operator restored is used.
bool keep_connection(const DbError& error) {
  const RecordingProblem problem = problem_of(error);
  return problem == RecordingProblem::database_locked || problem == RecordingProblem::disk_full;
}

RecordingProblem problem_of(const base::Error& error) {
  return error.os_error == ENOSPC || error.os_error == EDQUOT ? RecordingProblem::disk_full
                                                              : RecordingProblem::queue_unwritable;
}

std::string purge_line(const PurgeReport& report, int retention_days) {
  return "purged rows " + std::to_string(report.record->purged_from) + " to " +
         std::to_string(report.record->purged_through) + " (" +
         std::to_string(report.rows_removed) + " rows written " + utc_day(report.oldest_removed) +
         " to " + utc_day(report.newest_removed) + " UTC), older than " +
         std::to_string(retention_days + kRetentionMarginDays) + " days (retention " +
         std::to_string(retention_days) + " + " + std::to_string(kRetentionMarginDays) +
         "-day margin); the purge record is row " + std::to_string(report.record->record_id);
}

std::string rows(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " row" : " rows");
}

}  // namespace

Recorder::Recorder(RecorderSetup setup, DbResult<Database> db, Queue queue, QueueContents contents)
    : setup_(std::move(setup)),
      clock_(*setup_.options.clock),
      opened_at_(clock_.steady_now()),
      wall_at_open_(clock_.wall_now()),
      queue_(std::move(queue)),
      next_sequence_(contents.next_sequence),
      backoff_(kFirstBackoff) {
  for (const std::string& note : contents.notes) say({base::LogLevel::warn, note});
  waiting_.assign(std::make_move_iterator(contents.waiting.begin()),
                  std::make_move_iterator(contents.waiting.end()));
  if (db.ok()) {
    db_.emplace(std::move(db.value()));
    if (auto problem = ensure_database()) {
      db_.reset();
      database_fault_ = Fault{problem_of(*problem), problem->message};
    }
  } else {
    database_fault_ = Fault{problem_of(db.error()), db.error().message};
  }
  if (database_fault_) {
    say({base::LogLevel::warn, "cannot write to the database, verdicts wait in the queue " +
                                   queue_.folder().string() + ": " + database_fault_->detail});
  }
  reserve_missing_ = !queue_.reserve_present();
  const base::SteadyTime now = clock_.steady_now();
  next_attempt_ = database_fault_ ? now + backoff_ : now;
  next_purge_ = now;  // the first purge runs at start
  next_reserve_try_ = now;
  thread_ = std::thread(&Recorder::run, this);
}

Recorder::~Recorder() {
  // A clean stop writes what is queued if the database answers at once; one
  // attempt at most, so a locked database does not hold up the stop. Rows not
  // written stay durable in the queue for the next start.
  static_cast<void>(flush(kStopFlush));
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  progress_.notify_all();
  thread_.join();
}

base::Result<std::int64_t> Recorder::record(Row row) {
  QueuedRow queued{std::vector<std::uint8_t>(kQueueKeyBytes), std::move(row)};
  if (RAND_bytes(queued.key.data(), static_cast<int>(queued.key.size())) != 1) {
    return base::Error{"the verdict was not recorded: no random bytes for its queue key"};
  }
  const std::lock_guard serial(record_mutex_);
  std::int64_t sequence = 0;
  {
    const std::lock_guard lock(mutex_);
    sequence = next_sequence_;
  }
  bool used_reserve = false;
  const base::Status written = queue_.add(sequence, queued, &used_reserve);
  std::optional<Line> line;
  {
    const std::lock_guard lock(mutex_);
    if (!written.ok()) {
      Fault fault{problem_of(written.error()), written.error().message};
      if (!queue_fault_ || queue_fault_->detail != fault.detail) {
        line = Line{base::LogLevel::error, "a verdict was not recorded: " + fault.detail};
      }
      queue_fault_ = std::move(fault);
    } else {
      if (queue_fault_) line = Line{base::LogLevel::info, "recording verdicts again"};
      if (used_reserve) {
        line = Line{base::LogLevel::warn,
                    "the disk is full: the queue gave up its reserve to keep recording"};
        reserve_missing_ = true;
        reserve_given_up_ = true;
        next_reserve_try_ = clock_.steady_now() + kReserveRetry;
      }
      queue_fault_.reset();
      ++next_sequence_;
      waiting_.push_back({sequence, std::move(queued)});
    }
  }
  if (line) say(*line);
  if (!written.ok()) return base::Error{"the verdict was not recorded: " + written.error().message};
  wake_.notify_one();
  return sequence;
}

RecordingStatus Recorder::status() const {
  const std::lock_guard lock(mutex_);
  RecordingStatus status;
  status.rows_waiting = static_cast<std::int64_t>(waiting_.size());
  if (queue_fault_) {
    status.state = RecordingState::not_recording;
    status.problem = queue_fault_->problem;
    status.detail = queue_fault_->detail;
  } else if (database_fault_) {
    status.state = RecordingState::delayed;
    status.problem = database_fault_->problem;
    status.detail = database_fault_->detail;
  } else if (reserve_given_up_) {
    status.problem = RecordingProblem::disk_full;
    status.detail = "the disk is full: the audit queue is using its reserve";
  }
  return status;
}

base::Status Recorder::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::int64_t target = next_sequence_ - 1;
  const std::uint64_t failures_before = failed_rounds_;
  const auto written = [&] { return waiting_.empty() || waiting_.front().sequence > target; };
  nudge_ = true;
  wake_.notify_one();
  progress_.wait_for(lock, timeout,
                     [&] { return written() || failed_rounds_ > failures_before || stop_; });
  if (written()) return {};
  if (database_fault_) return base::Error{database_fault_->detail};
  return base::Error{"the audit rows were not written in time (" + rows(waiting_.size()) +
                     " wait in the queue)"};
}

void Recorder::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const base::SteadyTime now = clock_.steady_now();
    const bool database_needed = !waiting_.empty() || database_fault_.has_value();
    const bool attempt = database_needed && (nudge_ || now >= next_attempt_);
    const bool purge_due = setup_.options.purge_daily && now >= next_purge_;
    const bool reserve_due =
        reserve_missing_ && waiting_.empty() && (nudge_ || now >= next_reserve_try_);
    if (!attempt && !purge_due && !reserve_due) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kLongestWait);
      const auto until = [&](base::SteadyTime deadline) {
        wait =
            std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
      };
      if (database_needed) until(next_attempt_);
      if (setup_.options.purge_daily) until(next_purge_);
      if (reserve_missing_ && waiting_.empty()) until(next_reserve_try_);
      wake_.wait_for(lock, std::max(wait, std::chrono::milliseconds(1)));
      continue;
    }
    nudge_ = false;
    std::vector<QueueEntry> batch;
    if (attempt) {
      const std::size_t count = std::min(waiting_.size(), kBatchRows);
      batch.assign(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(count));
    }
    lock.unlock();
    const Round round = work(attempt, batch, purge_due, reserve_due);
    lock.lock();
    if (const auto line = finish_round(round, batch)) {
      lock.unlock();
      say(*line);
      lock.lock();
    }
    // After the log line: whoever flush() woke sees the round complete.
    progress_.notify_all();
  }
}

Recorder::Round Recorder::work(bool attempt, const std::vector<QueueEntry>& batch, bool purge_due,
                               bool remake_reserve) {
  Round round;
  if (purge_due) next_purge_ = clock_.steady_now() + kPurgeRetry;  // daily_purge() sets the next
  if (attempt || purge_due) {
    round.touched_database = true;
    const std::lock_guard lock(db_mutex_);
    round.failure = ensure_database();
    if (!round.failure && purge_due) daily_purge();
    if (!round.failure && !batch.empty()) {
      std::vector<QueuedRow> rows_to_write;
      rows_to_write.reserve(batch.size());
      for (const QueueEntry& entry : batch) rows_to_write.push_back(entry.row);
      auto appended = db_->append(rows_to_write);
      if (appended.ok()) {
        round.rows_done = batch.size();
      } else {
        round.failure = appended.error();
      }
    }
    if (round.failure && !keep_connection(*round.failure)) db_.reset();
  }
  for (std::size_t i = 0; i < round.rows_done; ++i) queue_.remove(batch[i].sequence);
  if (remake_reserve) round.reserve_made = queue_.make_reserve().ok();
  return round;
}

std::optional<Recorder::Line> Recorder::finish_round(const Round& round,
                                                     const std::vector<QueueEntry>& batch) {
  const base::SteadyTime now = clock_.steady_now();
  std::optional<Line> line;
  for (std::size_t i = 0; i < round.rows_done && !waiting_.empty(); ++i) {
    if (waiting_.front().sequence == batch[i].sequence) waiting_.pop_front();
  }
  if (round.failure) {
    ++failed_rounds_;
    Fault fault{problem_of(*round.failure), round.failure->message};
    if (!database_fault_ || database_fault_->detail != fault.detail) {
      line =
          Line{base::LogLevel::warn, "cannot write to the database, verdicts wait in the queue " +
                                         queue_.folder().string() + " (" + rows(waiting_.size()) +
                                         "): " + fault.detail};
    }
    database_fault_ = std::move(fault);
    next_attempt_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  } else if (round.touched_database) {
    if (database_fault_) line = Line{base::LogLevel::info, "writing to the database again"};
    database_fault_.reset();
    backoff_ = kFirstBackoff;
    next_attempt_ = now;
  }
  if (round.reserve_made) {
    reserve_missing_ = !*round.reserve_made;
    if (*round.reserve_made) {
      if (reserve_given_up_) line = Line{base::LogLevel::info, "the queue has its reserve again"};
      reserve_given_up_ = false;
    } else {
      next_reserve_try_ = now + kReserveRetry;
    }
  }
  return line;
}

std::optional<DbError> Recorder::ensure_database() const {
  if (!db_) {
    auto opened = Database::open_for_writing(setup_.database, kBusyTimeout);
    if (!opened.ok()) return opened.error();
    db_.emplace(std::move(opened.value()));
  }
  if (!evidence_) {
    // Read before this run's first row is written: only rows from before the
    // start count as evidence for the clock.
    auto newest = db_->newest_row_time();
    if (!newest.ok()) {
      db_.reset();
      return newest.error();
    }
    evidence_.emplace(newest.value().value_or(wall_at_open_), opened_at_);
  }
  return std::nullopt;
}

base::Result<PurgeReport> Recorder::purge_locked(std::optional<crypto::UnixSeconds> given_now) {
  PurgeClock purge_clock;
  purge_clock.now = given_now.value_or(clock_.wall_now());
  if (!given_now) purge_clock.clock_problem = setup_.options.clock_problem();
  purge_clock.latest_believable = evidence_->latest_believable(clock_.steady_now());
  purge_clock.evidence_anchor = evidence_->anchor();
  if (auto refusal = purge_refusal(purge_clock)) return base::Error{*refusal};
  auto purged = db_->purge({purge_clock.now, purge_cutoff(purge_clock.now, setup_.retention_days)});
  if (!purged.ok()) return base::Error{purged.error().message};
  if (purged.value().record) {
    say({base::LogLevel::info, purge_line(purged.value(), setup_.retention_days)});
  }
  return purged.value();
}

void Recorder::daily_purge() {
  auto purged = purge_locked(std::nullopt);
  next_purge_ = clock_.steady_now() + (purged.ok() ? kPurgeInterval : kPurgeRetry);
  std::optional<base::Error> error;
  if (!purged.ok()) error = purged.error();
  // Said once per change, not every hour while the clock stays unsynchronised.
  if (error && (!last_purge_error_ || last_purge_error_->message != error->message)) {
    say({base::LogLevel::warn, error->message});
  }
  last_purge_error_ = std::move(error);
}

base::Result<PurgeReport> Recorder::purge(std::optional<crypto::UnixSeconds> now) {
  const std::lock_guard lock(db_mutex_);
  if (auto problem = ensure_database()) return base::Error{problem->message};
  return purge_locked(now);
}

std::optional<base::Error> Recorder::last_purge_error() const {
  const std::lock_guard lock(db_mutex_);
  return last_purge_error_;
}

}  // namespace kakunin::audit::detail
