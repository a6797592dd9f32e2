// The outbox must reopen whole after the kiosk is killed mid-write. (That single
// files are never torn is base::write_file_atomically's promise, tested in tests/base.)
#include <kakunin/base/atomic_file.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "handoff_test_support.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

using base::kTempPrefix;
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
void kill_child_mid_write(const std::function<void()>& writer,
                          const std::function<bool()>& started) {
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

TEST(OutboxCrash, KilledSenderLeavesAnOutboxThatReopensWhole) {
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
      [&] { return std::filesystem::exists(outbox_dir / Outbox::item_name(4)); });

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

}  // namespace
}  // namespace kakunin::handoff
