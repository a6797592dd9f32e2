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
#include <optional>
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

// Blocks until the child's next message: kReady, or the id of a committed row.
std::optional<std::int64_t> next_message(int fd) {
  pollfd poll_fd{fd, POLLIN, 0};
  std::int64_t message = 0;
  if (::poll(&poll_fd, 1, 10000) != 1 || ::read(fd, &message, sizeof message) != sizeof message) {
    return std::nullopt;
  }
  return message;
}

TEST_F(AuditTest, KeepsEveryCommittedRowWhenKilledAtRandomMoments) {
  const crypto::VerifyResult valid = valid_issuer_result();
  const crypto::VerifyResult refused = stale_result();
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after_us(0, 20000);
  std::uniform_int_distribution<int> kill_early_us(0, 3000);

  std::int64_t reported_total = 0;
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
    // Where the kill lands: every tenth round while the log may still be being
    // opened (or created); otherwise 0-20 ms after the child opened the log, or
    // after its first commit, so that most kills hit a commit in progress (each
    // waits for fsync, a few ms on a busy disk).
    std::vector<std::int64_t> reported;
    if (round % 10 == 9) {
      std::this_thread::sleep_for(std::chrono::microseconds(kill_early_us(random)));
    } else {
      ASSERT_EQ(next_message(pipe_fds[0]), kReady) << "the child did not open the log";
      if (round % 2 == 1) {
        const auto first = next_message(pipe_fds[0]);
        ASSERT_TRUE(first && *first > 0) << "the child did not commit a row";
        reported.push_back(*first);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(kill_after_us(random)));
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, status " << status;
    for (const std::int64_t id : read_reported(pipe_fds[0])) reported.push_back(id);
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
    }
    reported_total += static_cast<std::int64_t>(reported.size());
  }
  EXPECT_GE(reported_total, 45) << "every odd round waits for a commit";
  RecordProperty("rows_committed", static_cast<int>(reported_total));
}

}  // namespace
}  // namespace kakunin::audit::testing
