// `kakunin run`: the production loop, driven here by a folder of photographed
// QRs (a test-mode capture source) with trust lists held on disk, an audit log
// and a hand-off folder — everything a clinic's kiosk does, minus the camera.
#include "fake_notify_socket.h"
#include "kiosk_test_config.h"
#include "prometheus_text_parser.h"
#include "qr_image.h"
#include "test_world.h"

#include <kakunin/kiosk/cli.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;
constexpr std::int64_t kDay = 86400;

UnixSeconds wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
void write(const fs::path& path, const crypto::Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

struct RunResult {
  int status;
  std::string out;
  std::string err;
  std::vector<nlohmann::json> lines;
};

class RunCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kakunin-run-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir / "trust");
    fs::create_directories(dir / "counter");
    fs::create_directories(dir / "res");
    // The run loop reads the real clock: anchor the world's lists, keys and
    // certificate to today so the test does not age.
    const UnixSeconds now = wall_now();
    world.trust_spec.header = {9, now - kDay, now + 6 * kDay, true};
    world.revocation_spec.header = world.trust_spec.header;
    for (auto& issuer : world.trust_spec.issuers) {
      for (auto& key : issuer.keys) {
        if (key.not_after > kNow)
          key.not_before = now - 365 * kDay, key.not_after = now + 365 * kDay;
      }
    }
    write(dir / "trust" / "trustlist.cose",
          signer::make_trust_list(world.trust_spec, world.list_key));
    write(dir / "trust" / "revocations.cose",
          signer::make_revocation_list(world.revocation_spec, world.list_key));
    write(dir / "pinned.pem", world.list_key.public_pem());
  }
  void TearDown() override { fs::remove_all(dir); }

  crypto::Certificate member_today() const {
    crypto::Certificate c = world.member_of(world.es256_insurer);
    c.issued = crypto::CalendarDate::japan_date_at(wall_now() - 30 * kDay);
    c.valid_until = crypto::CalendarDate::japan_date_at(wall_now() + 365 * kDay);
    return c;
  }
  std::string fresh_qr() const {
    return signer::to_qr_text(signer::make_issuer_presentation(
        {member_today(), wall_now(), 300, signer::random_cti()}, world.es256_insurer.key));
  }
  void photograph(const std::string& name, const std::string& text) const {
    cv::imwrite((dir / "counter" / name).string(), qr_image(text));
  }

  std::string config(const std::string& extra = "") const {
    return image_folder_kiosk_config(dir, dir / "res") + extra;
  }

  RunResult run(const std::string& config_text) const {
    write(dir / "kakunin.toml", config_text);
    std::ostringstream out, err;
    RunResult r;
    r.status = kiosk::run_cli(
        {"run", "--config", (dir / "kakunin.toml").string(), "--headless", "--until-source-ends"},
        out, err);
    r.out = out.str();
    r.err = err.str();
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
      r.lines.push_back(nlohmann::json::parse(line));
    return r;
  }

  fs::path dir;
  TestWorld world{/*test_lists=*/true};
};

TEST_F(RunCommand, VerifiesWhatTheCameraSeesRecordsItAndHandsTheValidOneOver) {
  photograph("1-member.png", fresh_qr());
  photograph("2-url.png", "https://example.jp/");
  const RunResult r = run(config());
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(r.lines.size(), 2u) << r.out << r.err;
  std::multiset<std::string> verdicts;
  for (const auto& line : r.lines) verdicts.insert(line["verdict"].get<std::string>());
  EXPECT_EQ(verdicts, (std::multiset<std::string>{"valid", "not_jhc1"}));

  // The valid one reached the receipt computer's folder, once.
  int handed_over = 0;
  for (const auto& entry : fs::directory_iterator(dir / "res"))
    handed_over += entry.path().extension() == ".json";
  EXPECT_EQ(handed_over, 1);

  // Both verdicts are in an intact audit chain.
  std::ostringstream out, err;
  EXPECT_EQ(
      kiosk::run_cli({"audit", "verify", "--database", (dir / "audit.sqlite").string()}, out, err),
      0)
      << err.str();
  EXPECT_NE(out.str().find("2 rows"), std::string::npos) << out.str();
}

