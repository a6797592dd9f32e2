// Crash safety: a kiosk killed at any moment (power switch, OOM killer, kill -9)
// loses no row that record() had accepted — committed, or still waiting in the
// queue because another program held the database — writes none twice, and the
// chain still verifies.
#include "audit_fixture.h"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <thread>

namespace kakunin::audit::testing {
namespace {

constexpr std::int64_t kReady = -1;

// The child: open the log, say so, then record rows until killed, reporting each
// row's time (unique: first_time + i) once record() accepted it.
[[noreturn]] void write_rows_until_killed(const config::AuditSettings& settings,
                                          const crypto::VerifyResult& valid,
                                          const crypto::VerifyResult& refused,
                                          crypto::UnixSeconds first_time, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  base::CapturingLogSink quiet;  // the parent's output stays readable
  AuditOptions options;
  options.log = base::Logger(quiet);
  auto opened = AuditLog::open(settings, options);
  if (!opened.ok()) ::_exit(3);
  if (::write(report_fd, &kReady, sizeof kReady) != sizeof kReady) ::_exit(5);
  for (std::int64_t i = 0; i < 1000000; ++i) {
    const crypto::UnixSeconds time = first_time + i;
    if (!opened.value().record(i % 2 ? valid : refused, time, "crash-kiosk").ok()) ::_exit(4);
    if (::write(report_fd, &time, sizeof time) != sizeof time) ::_exit(5);
  }
  ::_exit(0);
}

std::vector<std::int64_t> read_reported(int fd) {
  std::vector<std::int64_t> times;
  std::int64_t time = 0;
  while (::read(fd, &time, sizeof time) == sizeof time) {
    if (time != kReady) times.push_back(time);
  }
  return times;
}

// Blocks until the child's next message: kReady, or the time of an accepted row.
std::optional<std::int64_t> next_message(int fd) {
  pollfd poll_fd{fd, POLLIN, 0};
  std::int64_t message = 0;
  if (::poll(&poll_fd, 1, 10000) != 1 || ::read(fd, &message, sizeof message) != sizeof message) {
    return std::nullopt;
  }
  return message;
}

TEST_F(AuditTest, KeepsEveryAcceptedRowOnceWhenKilledAtRandomMoments) {
  const crypto::VerifyResult valid = valid_issuer_result();
  const crypto::VerifyResult refused = stale_result();
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after_us(0, 20000);
  std::uniform_int_distribution<int> kill_early_us(0, 3000);

  std::int64_t reported_total = 0;
  std::int64_t queued_rounds_with_rows = 0;
  std::vector<std::int64_t> every_reported;
  for (int round = 0; round < 100; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Every third round another program holds the write lock while the child
    // records: its rows wait in the queue when the kill comes.
    const bool locked_round = round % 3 == 2;
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      write_rows_until_killed(settings(), valid, refused, kNow + round * 1000000LL, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    // Where the kill lands: every tenth round while the log may still be being
    // opened (or created); otherwise 0-20 ms after the child opened the log, or
    // after its first accepted row, so that kills hit queue writes, commits and
    // removals from the queue in progress.
    std::vector<std::int64_t> reported;
    std::optional<WriteLock> lock;
    if (round % 10 == 9) {
      std::this_thread::sleep_for(std::chrono::microseconds(kill_early_us(random)));
    } else {
      ASSERT_EQ(next_message(pipe_fds[0]), kReady) << "the child did not open the log";
      if (locked_round) {
        lock.emplace(settings().database);
        ASSERT_TRUE(lock->held());
      }
      if (round % 2 == 1 || locked_round) {
        const auto first = next_message(pipe_fds[0]);
        ASSERT_TRUE(first && *first > 0) << "the child did not record a row";
        reported.push_back(*first);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(kill_after_us(random)));
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, status " << status;
    for (const std::int64_t time : read_reported(pipe_fds[0])) reported.push_back(time);
    ::close(pipe_fds[0]);
    if (lock) {
      lock.reset();
      if (!reported.empty()) ++queued_rounds_with_rows;
    }

    // The next start writes what waited in the queue. The log is opened only
    // between children, never across a fork.
    {
      AuditLog log = open_log();
      const base::Status flushed = log.flush(kFlushTimeout);
      ASSERT_TRUE(flushed.ok()) << flushed.error().message;
      const ChainReport report = log.verify_chain();
      ASSERT_TRUE(report.intact) << "row " << report.broken_at.value_or(0) << ": "
                                 << report.problem;
      ASSERT_EQ(report.rows, report.last_id) << "no purge ran, so ids run 1..last without gaps";
    }
    every_reported.insert(every_reported.end(), reported.begin(), reported.end());
    reported_total += static_cast<std::int64_t>(reported.size());
  }
  std::map<std::int64_t, int> times_written;
  for (const std::int64_t time : integers("SELECT time FROM verdicts ORDER BY id")) {
    ++times_written[time];
  }
  for (const auto& [time, count] : times_written) {
    ASSERT_EQ(count, 1) << "the row of time " << time << " was written " << count << " times";
  }
  for (const std::int64_t time : every_reported) {
    ASSERT_EQ(times_written.count(time), 1u)
        << "the row of time " << time << " was accepted by record() and is lost";
  }
  EXPECT_GE(reported_total, 45) << "every odd round waits for an accepted row";
  EXPECT_GE(queued_rounds_with_rows, 25) << "most locked rounds left rows in the queue";
  RecordProperty("rows_accepted", static_cast<int>(reported_total));
}

}  // namespace
}  // namespace kakunin::audit::testing
