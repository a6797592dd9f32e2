// The whole オンライン資格確認 round trip against the simulated 資格確認端末, switch by
// switch: the kiosk's real online check writes the request, the simulator answers
// (or does not), and the test asserts what staff read on the valid card and what
// the receipt computer gets from the hand-off.
#include "oqs_terminal.h"
#include "sample_fixture.h"

#include <kakunin/base/log.h>
#include <kakunin/base/text_encoding.h>
#include <kakunin/handoff/handoff.h>
#include <kakunin/online/online.h>
#include <kakunin/ui/catalogue.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

namespace kakunin::sample::testing {
namespace {

using namespace std::chrono_literals;

std::string text_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string element(const std::string& xml, const std::string& name) {
  const std::size_t at = xml.find("<" + name + ">");
  if (at == std::string::npos) return {};
  const std::size_t from = at + name.size() + 2;
  return xml.substr(from, xml.find("</" + name + ">", from) - from);
}

std::vector<fs::path> files_in(const fs::path& dir, std::string_view prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().starts_with(prefix)) out.push_back(entry.path());
  return out;
}

class OnlineRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = private_folder();
    world = SampleWorld::create(dir / "world", kNow - 86400);
    for (const char* sub : {"req", "res", "receipt", "outbox"}) fs::create_directories(dir / sub);
  }
  void TearDown() override {
    stop = true;
    if (terminal_thread.joinable()) terminal_thread.join();
    fs::remove_all(dir);
  }

  // The simulated terminal, answering in `mode` on its own thread.
  void start_terminal(TerminalMode mode, std::chrono::milliseconds delay = 0ms) {
    TerminalOptions options;
    options.req_dir = dir / "req";
    options.res_dir = dir / "res";
    options.mode = mode;
    options.delay = delay;
    options.piece_pause = 80ms;
    terminal = std::make_unique<TerminalSimulator>(world, options);
    terminal_thread = std::thread([this] { terminal->run(stop); });
  }

  crypto::VerifiedPresentation presentation_of(const std::string& member_id) const {
    const SampleMember& member = world.member(member_id);
    return {crypto::Profile::issuer_signed,
            member.certificate,
            world.insurer(member.certificate.insurer_number).name,
            kNow - 3,
            3,
            member.cti,
            false,
            false};
  }

  // Asks about `member_id` and waits for the final answer, as the valid card does.
  online::OnlineStatus ask(const std::string& member_id, int timeout_seconds = 2) {
    config::OnlineSettings settings;
    settings.enabled = true;
    settings.req_dir = dir / "req";
    settings.res_dir = dir / "res";
    settings.timeout_seconds = timeout_seconds;
    settings.medical_institution_code = "1312345678";
    online::OnlineOptions options;
    options.kiosk_id = "desk-1";
    options.log = base::Logger(log);
    options.poll_interval = 20ms;
    check = online::OnlineCheck::create(settings, options).check;
    const auto presentation = presentation_of(member_id);
    ticket = check->ask(presentation, kNow);
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (!check->status(ticket).final() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(10ms);
    return check->status(ticket);
  }

  // The hand-off the kiosk then makes: the XML the receipt computer imports.
  std::string receipt_xml(const std::string& member_id) {
    config::HandoffSettings settings;
    settings.enabled = true;
    settings.xml_dir = dir / "receipt";
    settings.outbox_dir = dir / "outbox";
    auto created = handoff::Handoff::create(settings, "desk-1");
    EXPECT_TRUE(created.handoff) << created.error;
    created.handoff->start();
    const handoff::OnlineCheckResult online{check->status(ticket), check->answer(ticket)};
    created.handoff->send(presentation_of(member_id), kNow, &online);
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (files_in(dir / "receipt", "OQSsiquc01res_").empty() &&
           std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(10ms);
    const auto files = files_in(dir / "receipt", "OQSsiquc01res_");
    return files.empty() ? std::string() : text_of(files.front());
  }

  std::string staff_read(const online::OnlineStatus& status) const {
    const ui::OnlineWording words = ui::online_wording(status, ui::Language::japanese);
    return words.headline + " / " + words.reason + " / " + words.action;
  }

  fs::path dir;
  SampleWorld world;
  base::CapturingLogSink log;
  std::atomic<bool> stop{false};
  std::unique_ptr<TerminalSimulator> terminal;
  std::thread terminal_thread;
  std::unique_ptr<online::OnlineCheck> check;
  std::uint64_t ticket = 0;
};

TEST_F(OnlineRoundTrip, AnAnswerConfirmsAndTheReceiptComputerGetsTheNationalFile) {
  start_terminal(TerminalMode::answer);
  const online::OnlineStatus status = ask("taro");
  EXPECT_EQ(status.state, online::OnlineState::confirmed) << staff_read(status);
  const std::string xml = receipt_xml("taro");
  EXPECT_EQ(element(xml, "QualificationValidity"), "1");
  EXPECT_NE(xml.find("<QualificationConfirmSearchInfo>"), std::string::npos)
      << "the national answer itself, not the kiosk's own rendering";
  EXPECT_FALSE(log.contains(world.member("taro").certificate.number)) << "no numbers in the log";
  EXPECT_FALSE(log.contains(world.member("taro").certificate.name)) << "no names in the log";
}

TEST_F(OnlineRoundTrip, ALostQualificationIsAStopAndTheReceiptComputerGetsValidity2) {
  start_terminal(TerminalMode::lost);
  const online::OnlineStatus status = ask("taro");
  EXPECT_EQ(status.state, online::OnlineState::not_entitled);
  EXPECT_EQ(status.reason, online::OnlineReason::lost);
  EXPECT_NE(staff_read(status).find("資格がありません"), std::string::npos) << staff_read(status);
  EXPECT_EQ(element(receipt_xml("taro"), "QualificationValidity"), "2");
}

TEST_F(OnlineRoundTrip, ADifferingRatioIsNamedAndTheReceiptComputerGetsTheNationalRatio) {
  start_terminal(TerminalMode::other_ratio);
  const online::OnlineStatus status = ask("taro");
  ASSERT_EQ(status.state, online::OnlineState::mismatch);
  ASSERT_EQ(status.differences.size(), 1u);
  EXPECT_EQ(status.differences[0].field, online::OnlineField::ratio);
  const std::string xml = receipt_xml("taro");
  const int certificate_ratio = world.member("taro").certificate.ratio_tenths.value_or(0);
  EXPECT_NE(element(xml, "InsuredPartialContributionRatio"),
            "0" + std::to_string(certificate_ratio) + "0");
}

TEST_F(OnlineRoundTrip, AnErrorAnswerIsUnavailableAndTheReceiptComputerGetsTheKiosksOwnFile) {
  start_terminal(TerminalMode::error);
  const online::OnlineStatus status = ask("taro");
  EXPECT_EQ(status.state, online::OnlineState::unavailable);
  EXPECT_EQ(status.reason, online::OnlineReason::error_answer);
  EXPECT_EQ(status.code, "EOQS4001");
  const std::string xml = receipt_xml("taro");
  EXPECT_EQ(element(xml, "ArbitraryFileIdentifier").rfind("kakunin-web-", 0), 0u)
      << "the offline verdict, as before the online check";
}

TEST_F(OnlineRoundTrip, NoAnswerTimesOutAndSaysSo) {
  start_terminal(TerminalMode::no_answer);
  const auto asked = std::chrono::steady_clock::now();
  const online::OnlineStatus status = ask("taro", 1);
  EXPECT_EQ(status.reason, online::OnlineReason::timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s) << "seconds, not minutes";
  EXPECT_NE(staff_read(status).find("この画面の結果で受付できます"), std::string::npos)
      << staff_read(status);
  EXPECT_EQ(element(receipt_xml("taro"), "ArbitraryFileIdentifier").rfind("kakunin-web-", 0), 0u)
      << "the receipt computer still gets the verified certificate, from the kiosk";
}

TEST_F(OnlineRoundTrip, ALateAnswerIsNotShownAndIsRemoved) {
  start_terminal(TerminalMode::late, 1500ms);
  EXPECT_EQ(ask("taro", 1).reason, online::OnlineReason::timed_out);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (!log.contains("came after the timeout") && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(log.contains("came after the timeout"));
  EXPECT_EQ(check->status(ticket).reason, online::OnlineReason::timed_out);
  EXPECT_TRUE(files_in(dir / "res", "OQSsiquc01res_").empty()) << "its personal data is gone";
}

TEST_F(OnlineRoundTrip, AMalformedAnswerIsRefusedAndChangesNothing) {
  start_terminal(TerminalMode::malformed);
  EXPECT_EQ(ask("taro", 1).reason, online::OnlineReason::timed_out);
  EXPECT_TRUE(log.contains("refused result file")) << log.text();
  EXPECT_EQ(check->answer(ticket), nullptr);
  EXPECT_EQ(element(receipt_xml("taro"), "QualificationValidity"), "1")
      << "the kiosk's own result, never the broken file";
}

TEST_F(OnlineRoundTrip, AnOversizedAnswerIsRefusedAndChangesNothing) {
  start_terminal(TerminalMode::oversized);
  EXPECT_EQ(ask("taro", 1).reason, online::OnlineReason::timed_out);
  EXPECT_TRUE(log.contains("larger than the limit")) << log.text();
}

TEST_F(OnlineRoundTrip, AResultForAnotherRequestIsRefused) {
  start_terminal(TerminalMode::other_request);
  EXPECT_EQ(ask("taro", 1).reason, online::OnlineReason::timed_out);
  EXPECT_TRUE(log.contains("another request")) << log.text();
}

TEST_F(OnlineRoundTrip, AnAnswerWrittenInPiecesIsReadWhole) {
  start_terminal(TerminalMode::in_pieces);
  EXPECT_EQ(ask("taro").state, online::OnlineState::confirmed);
  EXPECT_FALSE(log.contains("refused")) << log.text();
}

TEST_F(OnlineRoundTrip, AStrangerIsNotFound) {
  start_terminal(TerminalMode::not_found);
  const online::OnlineStatus status = ask("taro");
  EXPECT_EQ(status.state, online::OnlineState::not_entitled);
  EXPECT_EQ(status.reason, online::OnlineReason::not_found);
}

}  // namespace
}  // namespace kakunin::sample::testing
