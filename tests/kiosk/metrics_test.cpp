// The fleet metrics file as node_exporter's textfile collector reads it: written
// from known figures, read back with the exposition format's rules
// (prometheus_text_parser.h), each figure where an IT vendor's dashboard looks.
#include "prometheus_text_parser.h"
#include "verify_result_for_testing.h"

#include <kakunin/base/log.h>
#include <kakunin/kiosk/metrics.h>
#include <kakunin/ui/catalogue.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kakunin::testing {
namespace {

namespace fs = std::filesystem;
using crypto::Verdict;
using Labels = std::map<std::string, std::string>;

constexpr crypto::UnixSeconds kNow = 1795568400;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void count(kiosk::MetricsSink& sink, Verdict verdict, int times) {
  for (int i = 0; i < times; ++i) {
    sink.verdict({{}, crypto::VerifyResultForTesting::refusal(verdict, "test"), kNow, {}});
  }
}

// A kiosk an hour into its day: lists issued two hours ago, a stale QR or two,
// a camera running, four hand-offs waiting for the receipt computer.
kiosk::MetricsSnapshot known_figures(const kiosk::MetricsSink& counts) {
  kiosk::MetricsSnapshot s;
  s.now = kNow;
  s.verdicts = counts.counts();
  s.trust_list = kiosk::ListFigures{41, kNow - 7200};
  s.revocations = kiosk::ListFigures{1207, kNow - 3600};
  s.verification_stops_at = kNow + 86400;
  s.clock_offset_seconds = -2;
  s.clock = base::ClockState::ok;
  s.capture = frame::SourceState::running;
  drivers::DecodeFigures decode;
  decode.frames_decoded = 10;
  decode.total_ms = 123.5;
  decode.decoded_by_ms[0] = 6;                                 // <= 5 ms
  decode.decoded_by_ms[3] = 3;                                 // <= 50 ms
  decode.decoded_by_ms[drivers::kDecodeMsBuckets.size()] = 1;  // slower than every bound
  s.decode = decode;
  s.handoff_pending = 4;
  s.online = online::OnlineCheck::Figures{12, 9, 2, 1, 0};
  return s;
}

class MetricsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kakunin-metrics-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    settings.enabled = true;
    settings.textfile_path = dir / "kakunin.prom";
  }
  void TearDown() override { fs::remove_all(dir); }

  // Writes through the real writer (write_file_atomically) and parses the file.
  ParsedExposition write_and_parse(const kiosk::MetricsSnapshot& snapshot) {
    kiosk::MetricsTextfile file(settings, [snapshot] { return snapshot; });
    EXPECT_TRUE(file.write_now());
    text = read_text(settings.textfile_path);
    return parse_exposition(text);
  }

  fs::path dir;
  config::MetricsSettings settings;
  std::string text;
};

