// Crash safety: a kiosk killed at any moment (power switch, OOM killer, kill -9)
// keeps every row it had committed, and the chain still verifies.
#include "audit_fixture.h"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

namespace kakunin::audit::testing {
namespace {

constexpr std::int64_t kReady = -1;

// The child: open the log, say so, then record rows until killed, reporting each
// id once committed.
[[noreturn]] void write_rows_until_killed(const config::AuditSettings& settings,
                                          const crypto::VerifyResult& valid,
                                          const crypto::VerifyResult& refused, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  auto opened = AuditLog::open(settings);
  if (!opened.ok()) ::_exit(3);
  if (::write(report_fd, &kReady, sizeof kReady) != sizeof kReady) ::_exit(5);
  for (std::int64_t i = 0; i < 1000000; ++i) {
    const auto id = opened.value().record(i % 2 ? valid : refused, kNow + i, "crash-kiosk");
    if (!id.ok()) ::_exit(4);
    const std::int64_t committed = id.value();
    if (::write(report_fd, &committed, sizeof committed) != sizeof committed) ::_exit(5);
  }
  ::_exit(0);
}

std::vector<std::int64_t> read_reported(int fd) {
  std::vector<std::int64_t> ids;
  std::int64_t id = 0;
  while (::read(fd, &id, sizeof id) == sizeof id) {
    if (id != kReady) ids.push_back(id);
  }
  return ids;
}

// Blocks until the child has opened the log (its first message).
bool wait_until_ready(int fd) {
  pollfd poll_fd{fd, POLLIN, 0};
  std::int64_t message = 0;
  return ::poll(&poll_fd, 1, 10000) == 1 && ::read(fd, &message, sizeof message) == sizeof message &&
         message == kReady;
}

TEST_F(AuditTest, KeepsEveryCommittedRowWhenKilledAtRandomMoments) {
  const crypto::VerifyResult valid = valid_issuer_result();
  const crypto::VerifyResult refused = stale_result();
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  // Mostly while rows are being written (each commit waits for fsync, a few ms
  // on a busy disk); every tenth round as early as while the log is opened.
  std::uniform_int_distribution<int> kill_after_us(0, 20000);
  std::uniform_int_distribution<int> kill_early_us(0, 3000);

  std::int64_t reported_total = 0;
  std::int64_t highest_reported = 0;
  for (int round = 0; round < 100; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      write_rows_until_killed(settings(), valid, refused, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    if (round % 10 == 9) {
      std::this_thread::sleep_for(std::chrono::microseconds(kill_early_us(random)));
    } else {
      ASSERT_TRUE(wait_until_ready(pipe_fds[0])) << "the child did not open the log";
      std::this_thread::sleep_for(std::chrono::microseconds(kill_after_us(random)));
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, status " << status;
    const std::vector<std::int64_t> reported = read_reported(pipe_fds[0]);
    ::close(pipe_fds[0]);

    // The log is opened only between children, never across a fork.
    auto review = AuditLog::open_for_review(settings().database);
    if (!review.ok()) {
      ASSERT_TRUE(reported.empty()) << "rows were committed but the log is gone";
      continue;  // killed before the database existed
    }
    const ChainReport report = review.value().verify_chain();
    ASSERT_TRUE(report.intact) << "row " << report.broken_at.value_or(0) << ": " << report.problem;
    ASSERT_EQ(report.rows, report.last_id) << "no purge ran, so ids run 1..last without gaps";
    for (const std::int64_t id : reported) {
      ASSERT_LE(id, report.last_id) << "row " << id << " was reported committed and is lost";
      highest_reported = std::max(highest_reported, id);
    }
    reported_total += static_cast<std::int64_t>(reported.size());
  }
  EXPECT_GT(reported_total, 0) << "no child ever committed a row: the test tested nothing";
  RecordProperty("rows_committed", static_cast<int>(reported_total));
}

}  // namespace
}  // namespace kakunin::audit::testing
