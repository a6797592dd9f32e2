// file:// sync on a clinic's worst day (issue 16, item 4): a list URL on a share
// that hangs (NFS/SMB), a failing USB stick, a FIFO in place of the file. Each
// round ends within its total timeout with a one-line reason, Syncer::stop()
// returns within about a second, and the held list stays in use and on disk.
//
// A FIFO is tried in this process; a share whose open() or read() never returns
// is made by the fault shim (tests/faults/README.md) in a child process
// (kakunin-sync-driver), which is stopped with SIGTERM as systemd stops the kiosk.
#include "sync_fixture.h"

#include "child_process.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;
using Result = sync::ListOutcome::Result;
using SteadyClock = std::chrono::steady_clock;

// Only bound a test that would otherwise hang, on a loaded two-core machine: a
// round that waited for the share, or a stop that waited for the 60 s timeout,
// would pass them.
constexpr auto kSlack = 10s;
constexpr auto kStopBound = 5s;

long long ms(SteadyClock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

class FileSyncFaults : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    share = unique_dir("kakunin-share");
    aside = unique_dir("kakunin-share-aside");
    ASSERT_TRUE(put_list(share / "trustlist.cose", trust_list(kHeldSequence + 1)));
    held_before = held_file();
  }
  void TearDown() override {
    SyncTest::TearDown();
    fs::remove_all(share);
    fs::remove_all(aside);
  }

  std::string share_url() const { return "file://" + (share / "trustlist.cose").string(); }

  // The trust list from the share, the revocation list from the server as usual.
  sync::SyncSettings share_settings(std::chrono::milliseconds total_timeout) const {
    sync::SyncSettings s = settings();
    s.trust_list_url = share_url();
    s.transport.total_timeout = total_timeout;
    return s;
  }

  void replace_with_fifo() {
    fs::remove(share / "trustlist.cose");
    ASSERT_EQ(::mkfifo((share / "trustlist.cose").c_str(), 0600), 0);
  }

  // The round's outcome for the share's list: failed, with a one-line reason
  // containing `reason`, the held list still in use and on disk.
  void expect_kept(const sync::ListOutcome& outcome, const std::string& reason) {
    EXPECT_EQ(outcome.result, Result::failed) << outcome.reason;
    EXPECT_NE(outcome.reason.find(reason), std::string::npos) << outcome.reason;
    EXPECT_EQ(outcome.reason.find_first_of("\r\n"), std::string::npos) << outcome.reason;
    EXPECT_TRUE(logged("warning: trust list download from file://")) << log_text();
    EXPECT_EQ(held_file(), held_before) << "the held file changed";
    EXPECT_EQ(store_sequence(), kHeldSequence);
  }

  // Runs rounds in the background until one finished, then stops the syncer.
  SteadyClock::duration stop_after_a_background_round(sync::Syncer& s) {
    s.start();
    for (int i = 0; i < 1000 && !s.last_report(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(s.last_report());
    const auto started = SteadyClock::now();
    s.stop();
    return SteadyClock::now() - started;
  }

  // kakunin-sync-driver with the trust list on the share and the fault shim loaded.
  std::vector<std::string> driver_args(const std::string& how, std::chrono::milliseconds timeout) {
    std::ofstream(aside / "pinned.pem") << world->list_key.public_pem();
    return {how,
            "--state-dir",
            dir.string(),
            "--pinned-key",
            (aside / "pinned.pem").string(),
            "--trust-list-url",
            share_url(),
            "--timeout-ms",
            std::to_string(timeout.count())};
  }
  FaultSettings hung_share(const std::string& call) const {
    return FaultSettings(share).only(call).log_to(aside / "faults.log");
  }
  static long long number_after(const std::optional<std::string>& line, std::size_t prefix) {
    return line ? std::stoll(line->substr(prefix)) : -1;
  }

  fs::path share;  // the share or USB stick: holds a newer list, sequence 6
  fs::path aside;  // the pinned key and the fault log, never faulty
};

TEST_F(FileSyncFaults, FileSyncFromAFifoWithNoWriterEndsWithinItsTimeout) {
  replace_with_fifo();
  sync::Syncer& s = make_syncer(share_settings(5000ms));
  const auto started = SteadyClock::now();
  const sync::RoundReport report = s.sync_once();
  EXPECT_LT(SteadyClock::now() - started, 5000ms) << "the round waited for a writer";
  expect_kept(report.trust_list, "is not a regular file");
  EXPECT_LT(stop_after_a_background_round(s), kStopBound);
  EXPECT_EQ(held_file(), held_before);
}

TEST_F(FileSyncFaults, FileSyncFromAFifoWhoseWriterDripsForeverEndsWithinItsTimeout) {
  replace_with_fifo();
  // A writer that never finishes: one byte every 20 ms. O_RDWR opens a FIFO
  // without waiting for a reader and never raises SIGPIPE.
  std::atomic<bool> dripping{true};
  std::thread writer([&] {
    const int fd = ::open((share / "trustlist.cose").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    while (dripping) {
      (void)!::write(fd, "x", 1);
      std::this_thread::sleep_for(20ms);
    }
    ::close(fd);
  });
  sync::Syncer& s = make_syncer(share_settings(5000ms));
  const auto started = SteadyClock::now();
  const sync::RoundReport report = s.sync_once();
  EXPECT_LT(SteadyClock::now() - started, 5000ms) << "the round read the drip";
  expect_kept(report.trust_list, "is not a regular file");
  EXPECT_LT(stop_after_a_background_round(s), kStopBound);
  dripping = false;
  writer.join();
  EXPECT_EQ(held_file(), held_before);
}

TEST_F(FileSyncFaults, FileSyncFromAShareWhoseOpenOrReadHangsEndsWithinItsTimeout) {
  constexpr auto kTimeout = 1000ms;
  for (const std::string call : {"open", "read"}) {
    SCOPED_TRACE(call);
    fs::remove(aside / "faults.log");
    ChildProcess child(KAKUNIN_SYNC_DRIVER, driver_args("--once", kTimeout),
                       fault_environment(hung_share(call)));
    const auto round = child.wait_for_line("round ", kTimeout + kSlack);
    ASSERT_TRUE(round) << "the round did not end: the sync thread waits for the share";
    EXPECT_TRUE(file_has_line(aside / "faults.log", "hang " + call)) << "the fault was not hit";
    EXPECT_GE(number_after(round, 6), ms(kTimeout) - 50) << "ended before its timeout";
    EXPECT_LT(number_after(round, 6), ms(kTimeout + kSlack));
    const auto trust = child.wait_for_line("trust_list ");
    ASSERT_TRUE(trust);
    EXPECT_EQ(trust->rfind("trust_list failed ", 0), 0u) << *trust;
    EXPECT_NE(trust->find("timeout: reading the file took longer than 1000 ms"), std::string::npos)
        << *trust;
    EXPECT_EQ(child.wait_for_line("held "), "held 5") << "the held list is no longer in use";
    const auto status = child.wait(kSlack);
    ASSERT_TRUE(status) << "the driver did not exit";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    EXPECT_EQ(held_file(), held_before) << "the held file changed";
  }
}

TEST_F(FileSyncFaults, StopReturnsWithinASecondWhileAFileReadHangs) {
  // A 60 s timeout: a stop that waited for it would be plain to see.
  constexpr auto kTimeout = 60'000ms;
  for (const std::string call : {"open", "read"}) {
    SCOPED_TRACE(call);
    fs::remove(aside / "faults.log");
    ChildProcess child(KAKUNIN_SYNC_DRIVER, driver_args("--background", kTimeout),
                       fault_environment(hung_share(call)));
    ASSERT_TRUE(child.wait_for_line("started", kSlack));
    ASSERT_TRUE(file_has_line(aside / "faults.log", "hang " + call, kSlack))
        << "the sync thread never reached the share";
    child.kill(SIGTERM);
    const auto stopped = child.wait_for_line("stopped ", kSlack);
    ASSERT_TRUE(stopped) << "stop() waits for the share";
    EXPECT_LT(number_after(stopped, 8), ms(kStopBound));
    EXPECT_EQ(child.wait_for_line("held "), "held 5");
    const auto status = child.wait(kSlack);
    ASSERT_TRUE(status) << "the driver did not exit";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    EXPECT_EQ(held_file(), held_before);
  }
}

}  // namespace
}  // namespace kakunin::testing