TEST_F(MetricsFile, IsValidExpositionFormatWithEveryFigureInItsPlace) {
  kiosk::MetricsSink counts;
  count(counts, Verdict::stale, 3);
  count(counts, Verdict::revoked, 1);
  count(counts, Verdict::no_trust_list, 2);
  const ParsedExposition parsed = write_and_parse(known_figures(counts));
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front() << "\n" << text;

  EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", "retry"}, {"verdict", "stale"}}),
            3);
  EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", "stop"}, {"verdict", "revoked"}}),
            1);
  EXPECT_EQ(parsed.value("kakunin_verifications_total",
                         {{"tier", "terminal"}, {"verdict", "no_trust_list"}}),
            2);
  EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", "ok"}, {"verdict", "valid"}}), 0);
  EXPECT_EQ(parsed.value("kakunin_list_sequence", {{"list", "trust_list"}}), 41);
  EXPECT_EQ(parsed.value("kakunin_list_sequence", {{"list", "revocations"}}), 1207);
  EXPECT_EQ(parsed.value("kakunin_list_age_seconds", {{"list", "trust_list"}}), 7200);
  EXPECT_EQ(parsed.value("kakunin_list_age_seconds", {{"list", "revocations"}}), 3600);
  EXPECT_EQ(parsed.value("kakunin_verification_stops_in_seconds"), 86400);
  EXPECT_EQ(parsed.value("kakunin_clock_offset_seconds"), -2);
  EXPECT_EQ(parsed.value("kakunin_clock_state", {{"state", "ok"}}), 1);
  EXPECT_EQ(parsed.value("kakunin_clock_state", {{"state", "not_synchronised"}}), 0);
  EXPECT_EQ(parsed.value("kakunin_handoff_queue_length"), 4);
  EXPECT_EQ(parsed.value("kakunin_online_requests_total"), 12);
  EXPECT_EQ(parsed.value("kakunin_online_answers_total"), 9);
  EXPECT_EQ(parsed.value("kakunin_online_timeouts_total"), 2);
  EXPECT_EQ(parsed.value("kakunin_online_refused_files_total"), 1);
  EXPECT_EQ(parsed.value("kakunin_online_write_failures_total"), 0);
  for (const char* state : {"starting", "running", "offline", "ended"}) {
    EXPECT_EQ(parsed.value("kakunin_capture_state", {{"source", "camera"}, {"state", state}}),
              std::string(state) == "running" ? 1 : 0)
        << state;
  }
  EXPECT_EQ(parsed.families.at("kakunin_decode_duration_seconds").type, "histogram");
  EXPECT_EQ(parsed.value("kakunin_decode_duration_seconds_bucket", {{"le", "0.005"}}), 6);
  EXPECT_EQ(parsed.value("kakunin_decode_duration_seconds_bucket", {{"le", "0.05"}}), 9);
  EXPECT_EQ(parsed.value("kakunin_decode_duration_seconds_bucket", {{"le", "2"}}), 9);
  EXPECT_EQ(parsed.value("kakunin_decode_duration_seconds_bucket", {{"le", "+Inf"}}), 10);
  EXPECT_DOUBLE_EQ(*parsed.value("kakunin_decode_duration_seconds_sum"), 0.1235);
  EXPECT_EQ(parsed.value("kakunin_decode_duration_seconds_count"), 10);
}

// Every verdict has its series from the start, so rate() and alerts work on a
// kiosk that has not yet seen a forgery; tiers as the screens group them.
TEST_F(MetricsFile, EveryVerdictHasASeriesInItsTier) {
  const kiosk::MetricsSink counts;
  const ParsedExposition parsed = write_and_parse(known_figures(counts));
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  const std::map<std::string, std::string> tiers = {
      {"valid", "ok"},
      {"stale", "retry"},
      {"clock_mismatch", "retry"},
      {"credential_expired", "retry"},
      {"malformed", "retry"},
      {"not_jhc1", "retry"},
      {"bad_signature", "stop"},
      {"bad_holder_signature", "stop"},
      {"unknown_key", "stop"},
      {"wrong_insurer", "stop"},
      {"key_out_of_period", "stop"},
      {"revoked", "stop"},
      {"certificate_expired", "stop"},
      {"no_trust_list", "terminal"},
      {"test_material", "terminal"},
  };
  ASSERT_EQ(tiers.size(), std::size_t{crypto::kVerdictCount});
  for (const auto& [verdict, tier] : tiers) {
    EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", tier}, {"verdict", verdict}}),
              0)
        << verdict;
  }
  EXPECT_EQ(parsed.families.at("kakunin_verifications_total").samples.size(), tiers.size());
}

TEST_F(MetricsFile, AScannerKioskHasNoDecodeTimesAndAHandoffOffHasNoQueue) {
  kiosk::MetricsSnapshot s = known_figures(kiosk::MetricsSink{});
  s.scanner = true;
  s.capture = frame::SourceState::offline;
  s.decode.reset();
  s.handoff_pending.reset();
  s.online.reset();
  s.trust_list.reset();
  s.verification_stops_at.reset();
  const ParsedExposition parsed = write_and_parse(s);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  EXPECT_EQ(parsed.value("kakunin_capture_state", {{"source", "scanner"}, {"state", "offline"}}),
            1);
  EXPECT_FALSE(parsed.families.count("kakunin_decode_duration_seconds"));
  EXPECT_FALSE(parsed.families.count("kakunin_handoff_queue_length"));
  EXPECT_FALSE(parsed.families.count("kakunin_online_requests_total"));
  EXPECT_FALSE(parsed.value("kakunin_list_sequence", {{"list", "trust_list"}}));
  EXPECT_EQ(parsed.value("kakunin_verification_stops_in_seconds"), 0)
      << "stopped: a list is missing";
}

