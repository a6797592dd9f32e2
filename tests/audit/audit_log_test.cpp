// The audit log as an auditor relies on it: one row per verdict with only the
// data the docs promise, a chain that exposes tampering, and a retention purge
// that keeps the chain verifiable.
#include "audit_fixture.h"

#include <gmock/gmock.h>

#include <sys/stat.h>

#include <sstream>
#include <thread>

namespace kakunin::audit::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr crypto::UnixSeconds kDaySeconds = 86400;

std::vector<std::string> lines_of(const std::string& csv) {
  std::vector<std::string> lines;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

TEST_F(AuditTest, RecordsAValidVerdictWithInsurerAgeAndPseudonym) {
  AuditLog log = open_log();
  const crypto::VerifyResult result =
      world().verifier().verify(world().issuer_qr(crypto::Algorithm::es256, kNow - 4), kNow);
  ASSERT_TRUE(result.is_valid()) << result.detail();
  EXPECT_EQ(record(log, result, kNow, "uketsuke-1"), 1);

  const auto lines = lines_of(export_all(log));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "id,time_utc,time_jst,verdict,profile,insurer_number,qr_age_seconds,test_material,"
            "kiosk_id,cti_pseudonym,row_hash");
  const auto fields = fields_of(lines[1]);
  ASSERT_EQ(fields.size(), 11u) << lines[1];
  EXPECT_EQ(fields[0], "1");
  EXPECT_EQ(fields[1], "2026-11-20T00:00:00Z");
  EXPECT_EQ(fields[2], "2026-11-20T09:00:00+09:00");
  EXPECT_EQ(fields[3], "valid");
  EXPECT_EQ(fields[4], "issuer");
  EXPECT_EQ(fields[5], world().es256_insurer.number);
  EXPECT_EQ(fields[6], "4");
  EXPECT_EQ(fields[7], "0");
  EXPECT_EQ(fields[8], "uketsuke-1");
  EXPECT_EQ(fields[9], log.pseudonym_hex(result.presentation()->cti).value());
  EXPECT_EQ(fields[9].size(), 64u);
  EXPECT_EQ(fields[10].size(), 64u);
}

TEST_F(AuditTest, RecordsARefusalWithVerdictAndProfileOnly) {
  AuditLog log = open_log();
  record(log, stale_result());
  record(log, not_jhc1_result());
  const auto lines = lines_of(export_all(log));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(fields_of(lines[1]),
              ElementsAre("1", "2026-11-20T00:00:00Z", "2026-11-20T09:00:00+09:00", "stale",
                          "issuer", "", "", "", "kiosk-1", "", ::testing::SizeIs(64)));
  EXPECT_THAT(fields_of(lines[2]), ElementsAre("2", ::testing::_, ::testing::_, "not_jhc1", "", "",
                                               "", "", "kiosk-1", "", ::testing::SizeIs(64)));
}

TEST_F(AuditTest, MarksRowsVerifiedAgainstTestLists) {
  const TestWorld field_test(/*test_lists=*/true);
  const crypto::VerifyResult result =
      field_test.verifier(crypto::Mode::test)
          .verify(field_test.issuer_qr(crypto::Algorithm::es256), kNow);
  ASSERT_TRUE(result.is_valid()) << result.detail();
  AuditLog log = open_log();
  record(log, result);
  record(log, valid_issuer_result());
  const auto lines = lines_of(export_all(log));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(fields_of(lines[1])[7], "1");
  EXPECT_EQ(fields_of(lines[2])[7], "0");
}

TEST_F(AuditTest, ExportsOnlyTheRequestedRange) {
  AuditLog log = open_log();
  for (int day = 0; day < 5; ++day) record(log, not_jhc1_result(), kNow + day * kDaySeconds);
  ExportRange range;
  range.since = kNow + 1 * kDaySeconds;
  range.until = kNow + 3 * kDaySeconds;
  const auto lines = lines_of(export_all(log, range));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[1], StartsWith("2,"));
  EXPECT_THAT(lines[3], StartsWith("4,"));
}

