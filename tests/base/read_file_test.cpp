// The bounded reader: whole regular files up to a limit, nothing else, never stuck.
#include <kakunin/base/read_file.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "base_test_support.h"

namespace kakunin::testing {
namespace {

TEST(ReadFile, ReadsAWholeFile) {
  ScratchFolder dir;
  put_file(dir / "key.pem", "-----BEGIN PUBLIC KEY-----\n");
  const auto text = base::read_file(dir / "key.pem", std::size_t{64} * 1024);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text.value(), "-----BEGIN PUBLIC KEY-----\n");
}

TEST(ReadFile, ReadsBytesUpToExactlyTheLimit) {
  ScratchFolder dir;
  put_file(dir / "list.cose", std::string(1000, '\xA5'));
  const auto bytes = base::read_file_bytes(dir / "list.cose", 1000);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(bytes.value(), std::vector<std::uint8_t>(1000, 0xA5));
}

TEST(ReadFile, RefusesAFileLargerThanTheLimit) {
  ScratchFolder dir;
  put_file(dir / "list.cose", std::string(1001, 'x'));
  const auto bytes = base::read_file_bytes(dir / "list.cose", 1000);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.error().message.find("is larger than 1000 bytes"), std::string::npos)
      << bytes.error().message;
}

TEST(ReadFile, ReadsAnEmptyFile) {
  ScratchFolder dir;
  put_file(dir / "empty", "");
  const auto text = base::read_file(dir / "empty", 10);
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text.value().empty());
}

// procfs files say they are 0 bytes long; their real length only shows when read.
TEST(ReadFile, LimitHoldsForAFileLongerThanItsStatSays) {
  const auto small_limit = base::read_file("/proc/self/status", 16);
  ASSERT_FALSE(small_limit.ok());
  EXPECT_NE(small_limit.error().message.find("is larger than 16 bytes"), std::string::npos);
  const auto whole = base::read_file("/proc/self/status", 1 << 20);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_NE(whole.value().find("Pid:"), std::string::npos);
}

TEST(ReadFile, AMissingFileSaysWhy) {
  ScratchFolder dir;
  const auto text = base::read_file(dir / "missing.pem", 10);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().os_error, ENOENT);
  EXPECT_NE(text.error().message.find("missing.pem: No such file or directory"), std::string::npos)
      << text.error().message;
}

TEST(ReadFile, RefusesAFolder) {
  ScratchFolder dir;
  const auto text = base::read_file(dir.path(), 10);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("is not a regular file"), std::string::npos)
      << text.error().message;
}

// A FIFO nobody writes to is how a hung share or a dying USB stick can look: the
// read must come back with a refusal instead of waiting in open() for ever.
TEST(ReadFile, RefusesAFifoWithoutWaitingForAWriter) {
  ScratchFolder dir;
  const auto fifo = dir / "trustlist.cose";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reading = std::async(std::launch::async, [&] { return base::read_file(fifo, 1000); });
  const bool returned = reading.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  if (!returned) {
    // Unblock the stuck open() so the test can end, then fail.
    const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) ::close(writer);
  }
  ASSERT_TRUE(returned) << "read_file waited for a writer on a FIFO";
  const auto result = reading.get();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("is not a regular file"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace kakunin::testing
