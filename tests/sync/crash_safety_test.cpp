// A kiosk can lose power at any moment. A child process replaces the held list in
// a loop and is killed with SIGKILL at random moments; after every kill the held
// file must be a whole list that loads under the pinned key, never a part.
#include "test_world.h"

#include <kakunin/sync/sync.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;

TEST(CrashSafety, KillDuringReplacementNeverLeavesAPartialList) {
  const TestWorld world;
  // Large enough (~0.5 MB) that a kill often lands while a file is being written.
  std::vector<crypto::Bytes> lists;
  for (std::uint64_t sequence : {10u, 11u}) {
    signer::RevocationSpec spec = world.revocation_spec;
    spec.header.sequence = sequence;
    for (int i = 0; i < 30'000; ++i) spec.ids.push_back(signer::random_cti());
    lists.push_back(signer::make_revocation_list(spec, world.list_key));
  }
  std::string pattern = (fs::temp_directory_path() / "kakunin-crash-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  const fs::path held = dir / "revocations.cose";
  std::string error;
  ASSERT_TRUE(sync::write_file_atomically(held, lists[0], &error)) << error;

  std::mt19937 random(12345);
  std::uniform_int_distribution<int> delay_us(0, 4000);
  for (int kill = 0; kill < 100; ++kill) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The child only writes; it never returns into the test framework.
      std::string child_error;
      for (std::size_t i = 0;; ++i) {
        if (!sync::write_file_atomically(held, lists[i % 2], &child_error)) ::_exit(3);
      }
    }
    ::usleep(static_cast<useconds_t>(delay_us(random)));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own (exit " << status << ")";

    const auto bytes = sync::read_whole_file(held, 1 << 26, &error);
    ASSERT_TRUE(bytes) << error;
    ASSERT_TRUE(*bytes == lists[0] || *bytes == lists[1])
        << "after kill " << kill << " the held file is " << bytes->size() << " bytes";
    const auto loaded = crypto::RevocationList::load(*bytes, world.pins, crypto::HighWaterMark::nothing_seen());
    ASSERT_TRUE(loaded.ok()) << loaded.error()->message;
  }
  // Leftover temporary files are dot files and never taken for the list.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "revocations.cose" || name.rfind(".revocations.cose.tmp-", 0) == 0) << name;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kakunin::testing
