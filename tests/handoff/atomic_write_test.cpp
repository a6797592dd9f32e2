// A receiver must never read half a file, even when the kiosk is killed mid-write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "atomic_file.h"
#include "handoff_test_support.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

using testing::TempFolder;

// 2 MB whose every byte depends on the file number, so a torn or mixed file shows.
std::string content_for(int index) {
  std::string out(2 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>('A' + (static_cast<std::size_t>(index) * 7 + i) % 26);
  }
  return out;
}

// Runs `writer` in a child process and kills it with SIGKILL once `started` holds.
void kill_child_mid_write(const std::function<void()>& writer, const std::function<bool()>& started) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    writer();
    ::_exit(0);
  }
  const bool ok = testing::eventually(started, std::chrono::seconds(30));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(ok) << "the child never wrote";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child must have died mid-loop";
}

TEST(AtomicWrite, KillDuringWritesLeavesOnlyWholeFiles) {
  TempFolder dir;
  auto final_files = [&] {
    int count = 0;
    for (const auto& f : testing::files_in(dir.path())) {
      if (f.filename().string().rfind(kTempPrefix, 0) != 0) ++count;
    }
    return count;
  };
  kill_child_mid_write(
      [&] {
        for (int i = 0;; ++i) {
          write_file_atomically(dir.path(), "OQSsiquc01res_" + std::to_string(i) + ".xml",
                                content_for(i), 0640);
        }
      },
      [&] { return final_files() >= 4; });

  int whole = 0;
  for (const auto& path : testing::files_in(dir.path())) {
    const std::string name = path.filename().string();
    if (name.rfind(kTempPrefix, 0) == 0) continue;  // the write that was cut: never renamed
    const int index = std::stoi(name.substr(std::string("OQSsiquc01res_").size()));
    EXPECT_TRUE(testing::read_file(path) == content_for(index)) << name << " is torn";
    ++whole;
  }
  EXPECT_GE(whole, 4);
}

TEST(AtomicWrite, KilledSenderLeavesAnOutboxThatReopensWhole) {
  TempFolder root;
  const auto outbox_dir = root / "outbox";
  kill_child_mid_write(
      [&] {
        auto opened = Outbox::open(outbox_dir);
        if (!opened.outbox) ::_exit(3);
        for (;;) {
          std::string error;
          const auto seq = opened.outbox->reserve_sequence(error);
          if (!seq) ::_exit(4);
          opened.outbox->enqueue(*seq, content_for(static_cast<int>(*seq)));
        }
      },
      [&] {
        return std::filesystem::exists(outbox_dir / Outbox::item_name(4));
      });

  auto reopened = Outbox::open(outbox_dir);  // the lock died with the child
  ASSERT_TRUE(reopened.outbox) << reopened.error;
  for (const auto& f : testing::files_in(outbox_dir)) {
    EXPECT_NE(f.filename().string().rfind(kTempPrefix, 0), 0u) << "temp files are cleared on open";
  }
  ASSERT_GE(reopened.outbox->pending().size(), 4u);
  std::uint64_t expected = 1;
  for (std::uint64_t seq : reopened.outbox->pending()) {
    EXPECT_EQ(seq, expected++) << "no gaps among whole items";
    std::string error;
    const auto body = reopened.outbox->read(seq, error);
    ASSERT_TRUE(body) << error;
    EXPECT_TRUE(*body == content_for(static_cast<int>(seq))) << "item " << seq << " is torn";
  }
  std::string error;
  const auto next = reopened.outbox->reserve_sequence(error);
  ASSERT_TRUE(next);
  EXPECT_GT(*next, *reopened.outbox->pending().rbegin()) << "numbers are never reused";
}

TEST(AtomicWrite, FailedWriteLeavesNoTempFile) {
  TempFolder dir;
  std::filesystem::create_directory(dir / "taken");  // a folder where the file should go
  const std::string error = write_file_atomically(dir.path(), "taken", "data", 0600);
  EXPECT_FALSE(error.empty());
  for (const auto& f : testing::files_in(dir.path())) {
    EXPECT_NE(f.filename().string().rfind(kTempPrefix, 0), 0u);
  }
}

TEST(AtomicWrite, OnlyOldTempFilesAreClearedInASharedFolder) {
  TempFolder dir;
  const auto fresh = dir / (std::string(kTempPrefix) + "other-kiosk-writing");
  const auto stale = dir / (std::string(kTempPrefix) + "left-by-a-crash");
  for (const auto& path : {fresh, stale}) std::ofstream(path) << "x";
  std::filesystem::last_write_time(stale, std::filesystem::file_time_type::clock::now() -
                                              std::chrono::hours(1));
  EXPECT_EQ(remove_stale_temp_files(dir.path(), std::chrono::seconds(600)), 1);
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(stale));
}

}  // namespace
}  // namespace kakunin::handoff
