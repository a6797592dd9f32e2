// `kakunin sync --once` as an operator runs it: settings as flags, one line per
// list on stdout, the reasons on stderr, exit statuses scripts can rely on.
#include "sync_fixture.h"

#include <kakunin/kiosk/cli.h>

#include <sstream>

namespace kakunin::testing {
namespace {

class SyncCommand : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    std::ofstream(dir / "pinned.pem") << world->list_key.public_pem();
  }
  struct Run {
    int status;
    std::string out;
    std::string err;
  };
  Run run(std::vector<std::string> extra, std::string trust_list_url = "") {
    if (trust_list_url.empty()) trust_list_url = server->url("/trustlist.cose");
    std::vector<std::string> args = {"sync",
                                     "--once",
                                     "--trust-list-url",
                                     trust_list_url,
                                     "--revocations-url",
                                     server->url("/revocations.cose"),
                                     "--state-dir",
                                     dir.string(),
                                     "--pinned-key",
                                     (dir / "pinned.pem").string(),
                                     "--ca-file",
                                     pki->ca_file.string(),
                                     "--retries",
                                     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out;
    std::ostringstream err;
    const int status = kiosk::run_cli(args, out, err);
    return {status, out.str(), err.str()};
  }
};

TEST_F(SyncCommand, TakesNewerListsAndSaysSo) {
  serve("/trustlist.cose", trust_list(6));
  const Run r = run({});
  EXPECT_EQ(r.status, kiosk::kExitOk) << r.err;
  EXPECT_NE(r.out.find("trust list: updated (held sequence 6)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("revocation list: unchanged (held sequence 5)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clock: "), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("kakunin: info: trust list from https://127.0.0.1:"), std::string::npos);
  EXPECT_EQ(held_file_sequence(), 6u);
}

TEST_F(SyncCommand, ExitsTwoAndKeepsTheHeldListWhenAListIsRefused) {
  serve("/trustlist.cose", trust_list(6, /*test=*/true));
  const Run r = run({});
  EXPECT_EQ(r.status, kiosk::kExitSetup);
  EXPECT_NE(r.out.find("trust list: refused (held sequence 5)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("kakunin: warning: trust list"), std::string::npos) << r.err;
  EXPECT_EQ(held_file_sequence(), kHeldSequence);
}

TEST_F(SyncCommand, TakesATestListWithModeTest) {
  serve("/trustlist.cose", trust_list(6, /*test=*/true));
  EXPECT_EQ(run({"--mode", "test"}).status, kiosk::kExitOk);
}

TEST_F(SyncCommand, RefusesAPlainHttpUrlAsASetupError) {
  const Run r = run({}, "http://lists.example.jp/trustlist.cose");
  EXPECT_EQ(r.status, kiosk::kExitSetup);
  EXPECT_NE(r.err.find("http:// is refused for trust lists"), std::string::npos) << r.err;
}

TEST_F(SyncCommand, NeedsOnceAndAnUnreadableConfigIsASetupError) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(kiosk::run_cli({"sync"}, out, err), kiosk::kExitSetup);
  EXPECT_NE(err.str().find("--once"), std::string::npos) << err.str();
  const Run r = run({"--config", (dir / "missing.toml").string()});
  EXPECT_EQ(r.status, kiosk::kExitSetup);
  EXPECT_NE(r.err.find("missing.toml"), std::string::npos) << r.err;
}

TEST_F(SyncCommand, ReportsAPinnedKeyThatCannotBeRead) {
  const Run r = run({"--pinned-key", (dir / "nope.pem").string()});
  EXPECT_EQ(r.status, kiosk::kExitSetup);
  EXPECT_NE(r.err.find("nope.pem"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kakunin::testing
