// A reader, a crash or a power cut must find the old file or the whole new one.
#include <kakunin/base/atomic_file.h>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <thread>

#include "base_test_support.h"

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;
using base::IfExists;
using base::kTempPrefix;
using base::write_file_atomically;

bool is_temp(const std::string& name) { return name.rfind(kTempPrefix, 0) == 0; }

std::vector<std::string> temp_files_in(const fs::path& folder) {
  std::vector<std::string> temps;
  for (const auto& name : names_in(folder)) {
    if (is_temp(name)) temps.push_back(name);
  }
  return temps;
}

mode_t permissions_of(const fs::path& path) {
  struct stat status {};
  ::stat(path.c_str(), &status);
  return status.st_mode & 07777;
}

// 1 MB whose every byte depends on `index`, so a torn or mixed file shows.
std::string content_for(int index) {
  std::string out(std::size_t{1024} * 1024, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>('A' + (static_cast<std::size_t>(index) * 7 + i) % 26);
  }
  return out;
}

TEST(AtomicFile, WritesTheWholeFileWithExactlyTheAskedPermissions) {
  ScratchFolder dir;
  const mode_t old_umask = ::umask(077);  // would narrow 0640 to 0600 at creation
  const auto written =
      write_file_atomically(dir / "trustlist.cose", std::string("list"), {.mode = 0640});
  ::umask(old_umask);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(contents_of(dir / "trustlist.cose"), "list");
  EXPECT_EQ(permissions_of(dir / "trustlist.cose"), 0640u);
  EXPECT_TRUE(temp_files_in(dir.path()).empty());
}

TEST(AtomicFile, IsPrivateToItsOwnerUnlessAskedOtherwise) {
  ScratchFolder dir;
  ASSERT_TRUE(write_file_atomically(dir / "item.json", std::string("{}")).ok());
  EXPECT_EQ(permissions_of(dir / "item.json"), 0600u);
}

TEST(AtomicFile, ReplacesAnExistingFileWhole) {
  ScratchFolder dir;
  put_file(dir / "sequence", "41\n");
  ASSERT_TRUE(write_file_atomically(dir / "sequence", std::string("42\n")).ok());
  EXPECT_EQ(contents_of(dir / "sequence"), "42\n");
}

TEST(AtomicFile, KeepNeverReplacesAnExistingFile) {
  ScratchFolder dir;
  put_file(dir / "pseudonym.key", "the key in use");
  const auto written = write_file_atomically(dir / "pseudonym.key", std::string("a new key"),
                                             {.if_exists = IfExists::keep});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().os_error, EEXIST);
  EXPECT_EQ(contents_of(dir / "pseudonym.key"), "the key in use");
  EXPECT_TRUE(temp_files_in(dir.path()).empty());
}

TEST(AtomicFile, KeepCreatesAMissingFile) {
  ScratchFolder dir;
  const auto written = write_file_atomically(dir / "pseudonym.key", std::string("fresh"),
                                             {.if_exists = IfExists::keep});
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(contents_of(dir / "pseudonym.key"), "fresh");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"pseudonym.key"});
}

TEST(AtomicFile, FailedWriteLeavesTheTargetAndNoTemporaryFile) {
  ScratchFolder dir;
  fs::create_directory(dir / "taken");  // a folder where the file should go
  const auto written = write_file_atomically(dir / "taken", std::string("data"));
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("taken"), std::string::npos) << written.error().message;
  EXPECT_TRUE(fs::is_directory(dir / "taken"));
  EXPECT_TRUE(temp_files_in(dir.path()).empty());
}

TEST(AtomicFile, AMissingFolderIsAnEnglishReasonWithTheOsText) {
  ScratchFolder dir;
  const auto written = write_file_atomically(dir / "no-such-folder" / "file", std::string("data"));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().os_error, ENOENT);
  EXPECT_NE(written.error().message.find("No such file or directory"), std::string::npos)
      << written.error().message;
}

// procfs answers EINVAL to a folder fsync, as CIFS and many FUSE file systems do.
TEST(AtomicFile, AFolderThatCannotBeSyncedCountsAsSynced) {
  const auto synced = base::sync_folder("/proc");
  EXPECT_TRUE(synced.ok()) << synced.error().message;
}

TEST(AtomicFile, SyncingAMissingFolderFails) {
  ScratchFolder dir;
  const auto synced = base::sync_folder(dir / "gone");
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.error().os_error, ENOENT);
}

TEST(AtomicFile, OnlyOldTemporaryFilesAreClearedInASharedFolder) {
  ScratchFolder dir;
  const auto fresh = dir / (std::string(kTempPrefix) + "other-kiosk-writing");
  const auto stale = dir / (std::string(kTempPrefix) + "left-by-a-crash");
  const auto other = dir / "OQSsiquc01res_1.xml";
  for (const auto& path : {fresh, stale, other}) put_file(path, "x");
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(1));
  fs::last_write_time(other, fs::file_time_type::clock::now() - std::chrono::hours(1));
  EXPECT_EQ(base::remove_stale_temp_files(dir.path(), std::chrono::seconds(600)), 1);
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(other));
}

// Runs `writer` in a child process and kills it with SIGKILL once `ready` holds
// (polled; at most 30 s).
void kill_writer_when(const std::function<void()>& writer, const std::function<bool()>& ready) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    writer();  // loops until killed; never returns into the test framework
    ::_exit(3);
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!ready() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own (exit " << status << ")";
}

TEST(AtomicFile, KillDuringReplacementLeavesTheOldOrTheNewWholeFile) {
  ScratchFolder dir;
  const fs::path held = dir / "revocations.cose";
  const std::string lists[2] = {content_for(10), content_for(11)};
  ASSERT_TRUE(write_file_atomically(held, lists[0]).ok());
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> delay_us(0, 4000);
  for (int kill = 0; kill < 50; ++kill) {
    // A random moment: the parent sleeps 0-4 ms after fork before killing.
    const auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::microseconds(delay_us(random));
    kill_writer_when(
        [&] {
          for (std::size_t i = 0;; ++i) {
            if (!write_file_atomically(held, lists[i % 2]).ok()) ::_exit(4);
          }
        },
        [&] { return std::chrono::steady_clock::now() >= kill_at; });
    const std::string now_held = contents_of(held);
    ASSERT_TRUE(now_held == lists[0] || now_held == lists[1])
        << "after kill " << kill << " the file is " << now_held.size()
        << " bytes of something else";
  }
  for (const auto& name : names_in(dir.path())) {
    EXPECT_TRUE(name == "revocations.cose" || is_temp(name)) << name;
  }
}

TEST(AtomicFile, KillDuringWritesLeavesOnlyWholeFiles) {
  ScratchFolder dir;
  const auto whole_files = [&] {
    const auto names = names_in(dir.path());
    return std::count_if(names.begin(), names.end(),
                         [](const std::string& n) { return !is_temp(n); });
  };
  kill_writer_when(
      [&] {
        for (int i = 0;; ++i) {
          (void)write_file_atomically(dir / ("OQSsiquc01res_" + std::to_string(i) + ".xml"),
                                      content_for(i));
        }
      },
      [&] { return whole_files() >= 4; });
  int whole = 0;
  for (const auto& name : names_in(dir.path())) {
    if (is_temp(name)) continue;  // the write that was cut: never renamed
    const int index = std::stoi(name.substr(std::string("OQSsiquc01res_").size()));
    EXPECT_TRUE(contents_of(dir / name) == content_for(index)) << name << " is torn";
    ++whole;
  }
  EXPECT_GE(whole, 4);
}

}  // namespace
}  // namespace kakunin::testing