TEST_F(AuditTest, AnUntouchedChainVerifies) {
  AuditLog log = open_log();
  for (int i = 0; i < 20; ++i)
    record(log, i % 2 ? stale_result() : valid_issuer_result(), kNow + i);
  const ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.rows, 20);
  EXPECT_EQ(report.first_id, 1);
  EXPECT_EQ(report.last_id, 20);
  EXPECT_EQ(report.head_hash_hex.size(), 64u);
}

TEST_F(AuditTest, AnEmptyLogVerifies) {
  AuditLog log = open_log();
  EXPECT_TRUE(log.verify_chain().intact);
}

TEST_F(AuditTest, DetectsAnEditedRow) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 5; ++i) record(log, stale_result(), kNow + i);
  }
  tamper("UPDATE verdicts SET verdict = 'valid' WHERE id = 3");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 3);
  EXPECT_THAT(report.problem, HasSubstr("row 3 does not match the chain"));
}

TEST_F(AuditTest, DetectsAnEditedRowWhoseHashWasReplaced) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 5; ++i) record(log, valid_issuer_result(), kNow + i);
  }
  // The row's own hash is made to look right by copying another row's: the next
  // link fails at the latest.
  tamper(
      "UPDATE verdicts SET insurer_number = '01010016', "
      "hash = (SELECT hash FROM verdicts WHERE id = 1) WHERE id = 2");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 2);
}

TEST_F(AuditTest, DetectsADeletedRow) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 5; ++i) record(log, stale_result(), kNow + i);
  }
  tamper("DELETE FROM verdicts WHERE id = 2");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 3);
  EXPECT_THAT(report.problem, HasSubstr("rows 2 to 2 are missing"));
}

TEST_F(AuditTest, DetectsRowsCutFromTheEnd) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 5; ++i) record(log, stale_result(), kNow + i);
  }
  tamper("DELETE FROM verdicts WHERE id >= 4");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 4);
  EXPECT_THAT(report.problem, HasSubstr("rows 4 to 5 were written and are missing"));
}

TEST_F(AuditTest, DetectsAnInsertedRow) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  }
  tamper(
      "INSERT INTO verdicts (id, time, verdict, kiosk_id, hash) "
      "SELECT 4, time, 'valid', kiosk_id, hash FROM verdicts WHERE id = 3");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 4);
}

TEST_F(AuditTest, DetectsARowInsertedBetweenOthers) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  }
  // Room is made by renumbering the later rows, as a forger would have to.
  tamper(
      "UPDATE verdicts SET id = id + 10 WHERE id >= 2;"
      "INSERT INTO verdicts (id, time, verdict, kiosk_id, hash) "
      "SELECT 2, time, 'valid', kiosk_id, hash FROM verdicts WHERE id = 1;"
      "UPDATE verdicts SET id = id - 9 WHERE id >= 12");
  const ChainReport report = open_log().verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.broken_at, 2);
}

TEST_F(AuditTest, RowsAfterTamperingStillShowTheBreak) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  }
  tamper("DELETE FROM verdicts WHERE id = 3");
  AuditLog log = open_log();
  record(log, stale_result(), kNow + 10);
  EXPECT_EQ(log.verify_chain().broken_at, 4) << "the new row is 4: ids are never reused";
}

// Rows go once they are older than the retention and its margin.
constexpr crypto::UnixSeconds kKeptDays = 1096 + kRetentionMarginDays;

TEST_F(AuditTest, PurgeRemovesOldRowsAndTheChainStillVerifies) {
  daily_purge = false;
  AuditLog log = open_log();
  for (int day = 0; day < 10; ++day) record(log, valid_issuer_result(), kNow + day * kDaySeconds);
  clock.advance(std::chrono::seconds((kKeptDays + 4) * kDaySeconds + 60));
  const auto purged = log.purge();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged.value().rows_removed, 5);
  EXPECT_EQ(purged.value().purged_through, 5);

  ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.first_id, 6);
  EXPECT_EQ(report.purged_through, 5);
  EXPECT_EQ(lines_of(export_all(log)).size(), 7u) << "five rows and the purge record";

  EXPECT_EQ(record(log, stale_result(), clock.wall_now()), 12) << "row 11 is the purge record";
  report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.rows, 7);
}

