// file:// reads: a regular file is read whole and bounded; a FIFO is refused at
// once; and a read that hangs in the kernel (a hung share, a failing USB stick)
// cannot hold the caller past its timeout or its cancel flag, nor leave a thread
// per attempt behind. The hang is a stand-in reader that blocks until the test
// lets it go, timed by a FakeClock; tests/sync runs the same against the fault
// shim's hung open() and read().
#include <kakunin/base/fake_clock.h>
#include <kakunin/net/net.h>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "file_reads.h"

namespace kakunin::net {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using detail::FileReadOutcome;
using detail::FileReads;
using Kind = FileReadOutcome::Kind;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kakunin-net-file-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TransferSettings small(std::int64_t max_bytes = 1024) {
  TransferSettings s;
  s.total_timeout = 5000ms;
  s.max_bytes = max_bytes;
  return s;
}

std::string text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

TEST(FileUrl, ARegularFileIsReadWhole) {
  TempDir dir;
  std::ofstream(dir.path() / "trustlist.cose") << "signed list";
  std::atomic<bool> no_cancel{false};
  base::FakeClock clock;
  const GetResult got =
      Client(small(), UrlUse::list_source, clock)
          .get("file://" + (dir.path() / "trustlist.cose").string(), {}, no_cancel);
  ASSERT_EQ(got.status, GetResult::Status::fetched) << got.error;
  EXPECT_EQ(text(got.body), "signed list");
  EXPECT_EQ(got.received_at, clock.wall_now());
}

TEST(FileUrl, AFileLargerThanMaxBytesOrMissingIsRefusedWithItsReason) {
  TempDir dir;
  std::ofstream(dir.path() / "big.cose") << std::string(2048, 'x');
  std::atomic<bool> no_cancel{false};
  const Client client(small(1024), UrlUse::list_source);
  GetResult got = client.get("file://" + (dir.path() / "big.cose").string(), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_NE(got.error.find("is larger than 1024 bytes"), std::string::npos) << got.error;
  got = client.get("file://" + (dir.path() / "absent.cose").string(), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_NE(got.error.find("No such file"), std::string::npos) << got.error;
  EXPECT_FALSE(got.retryable) << "a stick that is not there stays not there this round";
}

TEST(FileUrl, AFifoWithNoWriterIsRefusedAtOnce) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "trustlist.cose").c_str(), 0600), 0);
  std::atomic<bool> no_cancel{false};
  TransferSettings patient = small();
  patient.total_timeout = 60'000ms;
  const auto started = std::chrono::steady_clock::now();
  const GetResult got =
      Client(patient, UrlUse::list_source)
          .get("file://" + (dir.path() / "trustlist.cose").string(), {}, no_cancel);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "it waited for a writer";
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_NE(got.error.find("is not a regular file"), std::string::npos) << got.error;
}

TEST(FileUrl, OnlyAListSourceReadsFiles) {
  std::atomic<bool> no_cancel{false};
  const GetResult got =
      Client(small(), UrlUse::local_endpoint).get("file:///etc/hostname", {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_TRUE(got.body.empty());
}

// A reader that blocks, as open() or read() on a hung share does, until the test
// opens the gate.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  int entered = 0;

  void let_go() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
  bool wait_entered(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 30s, [&] { return entered >= count; });
  }
};

detail::FileReader hanging_reader(std::shared_ptr<Gate> gate) {
  return [gate](const fs::path&, std::size_t) -> base::Result<detail::Bytes> {
    std::unique_lock lock(gate->mutex);
    ++gate->entered;
    gate->changed.notify_all();
    gate->changed.wait(lock, [&] { return gate->open; });
    return detail::Bytes{'o', 'k'};
  };
}

// Moves the fake clock on until `pending` is ready: the read's deadline is taken
// on its own thread, so the clock is moved until it has certainly passed. (The
// futures carry the outcome's kind only: GCC 12 misreads a future of the whole.)
bool advance_until_ready(base::FakeClock& clock, std::future<Kind>& pending) {
  for (int i = 0; i < 3000; ++i) {
    if (pending.wait_for(10ms) == std::future_status::ready) return true;
    clock.advance(1000ms);
  }
  return false;
}

