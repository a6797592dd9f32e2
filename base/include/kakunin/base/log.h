// One way to log: a Logger passes English lines at or above its level to a LogSink.
// A line says what happened in one line of English and never carries personal data
// (names, birth dates, insurer or member numbers).
//
//   base::StreamLogSink journal(std::cerr);                // "kakunin: warning: ..." lines
//   base::Logger log(journal, *base::parse_log_level(config.log.level));  // [log] level
//   log.info("running: kiosk kakunin-1");                 // dropped when level = "warn"
//   log.warn("trust list download failed, keeping the held list: HTTP status 503");
//   Syncer syncer(settings, pins, store, log);            // components take a Logger by value
//
//   base::CapturingLogSink captured;                      // tests
//   Thing thing(base::Logger(captured));                  // every level, kept in memory
//   EXPECT_TRUE(captured.contains("warning: trust list"));
//
// Under systemd the kiosk's standard error is the journal; StreamLogSink then puts
// the syslog priority in front of each line ("<4>"), so `journalctl -p warning`
// filters by level. Sinks are thread-safe: one line is written whole.
#pragma once

#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::base {

enum class LogLevel { error, warn, info, debug };  // most severe first

std::string_view log_level_name(LogLevel level);  // "error", "warning", "info", "debug"
// The configuration's words: "error", "warn", "info", "debug"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text);

class LogSink {
 public:
  virtual ~LogSink() = default;
  // Called from any thread, sometimes with the caller's locks held: must not call
  // back into who logged.
  virtual void write(LogLevel level, std::string_view line) = 0;
};

// "PROGRAM: LEVEL: LINE\n" to a stream, standard error in the kiosk.
class StreamLogSink final : public LogSink {
 public:
  enum class Priority { none, syslog_prefix };
  // `syslog_prefix` puts "<N>" (sd-daemon(3)) before each line for journald.
  explicit StreamLogSink(std::ostream& out, std::string program = "kakunin",
                         Priority priority = Priority::none);
  void write(LogLevel level, std::string_view line) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;  // guarded by mutex_
  std::string program_;
  Priority priority_;
};

// True when standard error is connected to the journal (systemd's JOURNAL_STREAM
// names its device and inode), so a sink there should use Priority::syslog_prefix.
bool stderr_is_journal();

// Keeps "LEVEL: LINE" in memory, for tests.
class CapturingLogSink final : public LogSink {
 public:
  void write(LogLevel level, std::string_view line) override;
  std::vector<std::string> lines() const;
  bool contains(std::string_view fragment) const;
  std::string text() const;  // every line, each ending in '\n'
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;  // guarded by mutex_
};

// What a component holds to log: a sink and the least severe level that passes.
// Cheap to copy; the sink must outlive every copy. A default Logger drops
// everything (a component given none stays quiet rather than guessing a stream).
class Logger {
 public:
  Logger() = default;
  explicit Logger(LogSink& sink, LogLevel level = LogLevel::debug) : sink_(&sink), level_(level) {}

  bool enabled(LogLevel level) const { return sink_ != nullptr && level <= level_; }
  void log(LogLevel level, std::string_view line) const {
    if (enabled(level)) sink_->write(level, line);
  }
  void error(std::string_view line) const { log(LogLevel::error, line); }
  void warn(std::string_view line) const { log(LogLevel::warn, line); }
  void info(std::string_view line) const { log(LogLevel::info, line); }
  void debug(std::string_view line) const { log(LogLevel::debug, line); }

 private:
  LogSink* sink_ = nullptr;
  LogLevel level_ = LogLevel::info;
};

}  // namespace kakunin::base
