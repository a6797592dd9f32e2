// `kakunin audit verify|export|purge` as an auditor or the clinic's IT vendor
// runs them.
#include "audit_fixture.h"

#include <kakunin/kiosk/cli.h>
#include "kakunin_cli_run.h"

#include <gmock/gmock.h>

#include <sstream>

namespace kakunin::audit::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr crypto::UnixSeconds kDaySeconds = 86400;

using kakunin::testing::CliRun;

CliRun run(const std::vector<std::string>& args) { return kakunin::testing::run_kakunin(args); }

class AuditCommand : public AuditTest {
 protected:
  void SetUp() override {
    AuditLog log = open_log();
    // Five rows, one per Japan-time day from 2026-11-20 (09:00 JST).
    for (int day = 0; day < 5; ++day) record(log, stale_result(), kNow + day * kDaySeconds);
  }

  std::string write_config() {
    const auto path = folder.path() / "kakunin.toml";
    std::ofstream(path) << "[audit]\ndatabase = \"" << settings().database.string()
                        << "\"\nsecret_file = \"" << settings().secret_file.string() << "\"\n";
    return path.string();
  }

  std::string database() const { return settings().database.string(); }
};

TEST_F(AuditCommand, VerifySaysOkWithTheHeadHash) {
  const CliRun result = run({"audit", "verify", "--database", database()});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith(database() + ": OK, 5 rows (ids 1 to 5)"));
  EXPECT_THAT(result.out, HasSubstr("head hash "));
}

TEST_F(AuditCommand, VerifyNamesTheRowThatBreaksTheChain) {
  tamper("UPDATE verdicts SET time = time + 1 WHERE id = 4");
  const CliRun result = run({"audit", "verify", "--database", database()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.out, StartsWith(database() + ": BROKEN at row 4: "));
}

TEST_F(AuditCommand, VerifyFindsTheDatabaseThroughTheConfig) {
  const CliRun result = run({"audit", "verify", "--config", write_config()});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("OK, 5 rows"));
}

TEST_F(AuditCommand, VerifyRefusesABrokenConfigOrMissingDatabase) {
  const auto bad = folder.path() / "bad.toml";
  std::ofstream(bad) << "[audit]\ndatabse = \"/x\"\n";
  CliRun result = run({"audit", "verify", "--config", bad.string()});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr(":2: audit.databse: unknown key"));

  result = run({"audit", "verify", "--database", (folder.path() / "none.sqlite").string()});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("there is no audit log"));

  EXPECT_EQ(run({"audit", "verify", "--database", database(), "--config", write_config()}).status,
            2);
}

TEST_F(AuditCommand, ExportWritesCsvForTheJapanDaysAsked) {
  const CliRun all = run({"audit", "export", "--csv", "--database", database()});
  EXPECT_EQ(all.status, 0) << all.err;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 6);

  const CliRun some = run({"audit", "export", "--csv", "--database", database(), "--since",
                           "2026-11-21", "--until", "2026-11-22"});
  EXPECT_EQ(some.status, 0) << some.err;
  EXPECT_EQ(std::count(some.out.begin(), some.out.end(), '\n'), 3);
  EXPECT_THAT(some.out, HasSubstr("\r\n2,2026-11-21T00:00:00Z,2026-11-21T09:00:00+09:00,stale,"));
  EXPECT_THAT(some.out, HasSubstr("\r\n3,2026-11-22T00:00:00Z,"));
}

TEST_F(AuditCommand, ExportRefusesABadDateAndNeedsCsv) {
  CliRun result =
      run({"audit", "export", "--csv", "--database", database(), "--since", "2026-02-30"});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("--since must be a date YYYY-MM-DD"));
  result = run({"audit", "export", "--database", database()});
  EXPECT_EQ(result.status, 2);
}

TEST_F(AuditCommand, PurgeRemovesRowsPastTheRetentionAndVerifySaysSo) {
  const crypto::UnixSeconds now = kNow + (1096 + kRetentionMarginDays + 1) * kDaySeconds + 60;
  {
    AuditLog log = open_log();
    record(log, stale_result(), now - 3600);  // the kiosk was in use an hour ago
  }
  const CliRun result =
      run({"audit", "purge", "--config", write_config(), "--now", std::to_string(now)});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("removed 2 rows older than 1096 days and the 90-day margin; "
                                    "purged through id 2; the purge record is row 7"));
  EXPECT_THAT(result.err, HasSubstr("audit: purged rows 1 to 2 (2 rows written "
                                    "2026-11-20 to 2026-11-21 UTC)"));
  const CliRun verify = run({"audit", "verify", "--database", database()});
  EXPECT_EQ(verify.status, 0);
  EXPECT_THAT(verify.out, HasSubstr("OK, 5 rows (ids 3 to 7), purged through id 2"));
  EXPECT_THAT(verify.out, HasSubstr("rows 1 to 2 were purged by the retention policy; the last "
                                    "purge, on 2030-02-19 (row 7), removed rows 1 to 2, written "
                                    "before 2026-11-21"));
}

TEST_F(AuditCommand, PurgeRefusesATimeFarPastTheNewestRow) {
  const crypto::UnixSeconds now = kNow + (1096 + kRetentionMarginDays + 1) * kDaySeconds;
  const CliRun result =
      run({"audit", "purge", "--config", write_config(), "--now", std::to_string(now)});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("not purging: the clock says"));
  EXPECT_THAT(run({"audit", "verify", "--database", database()}).out, HasSubstr("OK, 5 rows"));
}

TEST_F(AuditCommand, VerifyCallsRowsMissingBehindAForgedCheckpointBroken) {
  tamper(
      "INSERT INTO chain_checkpoint (only_row, purged_through, hash, purged_at) "
      "SELECT 1, 2, hash, time FROM verdicts WHERE id = 2;"
      "DELETE FROM verdicts WHERE id <= 2");
  const CliRun verify = run({"audit", "verify", "--database", database()});
  EXPECT_EQ(verify.status, 1);
  EXPECT_THAT(verify.out, HasSubstr("BROKEN at row 1: rows 1 to 2 are missing: no purge record"));
}

}  // namespace
}  // namespace kakunin::audit::testing
