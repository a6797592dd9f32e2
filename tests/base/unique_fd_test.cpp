#include <kakunin/base/unique_fd.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace kakunin::testing {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_null() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

TEST(UniqueFd, ClosesItsDescriptorWhenItGoesAway) {
  int raw = -1;
  {
    base::UniqueFd fd(open_null());
    raw = fd.get();
    ASSERT_TRUE(fd);
    EXPECT_TRUE(is_open(raw));
  }
  EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, MovingHandsOverOwnershipOnce) {
  base::UniqueFd first(open_null());
  const int raw = first.get();
  base::UniqueFd second = std::move(first);
  EXPECT_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(second.get(), raw);
  base::UniqueFd third(open_null());
  const int replaced = third.get();
  third = std::move(second);
  EXPECT_FALSE(is_open(replaced)) << "the descriptor it held before is closed";
  EXPECT_TRUE(is_open(raw));
}

TEST(UniqueFd, ReleaseGivesTheDescriptorUpOpen) {
  base::UniqueFd fd(open_null());
  const int raw = fd.release();
  EXPECT_FALSE(fd.valid());
  EXPECT_TRUE(is_open(raw));
  ::close(raw);
}

TEST(UniqueFd, CloseReportsWhatTheSystemSaid) {
  base::UniqueFd fd(open_null());
  EXPECT_TRUE(fd.close().ok());
  EXPECT_FALSE(fd.valid());
  EXPECT_TRUE(fd.close().ok()) << "closing an empty one is nothing to report";
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  ::close(pipe_fds[1]);
  base::UniqueFd stale(pipe_fds[0]);
  ::close(pipe_fds[0]);  // closed behind its back
  const auto closed = stale.close();
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().os_error, EBADF);
}

}  // namespace
}  // namespace kakunin::testing