TEST_F(AuditTest, KeepsRowsForTheMarginBeyondTheRetention) {
  daily_purge = false;
  AuditLog log = open_log();
  record(log, stale_result(), kNow);
  clock.advance(std::chrono::seconds((1096 + 1) * kDaySeconds));
  ASSERT_TRUE(log.purge().ok());
  EXPECT_EQ(log.verify_chain().rows, 1) << "3 years and a day old: kept for the margin";
  clock.advance(std::chrono::seconds(kRetentionMarginDays * kDaySeconds));
  ASSERT_EQ(log.purge().value().rows_removed, 1);
}

TEST_F(AuditTest, APurgeLeavesARecordInTheChainThatVerifyReports) {
  daily_purge = false;
  AuditLog log = open_log();
  for (int i = 0; i < 4; ++i) record(log, valid_issuer_result(), kNow + i);
  clock.advance(std::chrono::seconds((kKeptDays + 1) * kDaySeconds));
  const crypto::UnixSeconds purged_at = clock.wall_now();
  const auto purged = log.purge();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  ASSERT_TRUE(purged.value().record);
  EXPECT_EQ(purged.value().record->record_id, 5);

  const ChainReport report = log.verify_chain();
  ASSERT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.purged_through, 4);
  ASSERT_TRUE(report.last_purge);
  EXPECT_EQ(report.last_purge->record_id, 5);
  EXPECT_EQ(report.last_purge->time, purged_at);
  EXPECT_EQ(report.last_purge->purged_from, 1);
  EXPECT_EQ(report.last_purge->purged_through, 4);
  EXPECT_EQ(report.last_purge->cutoff, purged_at - kKeptDays * kDaySeconds);
  EXPECT_THAT(lines_of(export_all(log))[1], StartsWith("5,"));
  EXPECT_THAT(lines_of(export_all(log))[1], HasSubstr(",purge,"));

  // Logged in English, with counts and the range, and nothing from the rows.
  const auto lines = log_lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0],
              HasSubstr("purged rows 1 to 4 (4 rows written 2026-11-20 to 2026-11-20 UTC)"));
  EXPECT_THAT(lines[0], HasSubstr("the purge record is row 5"));
  EXPECT_THAT(lines[0], Not(HasSubstr(world().es256_insurer.number)));
}

TEST_F(AuditTest, RefusesToPurgeWhileTheClockIsNotSynchronised) {
  AuditLog log = open_log();
  for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  set_clock_problem("clock not synchronised: the kernel reports no time synchronisation (NTP)");
  clock.advance(std::chrono::seconds(2000 * kDaySeconds));
  const auto refused = log.purge();
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("not purging while the clock cannot be trusted"));
  EXPECT_THAT(refused.error().message, HasSubstr("no time synchronisation"));
  EXPECT_EQ(log.verify_chain().rows, 3);

  record(log, stale_result(), clock.wall_now());  // the daily purge refuses too
  EXPECT_THAT(log.last_purge_error().value_or(base::Error{}).message,
              HasSubstr("cannot be trusted"));
  EXPECT_EQ(log.verify_chain().purged_through, 0);

  // An operator's `kakunin audit purge --now` vouches for the time itself.
  EXPECT_EQ(log.purge(clock.wall_now()).value().rows_removed, 3);
}

