// The online check in a child process: a hung `req` share (the fault shim) and
// kill -9 in the middle of round trips.
#include <gtest/gtest.h>
#include <libxml/parser.h>

#include <random>
#include <set>

#include "child_process.h"
#include "online_test_support.h"

namespace kakunin::online {
namespace {

using testing::ChildProcess;
using testing::element_text;
using testing::file_text;
using testing::request_files;

std::vector<std::string> driver_args(const testing::OnlineFolders& folders,
                                     std::vector<std::string> more) {
  std::vector<std::string> args = {"--req", folders.req.string(), "--res", folders.res.string()};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(OnlineFaults, AHungRequestShareNeverStopsTheScreenAndTimesOut) {
  testing::OnlineFolders folders;
  const auto fault_log = folders.root / "fault.log";
  const auto hung =
      testing::fault_environment(testing::FaultSettings(folders.req).log_to(fault_log));
  ChildProcess child(KAKUNIN_ONLINE_DRIVER,
                     driver_args(folders, {"--timeout", "1", "--count", "1", "--report-ms", "50"}),
                     hung);
  ASSERT_TRUE(child.wait_for_line("asked 1"));
  ASSERT_TRUE(testing::file_has_line(fault_log, "hang", std::chrono::seconds(10)))
      << "the share really hung";
  // The main thread keeps answering status() while the worker is stuck in the kernel.
  ASSERT_TRUE(child.wait_for_line("status 1 pending"));
  const auto final_line = child.wait_for_line("status 1 unavailable", std::chrono::seconds(10));
  ASSERT_TRUE(final_line);
  EXPECT_EQ(*final_line, "status 1 unavailable timed_out");
  int pending_reports = 0;
  for (const std::string& line : child.lines()) pending_reports += line == "status 1 pending none";
  EXPECT_GE(pending_reports, 10) << "status was asked every 50 ms for a second, none blocked";
  EXPECT_TRUE(child.wait_for_line("done", std::chrono::seconds(10)))
      << "and the program ends though its worker is stuck";
}

bool well_formed(const std::string& text) {
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "r.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  const bool ok = doc != nullptr;
  xmlFreeDoc(doc);
  return ok;
}

TEST(OnlineFaults, KillNineMidRoundTripLeavesWholeRequestsOnceAndARestartSendsNoneAgain) {
  testing::OnlineFolders folders;
  std::mt19937 random(12);
  std::set<std::string> identifiers;
  std::size_t requests_seen = 0;
  for (int round = 0; round < 10; ++round) {
    {
      ChildProcess child(KAKUNIN_ONLINE_DRIVER,
                         driver_args(folders, {"--timeout", "1", "--count", "100000", "--report-ms",
                                               "1", "--interval-ms", "0"}));
      ASSERT_TRUE(child.wait_for_line("asked"));
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
      child.kill();
      ASSERT_TRUE(child.wait());
    }
    // What the terminal would pick up: only whole requests, each asked once.
    for (const auto& request : request_files(folders.req)) {
      const std::string text = file_text(request);
      EXPECT_TRUE(well_formed(text)) << request << " is half written";
      const std::string id = element_text(text, "ArbitraryFileIdentifier");
      EXPECT_TRUE(identifiers.insert(id).second) << "request " << id << " was written twice";
      ++requests_seen;
    }
    // The terminal takes them (the 連携アプリ moves requests away as it reads them).
    for (const auto& request : request_files(folders.req)) std::filesystem::remove(request);
  }
  EXPECT_GT(requests_seen, 0u) << "the kills came late enough for some requests";
  // An unanswered request the last kill left is withdrawn by the next start, not resent.
  {
    ChildProcess child(KAKUNIN_ONLINE_DRIVER,
                       driver_args(folders, {"--count", "1", "--timeout", "1"}));
    ASSERT_TRUE(child.wait_for_line("asked 1"));
    ASSERT_TRUE(testing::eventually([&] { return request_files(folders.req).size() == 1; }));
    child.kill();
    child.wait();
  }
  ChildProcess restarted(KAKUNIN_ONLINE_DRIVER,
                         driver_args(folders, {"--count", "0", "--linger-ms", "300"}));
  ASSERT_TRUE(restarted.wait_for_line("done"));
  EXPECT_TRUE(request_files(folders.req).empty()) << "a restarted kiosk sends no old request";
}

}  // namespace
}  // namespace kakunin::online
