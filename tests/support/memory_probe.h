// How much memory a piece of work really takes: it runs in a forked child whose
// peak resident set is reset first, so the figure is the work's own growth, not the
// test program's. A child killed by a signal (an allocation bomb under a sanitizer,
// an abort) is reported as such instead of taking the test program down with it.
//
//   const ChildRun run = run_in_child([&] { return loaded_ok(list) ? "ok" : "refused"; });
//   EXPECT_TRUE(run.exited);
//   EXPECT_EQ(run.answer, "refused");
//   EXPECT_LT(run.peak_growth_bytes, 64 << 20);
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

namespace kakunin::testing {

struct ChildRun {
  bool exited = false;  // false: killed by a signal (term_signal says which)
  int term_signal = 0;
  std::string answer;                  // what the work returned
  std::int64_t peak_growth_bytes = 0;  // peak resident set above the start, in bytes
};

namespace memory_probe_detail {

inline std::int64_t status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stoll(line.substr(prefix.size()));
  }
  return -1;
}

inline void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace memory_probe_detail

inline ChildRun run_in_child(const std::function<std::string()>& work) {
  int pipe_fds[2];
  ChildRun run;
  if (::pipe(pipe_fds) != 0) return run;
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    {
      std::ofstream clear("/proc/self/clear_refs");
      clear << "5";  // resets VmHWM to the current resident set
    }
    const std::int64_t start = memory_probe_detail::status_kib("VmRSS");
    const std::string answer = work();
    const std::int64_t peak = memory_probe_detail::status_kib("VmHWM");
    memory_probe_detail::write_all(pipe_fds[1],
                                   std::to_string((peak - start) * 1024) + "\n" + answer);
    ::close(pipe_fds[1]);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0)
    output.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exited = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  run.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  const auto newline = output.find('\n');
  if (run.exited && newline != std::string::npos) {
    run.peak_growth_bytes = std::stoll(output.substr(0, newline));
    run.answer = output.substr(newline + 1);
  }
  return run;
}

}  // namespace kakunin::testing
