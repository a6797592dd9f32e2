// The fault shim does what tests/faults/README.md says: it hangs, fails or slows
// the chosen calls on paths under one folder, and nothing else.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>

#include "child_process.h"

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;

class Folder {
 public:
  Folder() {
    std::string pattern = (fs::temp_directory_path() / "kakunin-faults-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    fs::create_directory(share());
  }
  ~Folder() { fs::remove_all(path_); }
  fs::path share() const { return path_ / "share"; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

struct ProbeRun {
  int exit_code = -1;
  std::string output;
};

ProbeRun probe(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  ChildProcess child(KAKUNIN_FAULT_PROBE, args, env);
  ProbeRun run;
  run.output = child.read_line().value_or("");
  const auto status = child.wait();
  if (status && WIFEXITED(*status)) run.exit_code = WEXITSTATUS(*status);
  return run;
}

TEST(FaultShim, FailWithEnospcLooksLikeAFullDisk) {
  Folder folder;
  const auto env = fault_environment(FaultSettings(folder.share()).only("write").fail("ENOSPC"));
  const ProbeRun run = probe({"write", (folder.share() / "record.json").string()}, env);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output, "error: No space left on device");
  EXPECT_TRUE(fs::exists(folder.share() / "record.json")) << "only the write failed, not the open";
}

TEST(FaultShim, PathsOutsideTheFolderAreUntouched) {
  Folder folder;
  const auto env = fault_environment(FaultSettings(folder.share()).fail());
  EXPECT_EQ(probe({"write", (folder / "local.json").string()}, env).output, "ok");
  EXPECT_EQ(probe({"write", (folder / "share-not-really").string()}, env).output, "ok")
      << "a name that only starts like the folder is outside it";
  EXPECT_EQ(probe({"write", (folder.share() / "x").string()}, env).output,
            "error: Input/output error");
}

TEST(FaultShim, OnlyTheChosenCallsFail) {
  Folder folder;
  const auto env = fault_environment(FaultSettings(folder.share()).only("fsync").fail());
  EXPECT_EQ(probe({"stat", folder.share().string()}, env).output, "ok");
  EXPECT_EQ(probe({"mkdir", (folder.share() / "sub").string()}, env).output, "ok");
  EXPECT_EQ(probe({"write", (folder.share() / "x").string()}, env).output,
            "error: Input/output error");
}

TEST(FaultShim, ADescriptorNumberReusedAfterClosedirIsNoLongerFaulty) {
  // libstdc++ lists a folder with open + fdopendir and closes it in closedir; the
  // next file opened elsewhere often gets the same number.
  Folder folder;
  const auto env = fault_environment(FaultSettings(folder.share()).only("write").fail("ENOSPC"));
  EXPECT_EQ(
      probe({"list-then-write", folder.share().string(), (folder / "outbox-file").string()}, env)
          .output,
      "ok");
}

TEST(FaultShim, FolderScopeFaultsTheFolderButNotItsFiles) {
  Folder folder;
  const auto env =
      fault_environment(FaultSettings(folder.share()).only("stat").fail().folder_itself());
  EXPECT_EQ(probe({"stat", folder.share().string()}, env).output, "error: Input/output error");
  EXPECT_EQ(probe({"stat", folder.share().string() + "/"}, env).output,
            "error: Input/output error");
  EXPECT_EQ(probe({"write", (folder.share() / "x").string()}, env).output, "ok");
  EXPECT_EQ(probe({"stat", (folder.share() / "x").string()}, env).output, "ok");
}

TEST(FaultShim, FilesCreatedThroughAFolderDescriptorAreCaught) {
  Folder folder;
  const auto env = fault_environment(FaultSettings(folder.share()).only("write").fail("EROFS"));
  EXPECT_EQ(probe({"write-at", folder.share().string(), "result.xml"}, env).output,
            "error: Read-only file system");
}

TEST(FaultShim, HangHoldsTheCallUntilTheShareComesBack) {
  Folder folder;
  const fs::path down = folder / "share-down";
  const fs::path log = folder / "faults.log";
  std::ofstream(down) << "";
  ChildProcess child(
      KAKUNIN_FAULT_PROBE, {"write", (folder.share() / "x").string()},
      fault_environment(
          FaultSettings(folder.share()).only("fsync").while_exists(down).log_to(log)));
  ASSERT_TRUE(child.started());
  // The log line is written inside the hung call: from here on the probe is stuck.
  ASSERT_TRUE(file_has_line(log, "hang fsync", std::chrono::seconds(60)));
  EXPECT_FALSE(child.wait(std::chrono::milliseconds(0))) << "the call must not return while hung";

  fs::remove(down);  // the share answers again
  EXPECT_EQ(child.read_line(), "ok");
  const auto status = child.wait();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  EXPECT_TRUE(file_has_line(log, "resume fsync"));
}

TEST(FaultShim, FailWhileTheControlFileIsAbsentDoesNothing) {
  Folder folder;
  const auto env =
      fault_environment(FaultSettings(folder.share()).fail().while_exists(folder / "not-there"));
  EXPECT_EQ(probe({"write", (folder.share() / "x").string()}, env).output, "ok");
}

}  // namespace
}  // namespace kakunin::testing
