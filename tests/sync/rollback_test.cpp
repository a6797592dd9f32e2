// Anti-rollback that survives a restart (spec §6, issue 10): the highest sequence
// the kiosk has held is kept in the state folder apart from the lists, so an older,
// validly signed list put back while the kiosk is stopped is refused at start-up,
// and an operator's run under another mode or key leaves the service's folder alone.
#include "sync_fixture.h"

#include <kakunin/kiosk/cli.h>

#include <sys/file.h>

#include <fcntl.h>
#include <unistd.h>

#include <sstream>

namespace kakunin::testing {
namespace {

using Result = sync::ListOutcome::Result;

class Rollback : public SyncTest {
 protected:
  // A member of the ES256 insurer revoked in list N+1 but not in list N.
  std::string revoked_members_qr() const {
    signer::IssuerPresentation p = world->issuer_presentation(Algorithm::es256, kNow);
    p.cti = revoked_cti;
    return signer::to_qr_text(signer::make_issuer_presentation(p, world->es256_insurer.key));
  }
  crypto::Bytes revocations_revoking_the_member(std::uint64_t sequence) const {
    signer::RevocationSpec spec = world->revocation_spec;
    spec.header.sequence = sequence;
    spec.ids.push_back(revoked_cti);
    return signer::make_revocation_list(spec, world->list_key);
  }
  // The kiosk restarts: a new store and syncer on the same state folder.
  void restart() {
    store = std::make_unique<sync::TrustStore>(mode, crypto::FreshnessPolicy{});
    clear_log();
    make_syncer(settings());
  }
  crypto::Verdict verdict_now() const {
    return store->verifier()->verify(revoked_members_qr(), kNow).verdict();
  }

  bool read_state_is_readable() const { return base::read_file(dir / "state.json", 1 << 16).ok(); }

  crypto::Cti revoked_cti = signer::random_cti();
};

TEST_F(Rollback, OlderRevocationListPutBackWhileStoppedIsRefusedAtStartUp) {
  const crypto::Bytes list_n = held_file("revocations.cose");
  serve("/revocations.cose", revocations_revoking_the_member(kHeldSequence + 1));
  ASSERT_EQ(syncer().sync_once().revocations.result, Result::updated);
  ASSERT_EQ(verdict_now(), crypto::Verdict::revoked);

  // While the kiosk is stopped, list N (validly signed) goes back into the folder,
  // and the network is cut.
  ASSERT_TRUE(put_list(dir / "revocations.cose", list_n));
  route("/revocations.cose", [](const httplib::Request&, httplib::Response& r) { r.status = 503; });
  restart();

  EXPECT_NE(verdict_now(), crypto::Verdict::valid);
  EXPECT_EQ(verdict_now(), crypto::Verdict::no_trust_list);
  EXPECT_TRUE(logged("error: held revocation list")) << log_text();
  EXPECT_TRUE(logged("sequence 5 is lower than the highest this kiosk has held (6)")) << log_text();
  EXPECT_TRUE(syncer().held_list_rolled_back());
  ASSERT_FALSE(syncer().problems().empty());

  // The sync that brings the higher list back ends the warning.
  serve("/revocations.cose", revocations_revoking_the_member(kHeldSequence + 1));
  EXPECT_EQ(syncer().sync_once().revocations.result, Result::updated);
  EXPECT_EQ(verdict_now(), crypto::Verdict::revoked);
  EXPECT_FALSE(syncer().held_list_rolled_back());
}

TEST_F(Rollback, OlderListServedAfterARestartWithoutAnyHeldFileIsRefused) {
  serve("/trustlist.cose", trust_list(kHeldSequence + 2));
  ASSERT_EQ(syncer().sync_once().trust_list.result, Result::updated);
  // Someone deletes the held lists (or reinstalls the package) and the CDN replays
  // an older, validly signed list.
  fs::remove(dir / "trustlist.cose");
  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  restart();
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::refused) << report.trust_list.reason;
  EXPECT_NE(report.trust_list.reason.find("lower than the highest this kiosk has held (7)"),
            std::string::npos)
      << report.trust_list.reason;
  EXPECT_FALSE(fs::exists(dir / "trustlist.cose"));
}

TEST_F(Rollback, HighWaterMarksAreKeptApartFromTheListsAndPerMode) {
  serve("/trustlist.cose", trust_list(kHeldSequence + 3));
  ASSERT_EQ(syncer().sync_once().trust_list.result, Result::updated);
  const auto record = base::read_file(dir / "state.json", 1 << 16);
  ASSERT_TRUE(record.ok());
  EXPECT_NE(record.value().find("\"production/trust_list\": 8"), std::string::npos)
      << record.value();
  EXPECT_NE(record.value().find("\"production/revocations\": 5"), std::string::npos)
      << record.value();
  EXPECT_EQ(fs::status(dir / "state.json").permissions() & fs::perms::others_all, fs::perms::none);
}

TEST_F(Rollback, KioskUpgradedFromAVersionWithoutMarksStartsFromItsHeldLists) {
  // No state.json: the held lists (sequence 5) load and become the marks.
  ASSERT_FALSE(fs::exists(dir / "state.json"));
  syncer();
  EXPECT_EQ(store_sequence(), kHeldSequence);
  EXPECT_TRUE(logged("no state record yet")) << log_text();
  const auto record = base::read_file(dir / "state.json", 1 << 16);
  ASSERT_TRUE(record.ok());
  EXPECT_NE(record.value().find("\"production/trust_list\": 5"), std::string::npos);
}

TEST_F(Rollback, UntrustworthyStateRecordKeepsHeldListsOutOfUseUntilADownloadIsVerified) {
  syncer();  // writes the record
  ASSERT_TRUE(base::write_file_atomically(dir / "state.json", std::string("{not json")).ok());
  route("/trustlist.cose", [](const httplib::Request&, httplib::Response& r) { r.status = 503; });
  route("/revocations.cose", [](const httplib::Request&, httplib::Response& r) { r.status = 503; });
  restart();
  EXPECT_EQ(store_sequence(), std::nullopt);
  EXPECT_TRUE(logged("cannot be trusted")) << log_text();
  EXPECT_FALSE(syncer().problems().empty());

  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  serve("/revocations.cose", revocations(kHeldSequence + 1));
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
  EXPECT_EQ(store_sequence(), kHeldSequence + 1);
  EXPECT_TRUE(syncer().problems().empty());
  EXPECT_TRUE(read_state_is_readable());
}

TEST_F(Rollback, WritersOfOneStateFolderTakeTurns) {
  syncer();
  const int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // another kakunin process is mid-round
  sync::SyncSettings s = settings();
  s.state_lock_wait = std::chrono::milliseconds(200);
  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  make_syncer(s);
  const auto blocked = syncer().sync_once();
  EXPECT_EQ(blocked.trust_list.result, Result::failed);
  EXPECT_NE(blocked.trust_list.reason.find("another kakunin process is writing the state folder"),
            std::string::npos);
  EXPECT_EQ(held_file_sequence(), kHeldSequence);
  ::flock(fd, LOCK_UN);
  ::close(fd);
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::updated);
}