// The reviewers' case: the kiosk started with its clock 1,097 days ahead.
TEST_F(AuditTest, RefusesToPurgeAfterTheClockJumpedAheadWhileTheKioskWasOff) {
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, valid_issuer_result(), kNow + i);
  }
  clock.set_wall(kNow + (kKeptDays + 1) * kDaySeconds);  // a jump: steady time stays
  AuditLog log = open_log();
  record(log, stale_result(), clock.wall_now());  // the first record() runs the daily purge
  ASSERT_TRUE(log.last_purge_error());
  EXPECT_THAT(log.last_purge_error()->message, HasSubstr("days after the newest row"));
  const ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.rows, 4);
  EXPECT_EQ(report.purged_through, 0);
  ASSERT_FALSE(log_lines().empty());
  EXPECT_THAT(log_lines().back(), HasSubstr("not purging: the clock says"));
}

TEST_F(AuditTest, RefusesToPurgeAfterTheClockJumpedAheadWhileRunning) {
  AuditLog log = open_log();
  for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  clock.advance(std::chrono::hours(30));
  clock.set_wall(clock.wall_now() + 2000 * kDaySeconds);
  // Even the rows written with the wrong clock do not count as evidence for it.
  record(log, stale_result(), clock.wall_now());
  const auto refused = log.purge();
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("a clock that jumped ahead"));
  EXPECT_EQ(log.verify_chain().rows, 4);
}

TEST_F(AuditTest, PurgingEveryRowKeepsTheChainVerifiable) {
  daily_purge = false;
  AuditLog log = open_log();
  for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  clock.advance(std::chrono::seconds(2000 * kDaySeconds));
  ASSERT_EQ(log.purge().value().rows_removed, 3);
  EXPECT_TRUE(log.verify_chain().intact);
  clock.advance(std::chrono::seconds(kDaySeconds));
  ASSERT_EQ(log.purge().value().rows_removed, 0) << "the purge record is young";
  EXPECT_EQ(record(log, stale_result(), clock.wall_now()), 5);
  const ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.first_id, 4);
  EXPECT_EQ(report.last_purge.value_or(PurgeRecord{}).record_id, 4);
}

TEST_F(AuditTest, PurgeKeepsRowsWrittenAfterAClockStepBack) {
  daily_purge = false;
  AuditLog log = open_log();
  record(log, stale_result(), kNow);
  record(log, stale_result(), kNow + 500 * kDaySeconds);
  record(log, stale_result(), kNow);  // the clock was set back
  clock.advance(std::chrono::seconds((kKeptDays + 4) * kDaySeconds));
  const auto purged = log.purge();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged.value().rows_removed, 1);
  EXPECT_TRUE(log.verify_chain().intact);
}

TEST_F(AuditTest, PurgeLeavesABrokenChainAsEvidence) {
  daily_purge = false;
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  }
  tamper("UPDATE verdicts SET kiosk_id = 'other' WHERE id = 1");
  AuditLog log = open_log();
  clock.advance(std::chrono::seconds(2000 * kDaySeconds));
  const auto purged = log.purge();
  ASSERT_FALSE(purged.ok());
  EXPECT_THAT(purged.error().message, HasSubstr("broken at row 1"));
  EXPECT_EQ(lines_of(export_all(log)).size(), 4u);
}

// Someone deletes the oldest rows and writes a checkpoint to hide the gap: no
// purge record says those rows were purged.
TEST_F(AuditTest, DetectsRowsDeletedBehindAForgedCheckpoint) {
  daily_purge = false;
  {
    AuditLog log = open_log();
    for (int i = 0; i < 5; ++i) record(log, stale_result(), kNow + i);
  }
  tamper(
      "INSERT INTO chain_checkpoint (only_row, purged_through, hash, purged_at) "
      "SELECT 1, 2, hash, time FROM verdicts WHERE id = 2;"
      "DELETE FROM verdicts WHERE id <= 2");
  AuditLog log = open_log();
  const ChainReport report = log.verify_chain();
  EXPECT_FALSE(report.intact);
  EXPECT_THAT(report.problem, HasSubstr("rows 1 to 2 are missing: no purge record"));
  clock.advance(std::chrono::seconds(2000 * kDaySeconds));
  const auto purged = log.purge();
  ASSERT_FALSE(purged.ok());
  EXPECT_THAT(purged.error().message, HasSubstr("no purge record vouches"));
  EXPECT_EQ(log.verify_chain().problem, report.problem) << "nothing was removed";
}

