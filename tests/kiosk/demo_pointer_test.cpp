// The demo left the kiosk (it signs its TEST world). Someone who types the old
// `kakunin demo` on an installed kiosk learns where it went, in one line.
#include "kakunin_cli_run.h"

#include <gtest/gtest.h>

namespace kakunin::testing {
namespace {

TEST(KakuninProgram, DemoCommandSaysInOneLineWhereTheDemoIs) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"demo"},
        std::vector<std::string>{"demo", "--headless", "--rounds", "1"}}) {
    const CliRun run = run_kakunin(args);
    EXPECT_EQ(run.status, kiosk::kExitSetup);
    EXPECT_TRUE(run.out.empty());
    EXPECT_NE(run.err.find("kakunin-demo"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << "one line: " << run.err;
  }
}

TEST(KakuninProgram, HelpListsNoDemo) {
  const CliRun run = run_kakunin({"--help"});
  EXPECT_EQ(run.status, kiosk::kExitOk);
  EXPECT_NE(run.out.find("verify"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("demo"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace kakunin::testing