// ------------------------------------------------ kakunin sync --once -----

class OperatorRun : public Rollback {
 protected:
  void SetUp() override {
    Rollback::SetUp();
    std::ofstream(dir / "pinned.pem") << world->list_key.public_pem();
    std::ofstream(dir / "other.pem") << other_key->public_pem();
    syncer();  // the kiosk service has used the folder: production, world's key
  }
  struct Run {
    int status;
    std::string out;
    std::string err;
  };
  Run run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"sync",
                                     "--once",
                                     "--trust-list-url",
                                     server->url("/trustlist.cose"),
                                     "--revocations-url",
                                     server->url("/revocations.cose"),
                                     "--state-dir",
                                     dir.string(),
                                     "--ca-file",
                                     pki->ca_file.string(),
                                     "--retries",
                                     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    const int status = kiosk::run_cli(args, out, err);
    return {status, out.str(), err.str()};
  }
};

TEST_F(OperatorRun, AnotherModeLeavesTheServiceFolderAlone) {
  serve("/trustlist.cose", trust_list(kHeldSequence + 1, /*test=*/true));
  const auto before = held_file();
  const auto record_before = base::read_file(dir / "state.json", 1 << 16);
  const Run r = run({"--pinned-key", (dir / "pinned.pem").string(), "--mode", "test"});
  EXPECT_EQ(r.status, kiosk::kExitSetup) << r.err;
  EXPECT_NE(r.err.find("give --state-dir to sync into another folder"), std::string::npos) << r.err;
  EXPECT_EQ(held_file(), before);
  EXPECT_EQ(base::read_file(dir / "state.json", 1 << 16).value(), record_before.value());
}

TEST_F(OperatorRun, AnotherPinnedKeyLeavesTheServiceFolderAlone) {
  serve("/trustlist.cose", trust_list(kHeldSequence + 1, false, other_key));
  const auto before = held_file();
  const Run r = run({"--pinned-key", (dir / "other.pem").string()});
  EXPECT_EQ(r.status, kiosk::kExitSetup) << r.err;
  EXPECT_NE(r.err.find("this run has production mode"), std::string::npos) << r.err;
  EXPECT_EQ(held_file(), before);
}

TEST_F(OperatorRun, SameModeAndKeyUpdatesTheFolderAndRaisesItsMarks) {
  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  const Run r = run({"--pinned-key", (dir / "pinned.pem").string()});
  EXPECT_EQ(r.status, kiosk::kExitOk) << r.err;
  EXPECT_EQ(held_file_sequence(), kHeldSequence + 1);
  // The running service does not write its lower mark back over the operator's.
  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  (void)syncer().sync_once();
  const auto record = base::read_file(dir / "state.json", 1 << 16);
  EXPECT_NE(record.value().find("\"production/trust_list\": 6"), std::string::npos)
      << record.value();
}

TEST_F(OperatorRun, RotationThatKeepsOnePinnedKeyIsTheSameService) {
  // The service's configuration adds a second key; the folder stays its own.
  serve("/trustlist.cose", trust_list(kHeldSequence + 1));
  const Run r = run({"--pinned-key", (dir / "pinned.pem").string(), "--pinned-key",
                     (dir / "other.pem").string()});
  EXPECT_EQ(r.status, kiosk::kExitOk) << r.err;
  EXPECT_EQ(held_file_sequence(), kHeldSequence + 1);
}

}  // namespace
}  // namespace kakunin::testing