// A log written by a kakunin before purge records: its earlier purge is vouched
// for when the kiosk upgrades it.
TEST_F(AuditTest, UpgradesASchemaOneLogAndVouchesForItsEarlierPurge) {
  daily_purge = false;
  {
    AuditLog log = open_log();
    for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
    clock.advance(std::chrono::seconds(2000 * kDaySeconds));
    ASSERT_EQ(log.purge().value().rows_removed, 3);
  }
  // What schema 1 left after that purge: the checkpoint, no purge record.
  tamper(
      "DELETE FROM verdicts WHERE id = 4;"
      "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'verdicts';"
      "DROP INDEX verdicts_by_queue_key;"
      "ALTER TABLE verdicts DROP COLUMN purged_from;"
      "ALTER TABLE verdicts DROP COLUMN purged_through;"
      "ALTER TABLE verdicts DROP COLUMN purge_cutoff;"
      "ALTER TABLE verdicts DROP COLUMN purged_hash;"
      "ALTER TABLE verdicts DROP COLUMN queue_key;"
      "PRAGMA user_version = 1");
  {
    auto review = AuditLog::open_for_review(settings().database);
    ASSERT_TRUE(review.ok()) << review.error().message;
    const ChainReport old = review.value().verify_chain();
    EXPECT_TRUE(old.intact) << old.problem;
    EXPECT_EQ(old.purged_through, 3);
  }
  AuditLog log = open_log();
  const ChainReport report = log.verify_chain();
  ASSERT_TRUE(report.intact) << report.problem;
  ASSERT_TRUE(report.last_purge);
  EXPECT_EQ(report.last_purge->purged_from, 1);
  EXPECT_EQ(report.last_purge->purged_through, 3);
  EXPECT_FALSE(report.last_purge->cutoff) << "schema 1 did not keep it";
  EXPECT_EQ(record(log, stale_result(), clock.wall_now()), 5);
  EXPECT_TRUE(log.verify_chain().intact);
}

TEST_F(AuditTest, RecordingPurgesOnceADay) {
  AuditLog log = open_log();
  for (int i = 0; i < 3; ++i) record(log, stale_result(), kNow + i);
  clock.advance(std::chrono::seconds(1200 * kDaySeconds));
  record(log, stale_result(), clock.wall_now());
  EXPECT_FALSE(log.last_purge_error());
  const ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.purged_through, 3);
  EXPECT_EQ(report.rows, 2) << "the purge record and the new row";
}

TEST_F(AuditTest, AShortRetentionIsHonoured) {
  config::AuditSettings s = settings();
  s.retention_days = 1;  // test mode only (see docs/configuration.md)
  AuditLog log = open_log(s);
  record(log, stale_result(), kNow);
  clock.advance(std::chrono::seconds((1 + kRetentionMarginDays) * kDaySeconds + 1));
  record(log, stale_result(), clock.wall_now());
  const ChainReport report = log.verify_chain();
  EXPECT_EQ(report.purged_through, 1);
  EXPECT_EQ(report.rows, 2);
}

TEST_F(AuditTest, APseudonymIsStablePerKioskAndDiffersBetweenKiosks) {
  const signer::Credential credential = world().credential(crypto::Algorithm::es256);
  const crypto::VerifyResult first = valid_holder_result(credential, kNow);
  const crypto::VerifyResult again = valid_holder_result(credential, kNow + 60);
  ASSERT_TRUE(first.is_valid() && again.is_valid()) << first.detail() << again.detail();
  ASSERT_EQ(first.presentation()->cti, again.presentation()->cti);

  std::string here, here_again, here_reopened, elsewhere, other_member;
  {
    AuditLog log = open_log(settings("front"));
    here = log.pseudonym_hex(first.presentation()->cti).value();
    here_again = log.pseudonym_hex(again.presentation()->cti).value();
    other_member = log.pseudonym_hex(valid_issuer_result().presentation()->cti).value();
  }
  here_reopened = open_log(settings("front")).pseudonym_hex(first.presentation()->cti).value();
  elsewhere = open_log(settings("back")).pseudonym_hex(first.presentation()->cti).value();

  EXPECT_EQ(here, here_again);
  EXPECT_EQ(here, here_reopened);
  EXPECT_NE(here, elsewhere);
  EXPECT_NE(here, other_member);
}