TEST(FileReadsThatHang, ReturnAtTheirTimeoutAndLeaveTheReadBehind) {
  auto gate = std::make_shared<Gate>();
  auto reads = FileReads::make(hanging_reader(gate));
  base::FakeClock clock;
  std::atomic<bool> no_cancel{false};
  auto pending = std::async(std::launch::async, [&] {
    return reads->read("/share/trustlist.cose", 1024, 5000ms, no_cancel, clock).kind;
  });
  ASSERT_TRUE(gate->wait_entered(1));
  EXPECT_EQ(pending.wait_for(200ms), std::future_status::timeout) << "returned before its timeout";
  ASSERT_TRUE(advance_until_ready(clock, pending));
  EXPECT_EQ(pending.get(), Kind::timed_out);
  EXPECT_EQ(reads->in_flight(), 1u) << "the read is left behind, still in the kernel";
  gate->let_go();
}

TEST(FileReadsThatHang, ReturnWhenCancelledWithoutWaitingForTheRead) {
  auto gate = std::make_shared<Gate>();
  auto reads = FileReads::make(hanging_reader(gate));
  base::FakeClock clock;  // never moved: only the flag can end the wait
  std::atomic<bool> cancel{false};
  auto pending = std::async(std::launch::async, [&] {
    return reads->read("/share/trustlist.cose", 1024, 60'000ms, cancel, clock).kind;
  });
  ASSERT_TRUE(gate->wait_entered(1));
  cancel = true;
  ASSERT_EQ(pending.wait_for(30s), std::future_status::ready) << "cancel did not end the wait";
  EXPECT_EQ(pending.get(), Kind::cancelled);
  gate->let_go();
}

TEST(FileReadsThatHang, AStuckFileGetsNoSecondThreadAndIsReadAgainOnceItReturns) {
  auto gate = std::make_shared<Gate>();
  auto reads = FileReads::make(hanging_reader(gate));
  base::FakeClock clock;
  std::atomic<bool> no_cancel{false};
  auto first = std::async(std::launch::async, [&] {
    return reads->read("/share/trustlist.cose", 1024, 1000ms, no_cancel, clock).kind;
  });
  ASSERT_TRUE(gate->wait_entered(1));
  ASSERT_TRUE(advance_until_ready(clock, first));
  ASSERT_EQ(first.get(), Kind::timed_out);

  EXPECT_EQ(reads->read("/share/trustlist.cose", 1024, 1000ms, no_cancel, clock).kind,
            Kind::still_stuck);
  {
    std::lock_guard lock(gate->mutex);
    EXPECT_EQ(gate->entered, 1) << "a second thread went into the hung share";
  }
  gate->let_go();  // the share answers again
  for (int i = 0; i < 3000 && reads->in_flight() > 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(reads->in_flight(), 0u);
  const FileReadOutcome again =
      reads->read("/share/trustlist.cose", 1024, 1000ms, no_cancel, clock);
  ASSERT_EQ(again.kind, Kind::done);
  ASSERT_TRUE(again.result.ok());
  EXPECT_EQ(text(again.result.value()), "ok");
}

TEST(FileReadsThatHang, AReadLeftBehindEndsOnItsOwnAfterItsOwnerIsGone) {
  auto gate = std::make_shared<Gate>();
  auto reads = FileReads::make(hanging_reader(gate));
  const std::weak_ptr<FileReads> watch = reads;
  {
    base::FakeClock clock;
    std::atomic<bool> cancel{true};
    auto pending = std::async(std::launch::async, [&] {
      return reads->read("/share/trustlist.cose", 1024, 60'000ms, cancel, clock).kind;
    });
    ASSERT_TRUE(gate->wait_entered(1));
    ASSERT_EQ(pending.get(), Kind::cancelled);
  }               // the caller's clock and flag are gone
  reads.reset();  // and so is the owner (the Client)
  EXPECT_FALSE(watch.expired()) << "the worker keeps what it shares alive";
  gate->let_go();  // the kernel lets the read return
  for (int i = 0; i < 3000 && !watch.expired(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(watch.expired()) << "the worker did not end, or kept its state";
}

}  // namespace
}  // namespace kakunin::net