TEST_F(MetricsFile, SaysVerificationHasStoppedOnceTheGraceIsOver) {
  kiosk::MetricsSnapshot s = known_figures(kiosk::MetricsSink{});
  s.verification_stops_at = kNow - 60;
  const ParsedExposition parsed = write_and_parse(s);
  EXPECT_EQ(parsed.value("kakunin_verification_stops_in_seconds"), 0);
}

// A valid result carries a whole certificate; the counts keep only its verdict.
TEST_F(MetricsFile, HoldsNothingOfACertificatesPersonalFields) {
  crypto::VerifiedPresentation shown{};
  shown.certificate.name = "確認 太郎";
  shown.certificate.name_kana = "カクニン タロウ";
  shown.certificate.insurer_number = "06139999";
  shown.certificate.symbol = "7071";
  shown.certificate.number = "5301234";
  shown.certificate.branch = "01";
  shown.insurer_name = "サンプル健康保険組合";
  kiosk::MetricsSink counts;
  drivers::ScannedText scanned;
  scanned.text = "JHC1:PERSONAL-QR-TEXT";
  counts.verdict({scanned, crypto::VerifyResultForTesting::valid(shown), kNow, {}});
  const ParsedExposition parsed = write_and_parse(known_figures(counts));
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  EXPECT_EQ(parsed.value("kakunin_verifications_total", {{"tier", "ok"}, {"verdict", "valid"}}), 1);
  for (const std::string& secret :
       {shown.certificate.name, *shown.certificate.name_kana, shown.certificate.insurer_number,
        *shown.certificate.symbol, shown.certificate.number, shown.insurer_name,
        std::string("PERSONAL-QR-TEXT")}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST_F(MetricsFile, IsReadableByNodeExporterAndLeavesNoTemporaryFile) {
  write_and_parse(known_figures(kiosk::MetricsSink{}));
  EXPECT_EQ(fs::status(settings.textfile_path).permissions() & fs::perms::others_read,
            fs::perms::others_read);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(MetricsFile, AFolderItCannotWriteIsLoggedOnceAndTheRecoveryToo) {
  settings.textfile_path = dir / "missing" / "kakunin.prom";
  base::CapturingLogSink log;
  kiosk::MetricsTextfile file(
      settings, [] { return kiosk::MetricsSnapshot{}; }, base::Logger(log));
  EXPECT_FALSE(file.write_now());
  EXPECT_FALSE(file.write_now());
  ASSERT_EQ(log.lines().size(), 1u) << log.text();
  EXPECT_NE(log.lines()[0].find("metrics: cannot write"), std::string::npos) << log.text();
  fs::create_directories(dir / "missing");
  EXPECT_TRUE(file.write_now());
  EXPECT_EQ(log.lines().size(), 2u) << log.text();
}

// The parser is strict: each of these mistakes in a file is found.
TEST(PrometheusTextParser, RefusesWhatTheTextfileCollectorWouldNot) {
  const std::string family = "# HELP m_total A count.\n# TYPE m_total counter\n";
  for (const std::string& bad : {
           std::string("m_total 1\n"),                           // no HELP/TYPE
           family + "m_total{a=\"x\"} 1\nm_total{a=\"x\"} 2\n",  // duplicate series
           family + "m_total{a=x} 1\n",                          // unquoted value
           family + "m_total{a=\"\\q\"} 1\n",                    // bad escape
           family + "m-total 1\n",                               // bad name
           family + "m_total one\n",                             // bad value
           std::string("# HELP m A.\n# TYPE m counter\nm 1\n"),  // counter without _total
           family + "m_total 1",                                 // no final newline
           family + "m_total{a=\"1\"} 1\n# HELP n A.\n# TYPE n gauge\nn 1\nm_total{a=\"2\"} 1\n",
       }) {
    EXPECT_FALSE(parse_exposition(bad).errors.empty()) << bad;
  }
  EXPECT_TRUE(parse_exposition(family + "m_total{a=\"x \\\"y\\\"\"} 1\n").errors.empty());
}

}  // namespace
}  // namespace kakunin::testing