TEST_F(AuditTest, RowsOfTheSameCertificateShareTheirPseudonym) {
  const signer::Credential credential = world().credential(crypto::Algorithm::es256);
  AuditLog log = open_log();
  record(log, valid_holder_result(credential, kNow));
  record(log, valid_issuer_result());
  record(log, valid_holder_result(credential, kNow + 30), kNow + 30);
  const auto lines = lines_of(export_all(log));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(fields_of(lines[1])[4], "holder");
  EXPECT_EQ(fields_of(lines[1])[9], fields_of(lines[3])[9]);
  EXPECT_NE(fields_of(lines[1])[9], fields_of(lines[2])[9]);
}

TEST_F(AuditTest, CreatesThePseudonymKeyPrivately) {
  open_log();
  struct stat status {};
  ASSERT_EQ(::stat(settings().secret_file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  EXPECT_EQ(status.st_size, 32);
  ASSERT_EQ(::stat(settings().database.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0077, 0u) << "the database is private too";
}

TEST_F(AuditTest, RefusesAPseudonymKeyOthersCanRead) {
  open_log();
  for (const mode_t mode : {0644, 0640, 0604, 0620}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(::chmod(settings().secret_file.c_str(), mode), 0);
    const auto opened = AuditLog::open(settings());
    ASSERT_FALSE(opened.ok());
    EXPECT_THAT(opened.error().message, HasSubstr("readable by its owner only"));
    EXPECT_THAT(opened.error().message, HasSubstr("chmod 600"));
  }
}

TEST_F(AuditTest, RefusesATruncatedPseudonymKey) {
  open_log();
  std::filesystem::resize_file(settings().secret_file, 16);
  const auto opened = AuditLog::open(settings());
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.error().message, HasSubstr("not exactly 32 bytes"));
}

TEST_F(AuditTest, RefusesAPseudonymKeyThatIsASymlink) {
  open_log(settings("real"));
  std::filesystem::create_symlink(settings("real").secret_file, settings().secret_file);
  EXPECT_FALSE(AuditLog::open(settings()).ok());
}

TEST_F(AuditTest, CreatesMissingFolders) {
  config::AuditSettings s;
  s.database = folder.path() / "var/lib/kakunin/audit.sqlite";
  s.secret_file = folder.path() / "var/lib/kakunin/audit.key";
  auto opened = AuditLog::open(s, options());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(opened.value().record(not_jhc1_result(), kNow, "k").ok());
}

TEST_F(AuditTest, RefusesADatabaseThatIsNotAnAuditLog) {
  tamper("CREATE TABLE patients (name TEXT)");
  const auto opened = AuditLog::open(settings());
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.error().message, HasSubstr("is not a kakunin audit log"));
  EXPECT_FALSE(AuditLog::open_for_review(settings().database).ok());
}

TEST_F(AuditTest, ReviewReadsWithoutTheKeyAndCannotWrite) {
  {
    AuditLog log = open_log();
    record(log, valid_issuer_result());
  }
  std::filesystem::remove(settings().secret_file);
  auto review = AuditLog::open_for_review(settings().database);
  ASSERT_TRUE(review.ok()) << review.error().message;
  EXPECT_TRUE(review.value().verify_chain().intact);
  EXPECT_EQ(lines_of(export_all(review.value())).size(), 2u);
  EXPECT_FALSE(review.value().record(stale_result(), kNow, "k").ok());
  EXPECT_FALSE(review.value().purge(kNow).ok());
  EXPECT_FALSE(std::filesystem::exists(settings().secret_file)) << "review made no key";
}

TEST_F(AuditTest, ReviewRefusesAMissingDatabase) {
  const auto review = AuditLog::open_for_review(folder.path() / "none.sqlite");
  ASSERT_FALSE(review.ok());
  EXPECT_THAT(review.error().message, HasSubstr("there is no audit log"));
}

TEST_F(AuditTest, ReviewWhileTheKioskWrites) {
  AuditLog log = open_log();
  record(log, stale_result());
  auto review = AuditLog::open_for_review(settings().database);
  ASSERT_TRUE(review.ok()) << review.error().message;
  record(log, stale_result());
  EXPECT_EQ(review.value().verify_chain().rows, 2);
}

TEST_F(AuditTest, ThreadsRecordingTogetherKeepOneChain) {
  AuditLog log = open_log();
  const crypto::VerifyResult valid = valid_issuer_result();
  const crypto::VerifyResult stale = stale_result();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(log.record(t % 2 ? valid : stale, kNow + i, "kiosk-" + std::to_string(t)).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(log.flush(kFlushTimeout).ok());
  const ChainReport report = log.verify_chain();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.rows, 40);
}

// 健康保険法 194条の2: the log must never hold the 記号・番号, and has no use for
// the name, kana or birth date. Checked on the raw bytes, WAL included.
TEST_F(AuditTest, NoPersonalDataReachesTheDatabaseFiles) {
  const crypto::Certificate member = world().member_of(world().es256_insurer);
  const std::vector<std::string> forbidden = {member.name,
                                              *member.name_kana,
                                              *member.symbol,
                                              member.number,
                                              std::to_string(member.birth_date.yyyymmdd()),
                                              "1980-04-01",
                                              world().es256_insurer.name};
  const signer::Credential credential = world().credential(crypto::Algorithm::es256);

  const auto check_files = [&](const char* when) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::filesystem::path path = settings().database.string() + suffix;
      if (!std::filesystem::exists(path)) continue;
      const std::string bytes = read_bytes(path);
      for (const std::string& item : forbidden) {
        EXPECT_EQ(bytes.find(item), std::string::npos)
            << when << ": '" << item << "' found in " << path;
      }
    }
  };
  {
    AuditLog log = open_log();
    for (int i = 0; i < 20; ++i) {
      record(log, valid_issuer_result(kNow + i), kNow + i);
      record(log, valid_holder_result(credential, kNow + i), kNow + i);
      record(log, stale_result(), kNow + i);
    }
    ASSERT_TRUE(std::filesystem::exists(settings().database.string() + "-wal"));
    check_files("while open");
    // The insurer number is the one certificate field stored: it is there.
    EXPECT_NE(read_bytes(settings().database.string() + "-wal").find(world().es256_insurer.number),
              std::string::npos);

    // Rows waiting in the queue hold what the row holds, nothing more.
    WriteLock lock(settings().database);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(log.record(valid_issuer_result(kNow + i), kNow + i, "kiosk-1").ok());
      ASSERT_TRUE(log.record(valid_holder_result(credential, kNow + i), kNow + i, "kiosk-1").ok());
    }
    int queued = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(settings().database.string() + "-queue")) {
      if (entry.path().extension() != ".row") continue;
      ++queued;
      const std::string bytes = read_bytes(entry.path());
      for (const std::string& item : forbidden) {
        EXPECT_EQ(bytes.find(item), std::string::npos)
            << "'" << item << "' found in " << entry.path();
      }
      EXPECT_NE(bytes.find(world().es256_insurer.number), std::string::npos) << entry.path();
    }
    EXPECT_EQ(queued, 10);
    EXPECT_EQ((std::filesystem::status(settings().database.string() + "-queue").permissions() &
               (std::filesystem::perms::group_all | std::filesystem::perms::others_all)),
              std::filesystem::perms::none)
        << "the queue folder is private";
  }
  check_files("after closing");
}

}  // namespace
}  // namespace kakunin::audit::testing