// As under systemd (Type=notify, WatchdogSec=): the service's `kakunin run`
// says READY=1, then pings while its loop, decoder and sync thread move, and
// STOPPING=1 on SIGTERM. The waits are bounds for a failure, not a pace: at a
// 200 ms WatchdogSec= the pings come every 100 ms.
// The 連携アプリ, as far as this test needs one: each request in `req` answered
// 有効 in `res` for `cert`, echoing the request's identifier.
class AnsweringTerminal {
 public:
  AnsweringTerminal(fs::path req, fs::path res, crypto::Certificate cert)
      : req_(std::move(req)), res_(std::move(res)), cert_(std::move(cert)) {
    thread_ = std::thread([this] {
      while (!stop_) {
        answer_pending();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  ~AnsweringTerminal() {
    stop_ = true;
    thread_.join();
  }

 private:
  static std::string element(const std::string& xml, const std::string& name) {
    const std::size_t at = xml.find("<" + name + ">");
    if (at == std::string::npos) return {};
    const std::size_t from = at + name.size() + 2;
    return xml.substr(from, xml.find("</" + name + ">", from) - from);
  }
  void answer_pending() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(req_, ec)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with("OQSsiquc01req_")) continue;
      std::ifstream in(entry.path());
      const std::string request((std::istreambuf_iterator<char>(in)), {});
      fs::remove(entry.path(), ec);
      std::ofstream(res_ / ("OQSsiquc01res_" + name.substr(14)))
          << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg><MessageHeader>"
          << "<ArbitraryFileIdentifier>" << element(request, "ArbitraryFileIdentifier")
          << "</ArbitraryFileIdentifier><SegmentOfResult>1</SegmentOfResult></MessageHeader>"
          << "<MessageBody><ProcessingResultStatus>1</ProcessingResultStatus>"
          << "<QualificationValidity>1</QualificationValidity><ResultList>"
          << "<ResultOfQualificationConfirmation><InsurerNumber>" << cert_.insurer_number
          << "</InsurerNumber><InsuredCardSymbol>" << cert_.symbol.value_or("")
          << "</InsuredCardSymbol><InsuredIdentificationNumber>" << cert_.number
          << "</InsuredIdentificationNumber></ResultOfQualificationConfirmation></ResultList>"
          << "</MessageBody></XmlMsg>\n";
    }
  }
  fs::path req_, res_;
  crypto::Certificate cert_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(RunCommand, AsksOnlineAfterAValidVerdictAndHandsOverTheNationalAnswer) {
  fs::create_directories(dir / "oqs-req");
  fs::create_directories(dir / "oqs-res");
  const AnsweringTerminal terminal(dir / "oqs-req", dir / "oqs-res", member_today());
  photograph("1-member.png", fresh_qr());
  photograph("2-url.png", "https://example.jp/");
  const RunResult r = run(config(
      "[online]\nenabled = true\nreq_dir = \"" + (dir / "oqs-req").string() + "\"\nres_dir = \"" +
      (dir / "oqs-res").string() + "\"\nmedical_institution_code = \"1312345678\"\n"));
  ASSERT_EQ(r.status, 0) << r.err;
  int online_lines = 0;
  for (const auto& line : r.lines) {
    if (!line.contains("online")) continue;
    ++online_lines;
    EXPECT_EQ(line["online"], "confirmed") << line.dump();
  }
  EXPECT_EQ(online_lines, 1) << "one request, for the valid QR only: " << r.out;
  // The hand-off waited for the answer and carries it.
  std::vector<nlohmann::json> records;
  for (const auto& entry : fs::directory_iterator(dir / "res")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    records.push_back(nlohmann::json::parse(in));
  }
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["online"]["state"], "confirmed");
  EXPECT_EQ(r.err.find(member_today().number), std::string::npos) << "no numbers in the log";
}

TEST_F(RunCommand, UnderSystemdSaysReadyPingsTheWatchdogAndSaysStoppingOnSigterm) {
  photograph("1-member.png", fresh_qr());
  write(dir / "kakunin.toml", config());
  FakeNotifySocket systemd(std::chrono::milliseconds(200));
  std::ostringstream out, err;
  int status = -1;
  std::thread service([&] {
    status = kiosk::run_cli({"run", "--config", (dir / "kakunin.toml").string(), "--headless"}, out,
                            err);
  });
  const std::optional<std::string> first = systemd.next(std::chrono::seconds(60));
  const bool ready = first && first->starts_with("READY=1\nSTATUS=screen ");
  bool pinged = false;
  while (ready && !pinged) {
    const auto next = systemd.next(std::chrono::seconds(60));
    if (!next) break;
    pinged = *next == "WATCHDOG=1";
  }
  if (ready) std::raise(SIGTERM);  // only once its handler is in: the loop runs
  service.join();
  EXPECT_TRUE(ready) << (first ? *first : "nothing") << err.str();
  EXPECT_TRUE(pinged) << err.str();
  EXPECT_EQ(status, 0) << err.str();
  bool stopping = false;
  for (const std::string& datagram : systemd.take())
    stopping = stopping || datagram.starts_with("STOPPING=1");
  EXPECT_TRUE(stopping);
}

// [metrics] on: the file node_exporter reads holds the run's verdicts, in the
// exposition format, and nothing of the member's certificate.
TEST_F(RunCommand, WritesTheFleetMetricsFileWithTheVerdictsAndNoPersonalData) {
  photograph("1-member.png", fresh_qr());
  photograph("2-url.png", "https://example.jp/");
  const fs::path prom = dir / "node-exporter" / "kakunin.prom";
  fs::create_directories(prom.parent_path());
  const RunResult r =
      run(config("[metrics]\nenabled = true\ntextfile_path = \"" + prom.string() + "\"\n"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(prom);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ParsedExposition parsed = parse_exposition(text);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front() << "\n" << text;
  EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", "ok"}, {"verdict", "valid"}}), 1)
      << text;
  EXPECT_EQ(
      parsed.value("kakunin_verifications_total", {{"tier", "retry"}, {"verdict", "not_jhc1"}}), 1);
  EXPECT_EQ(parsed.value("kakunin_list_sequence", {{"list", "trust_list"}}), 9);
  EXPECT_TRUE(parsed.value("kakunin_decode_duration_seconds_count")) << text;
  const crypto::Certificate member = member_today();
  for (const std::string& secret :
       {member.name, *member.name_kana, *member.symbol, member.number, member.insurer_number}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST_F(RunCommand, WritesNoMetricsFileWhileMetricsAreOff) {
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config());
  ASSERT_EQ(r.status, 0) << r.err;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    EXPECT_NE(entry.path().extension(), ".prom") << entry.path();
}

TEST_F(RunCommand, HeadlessLinesAndLogsCarryNoPersonalData) {
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config());
  ASSERT_EQ(r.status, 0) << r.err;
  const crypto::Certificate member = member_today();
  for (const std::string& secret :
       {member.name, *member.name_kana, *member.symbol, member.number}) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << secret;
  }
}

TEST_F(RunCommand, ABrokenConfigNeverStartsAHalfWorkingKiosk) {
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config("[audit]\nretention_days = \"forever\"\n"));
  EXPECT_EQ(r.status, kiosk::kExitSetup);
  EXPECT_NE(r.err.find("kakunin.toml:"), std::string::npos) << r.err;
  EXPECT_TRUE(r.lines.empty());
  EXPECT_FALSE(fs::exists(dir / "audit.sqlite")) << "nothing was started";
}

TEST_F(RunCommand, RefusesEveryQrWhenTheHeldListsAreNotSignedByThePinnedKey) {
  write(dir / "pinned.pem", signer::SigningKey::generate(crypto::Algorithm::es256).public_pem());
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config());
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(r.lines.size(), 1u) << r.out << r.err;
  EXPECT_EQ(r.lines[0]["verdict"], "no_trust_list");
}

