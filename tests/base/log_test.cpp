// One log: a level filter, one English line per event, sinks that keep lines whole.
#include <kakunin/base/log.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

namespace kakunin::testing {
namespace {

using base::LogLevel;

TEST(Log, ReadsTheConfigurationsLevelWords) {
  EXPECT_EQ(base::parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(base::parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(base::parse_log_level("info"), LogLevel::info);
  EXPECT_EQ(base::parse_log_level("debug"), LogLevel::debug);
  EXPECT_FALSE(base::parse_log_level("warning"));
  EXPECT_FALSE(base::parse_log_level("INFO"));
}

TEST(Log, AWarnLevelDropsInfoAndDebugLines) {
  base::CapturingLogSink sink;
  const base::Logger log(sink, LogLevel::warn);
  log.debug("d");
  log.info("running: kiosk kakunin-1");
  log.warn("trust list download failed");
  log.error("audit log cannot be written");
  EXPECT_EQ(sink.lines(), (std::vector<std::string>{"warning: trust list download failed",
                                                    "error: audit log cannot be written"}));
  EXPECT_FALSE(log.enabled(LogLevel::info));
  EXPECT_TRUE(log.enabled(LogLevel::error));
}

TEST(Log, EachLevelPassesWhatIsAtLeastAsSevere) {
  for (const LogLevel level : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug}) {
    base::CapturingLogSink sink;
    const base::Logger log(sink, level);
    for (const LogLevel line : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug}) {
      log.log(line, "x");
    }
    EXPECT_EQ(sink.lines().size(), static_cast<std::size_t>(level) + 1)
        << base::log_level_name(level);
  }
}

TEST(Log, ADefaultLoggerDropsEverything) {
  const base::Logger log;
  EXPECT_FALSE(log.enabled(LogLevel::error));
  log.error("nowhere");  // and does not crash
}

TEST(Log, StreamSinkWritesProgramLevelAndLine) {
  std::ostringstream out;
  base::StreamLogSink sink(out);
  const base::Logger log(sink, LogLevel::info);
  log.info("running: kiosk kakunin-1, production mode");
  log.warn("capture: offline: no such device /dev/video0");
  EXPECT_EQ(out.str(),
            "kakunin: info: running: kiosk kakunin-1, production mode\n"
            "kakunin: warning: capture: offline: no such device /dev/video0\n");
}

TEST(Log, ForTheJournalEachLineCarriesItsSyslogPriority) {
  std::ostringstream out;
  base::StreamLogSink sink(out, "kakunin", base::StreamLogSink::Priority::syslog_prefix);
  const base::Logger log(sink);
  log.error("e");
  log.warn("w");
  log.info("i");
  log.debug("d");
  EXPECT_EQ(
      out.str(),
      "<3>kakunin: error: e\n<4>kakunin: warning: w\n<6>kakunin: info: i\n<7>kakunin: debug: d\n");
}

TEST(Log, StderrIsTheJournalOnlyWhenJournalStreamNamesIt) {
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(base::stderr_is_journal());
  ::setenv("JOURNAL_STREAM", "1:1", 1);  // some other stream
  EXPECT_FALSE(base::stderr_is_journal());
  ::unsetenv("JOURNAL_STREAM");
}

TEST(Log, LinesFromManyThreadsStayWhole) {
  std::ostringstream out;
  base::StreamLogSink sink(out);
  const base::Logger log(sink);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 200; ++i)
        log.info("thread " + std::to_string(t) + " line " + std::to_string(i));
    });
  }
  for (auto& thread : threads) thread.join();
  std::istringstream lines(out.str());
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_EQ(line.rfind("kakunin: info: thread ", 0), 0u) << line;
  }
  EXPECT_EQ(count, 800);
}

}  // namespace
}  // namespace kakunin::testing
