// Test helpers for fault injection: a program run as a child process, with the
// fault shim (libkakunin_fault_shim.so, see README.md) loaded into it when asked,
// its standard output read line by line. For tests that hang a share under a
// process, kill it with SIGKILL mid-work, and start it again.
//
//   const auto share = FaultSettings(root / "res").only("fsync");   // fsync hangs there
//   ChildProcess child(driver, {"--count", "5"}, fault_environment(share));
//   ASSERT_TRUE(child.wait_for_line("queued 5"));   // reads its stdout
//   child.kill();                                    // SIGKILL
//   EXPECT_TRUE(WIFSIGNALED(*child.wait()));
//
// Time limits here only bound a test that would otherwise hang; no result depends
// on how fast anything runs.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::testing {

// One fault, as the shim's environment variables say it (README.md), e.g.
//   FaultSettings(share).only("fsync").fail("ENOSPC").log_to(log)
struct FaultSettings {
  explicit FaultSettings(std::filesystem::path folder) : dir(std::move(folder)) {}
  FaultSettings& only(std::string call_groups) {
    ops = std::move(call_groups);
    return *this;
  }
  FaultSettings& fail(std::string errno_name = "EIO") {
    action = "fail";
    error = std::move(errno_name);
    return *this;
  }
  FaultSettings& delay(int milliseconds) {
    action = "delay";
    delay_ms = milliseconds;
    return *this;
  }
  FaultSettings& folder_itself() {
    scope = "folder";
    return *this;
  }
  FaultSettings& while_exists(std::filesystem::path file) {
    while_file = std::move(file);
    return *this;
  }
  FaultSettings& log_to(std::filesystem::path file) {
    log_file = std::move(file);
    return *this;
  }

  std::filesystem::path dir;         // KAKUNIN_FAULT_DIR: calls on paths under it
  std::string ops = "all";           // KAKUNIN_FAULT_OPS: open,read,write,fsync,stat,...
  std::string action = "hang";       // KAKUNIN_FAULT_ACTION: hang, fail, delay
  std::string error = "EIO";         // KAKUNIN_FAULT_ERRNO, for fail
  int delay_ms = 1000;               // KAKUNIN_FAULT_DELAY_MS, for delay
  std::string scope = "tree";        // KAKUNIN_FAULT_SCOPE: tree, or folder (itself only)
  std::filesystem::path while_file;  // KAKUNIN_FAULT_WHILE: on only while it exists
  std::filesystem::path log_file;    // KAKUNIN_FAULT_LOG: one line per fault injected
};

// The built shim (build/tests/faults/libkakunin_fault_shim.so).
std::filesystem::path fault_shim_path();
// NAME=value entries that load the shim with `settings` into a child (ASan-built
// children are told not to insist on coming first in the library list).
std::vector<std::string> fault_environment(const FaultSettings& settings);
// True once `file` holds a line starting with `prefix` (e.g. the fault log's "hang
// fsync"); waits for it at most `limit`. The shim writes its log line inside the
// faulty call, so a test knows the call is stuck without guessing with a sleep.
bool file_has_line(const std::filesystem::path& file, std::string_view prefix,
                   std::chrono::milliseconds limit = std::chrono::milliseconds(0));

class ChildProcess {
 public:
  // Starts `program` with `args`, this process's environment plus `env` (NAME=value,
  // replacing a variable of the same name). Its standard error is ours.
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
               const std::vector<std::string>& env = {});
  ~ChildProcess();  // kills the child if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The next line of its standard output; nullopt at its end or after `limit`.
  std::optional<std::string> read_line(std::chrono::milliseconds limit = std::chrono::seconds(60));
  // Reads lines until one starts with `prefix` and returns it; every line read is
  // kept in lines().
  std::optional<std::string> wait_for_line(
      std::string_view prefix, std::chrono::milliseconds limit = std::chrono::seconds(60));
  const std::vector<std::string>& lines() const { return lines_; }

  void kill(int signal = SIGKILL);
  // The wait status once it ended (WIFEXITED, WIFSIGNALED); nullopt if it still
  // runs after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit = std::chrono::seconds(60));

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::vector<std::string> lines_;
  std::optional<int> status_;
};

}  // namespace kakunin::testing