TEST_F(RunCommand, LogsWhatItDoesAtTheDefaultInfoLevel) {
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("kakunin: info: running: kiosk desk-1, TEST mode\n"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("kakunin: info: held trust list loaded"), std::string::npos) << r.err;
}

TEST_F(RunCommand, LogLevelWarnDropsInfoLinesButKeepsProblems) {
  // Held lists not signed by the pinned key: the sync logs an error at start.
  write(dir / "pinned.pem", signer::SigningKey::generate(crypto::Algorithm::es256).public_pem());
  photograph("1-member.png", fresh_qr());
  const RunResult r = run(config("[log]\nlevel = \"warn\"\n"));
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(r.lines.size(), 1u) << "the headless verdict lines are output, not log";
  EXPECT_EQ(r.err.find(": info: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kakunin: error: held trust list"), std::string::npos) << r.err;
}

TEST_F(RunCommand, AProductionKioskRefusesToStartOnATestCaptureFolder) {
  photograph("1-member.png", fresh_qr());
  // Image folders are test-only capture: a production config naming one is refused.
  std::string production = config();
  production.replace(production.find("mode = \"test\""), 13, "mode = \"production\"");
  EXPECT_EQ(run(production).status, kiosk::kExitSetup);
}

}  // namespace
}  // namespace kakunin::testing
