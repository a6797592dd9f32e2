#include <kakunin/base/log.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace kakunin::base {
namespace {

// sd-daemon(3) / syslog(3) priorities.
int syslog_priority(LogLevel level) {
  switch (level) {
    case LogLevel::error:
      return 3;
    case LogLevel::warn:
      return 4;
    case LogLevel::info:
      return 6;
    case LogLevel::debug:
      return 7;
  }
  return 6;
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::error:
      return "error";
    case LogLevel::warn:
      return "warning";
    case LogLevel::info:
      return "info";
    case LogLevel::debug:
      return "debug";
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "error") return LogLevel::error;
  if (text == "warn") return LogLevel::warn;
  if (text == "info") return LogLevel::info;
  if (text == "debug") return LogLevel::debug;
  return std::nullopt;
}

StreamLogSink::StreamLogSink(std::ostream& out, std::string program, Priority priority)
    : out_(out), program_(std::move(program)), priority_(priority) {}

void StreamLogSink::write(LogLevel level, std::string_view line) {
  std::string text;
  if (priority_ == Priority::syslog_prefix)
    text += "<" + std::to_string(syslog_priority(level)) + ">";
  text += program_;
  text += ": ";
  text += log_level_name(level);
  text += ": ";
  text += line;
  text += '\n';
  std::lock_guard lock(mutex_);
  out_ << text << std::flush;
}

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat status {};
  if (::fstat(2, &status) != 0) return false;
  return static_cast<unsigned long long>(status.st_dev) == device &&
         static_cast<unsigned long long>(status.st_ino) == inode;
}

void CapturingLogSink::write(LogLevel level, std::string_view line) {
  std::string text(log_level_name(level));
  text += ": ";
  text += line;
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(text));
}

std::vector<std::string> CapturingLogSink::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

bool CapturingLogSink::contains(std::string_view fragment) const {
  std::lock_guard lock(mutex_);
  for (const auto& line : lines_) {
    if (line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string CapturingLogSink::text() const {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& line : lines_) all += line + '\n';
  return all;
}

void CapturingLogSink::clear() {
  std::lock_guard lock(mutex_);
  lines_.clear();
}

}  // namespace kakunin::base
