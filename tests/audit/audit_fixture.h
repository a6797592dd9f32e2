// Shared by the audit tests: a private temporary folder per test, audit
// settings inside it, and real verdicts from a freshly made JHC1 test world.
#pragma once

#include <kakunin/audit/audit_log.h>
#include <kakunin/base/fake_clock.h>
#include <kakunin/base/log.h>

#include "test_world.h"

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

namespace kakunin::audit::testing {

using kakunin::testing::kNow;
using kakunin::testing::TestWorld;

class TemporaryFolder {
 public:
  TemporaryFolder() {
    char name[] = "/tmp/kakunin-audit-XXXXXX";
    path_ = mkdtemp(name);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline const TestWorld& world() {
  static const TestWorld* shared = new TestWorld();  // built once; lives to the end
  return *shared;
}

inline crypto::VerifyResult valid_issuer_result(crypto::UnixSeconds at = kNow) {
  return world().verifier().verify(world().issuer_qr(crypto::Algorithm::es256, at), at);
}

// A §5.2 presentation of one credential: its cti is the same each time.
inline crypto::VerifyResult valid_holder_result(const signer::Credential& credential,
                                                crypto::UnixSeconds at = kNow) {
  return world().verifier().verify(world().holder_qr(credential, crypto::Algorithm::es256, at), at);
}

// Refused as stale: the QR parsed (profile known) but no certificate is handed out.
inline crypto::VerifyResult stale_result() {
  return world().verifier().verify(world().issuer_qr(crypto::Algorithm::es256, kNow - 60), kNow);
}

inline crypto::VerifyResult not_jhc1_result() {
  return world().verifier().verify("https://example.org/not-a-certificate", kNow);
}

// Another program's connection holding the database's write lock, as an
// operator's sqlite3 shell left in a transaction would.
class WriteLock {
 public:
  explicit WriteLock(const std::filesystem::path& database) {
    if (sqlite3_open_v2(database.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db_, 10000);  // the kiosk's writer may be committing right now
      held_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
  }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  ~WriteLock() {
    release();
    sqlite3_close(db_);
  }
  bool held() const { return held_; }
  void release() {
    if (held_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    held_ = false;
  }

 private:
  sqlite3* db_ = nullptr;
  bool held_ = false;
};

// How long a test waits for the writer thread: an upper bound for a loaded
// machine, never a duration the test depends on.
inline constexpr std::chrono::milliseconds kFlushTimeout{20000};

class AuditTest : public ::testing::Test {
 protected:
  config::AuditSettings settings(const std::string& name = "kiosk") const {
    config::AuditSettings s;
    s.database = folder.path() / (name + ".sqlite");
    s.secret_file = folder.path() / (name + ".key");
    return s;
  }

  // The options every test log runs with: the fake clock, a clock check the test
  // sets (trusted until it says otherwise), and a log the test can read.
  AuditOptions options() {
    AuditOptions o;
    o.clock = &clock;
    o.purge_daily = daily_purge;
    o.clock_problem = [this] {
      const std::lock_guard lock(mutex_);
      return clock_problem_;
    };
    o.log = base::Logger(log_);
    return o;
  }

  void set_clock_problem(std::optional<std::string> problem) {
    const std::lock_guard lock(mutex_);
    clock_problem_ = std::move(problem);
  }

  std::vector<std::string> log_lines() const { return log_.lines(); }

  AuditLog open_log(const config::AuditSettings& s) {
    auto opened = AuditLog::open(s, options());
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    return std::move(opened.value());
  }

  AuditLog open_log() { return open_log(settings()); }

  // Records and waits until the row is in the database; returns its id.
  std::int64_t record(AuditLog& log, const crypto::VerifyResult& result,
                      crypto::UnixSeconds at = kNow, const std::string& kiosk = "kiosk-1") {
    auto recorded = log.record(result, at, kiosk);
    EXPECT_TRUE(recorded.ok()) << (recorded.ok() ? "" : recorded.error().message);
    if (!recorded.ok()) return -1;
    const base::Status flushed = log.flush(kFlushTimeout);
    EXPECT_TRUE(flushed.ok()) << flushed.error().message;
    return log.verify_chain().last_id;
  }

  std::string export_all(const AuditLog& log, const ExportRange& range = {}) {
    std::ostringstream out;
    const base::Status status = log.export_csv(out, range);
    EXPECT_TRUE(status.ok()) << status.error().message;
    return out.str();
  }

  // Runs SQL on the database behind the log's back, as someone tampering would.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(settings().database.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int status = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(status, SQLITE_OK) << text;
  }

  // The first column of every row a query returns, read behind the log's back.
  std::vector<std::int64_t> integers(const std::string& sql) const {
    std::vector<std::int64_t> values;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(settings().database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
        while (sqlite3_step(statement) == SQLITE_ROW)
          values.push_back(sqlite3_column_int64(statement, 0));
      }
      sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return values;
  }

  static std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  TemporaryFolder folder;
  base::FakeClock clock{kNow};  // the kiosk's clock: wall and steady time
  // Tests of purge() itself turn the daily purge off, so it cannot run first
  // when they move the clock.
  bool daily_purge = true;

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> clock_problem_;
  base::CapturingLogSink log_;
};

}  // namespace kakunin::audit::testing
