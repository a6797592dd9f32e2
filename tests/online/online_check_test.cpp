// The round trip as the kiosk drives it: a request into `req`, an answer from
// `res`, and what status() says meanwhile. The test plays the 連携アプリ.
#include <gtest/gtest.h>
#include <kakunin/base/atomic_file.h>
#include <kakunin/base/fake_clock.h>
#include <kakunin/base/log.h>
#include <kakunin/base/text_encoding.h>
#include <kakunin/online/online.h>

#include <fstream>
#include <thread>

#include "online_test_support.h"
#include "request_template.h"

namespace kakunin::online {
namespace {

using testing::element_text;
using testing::eventually;
using testing::file_text;
using testing::request_files;
using testing::ResultSpec;

constexpr crypto::UnixSeconds kCheckedAt = 1795132800;  // 2026-11-20 09:00 JST

class OnlineRoundTrip : public ::testing::Test {
 protected:
  std::unique_ptr<OnlineCheck> make(config::OnlineSettings settings) {
    OnlineOptions options;
    options.kiosk_id = "desk-1";
    options.log = base::Logger(log);
    options.poll_interval = std::chrono::milliseconds(20);
    auto created = OnlineCheck::create(settings, std::move(options));
    EXPECT_TRUE(created.check) << created.error;
    return std::move(created.check);
  }
  std::unique_ptr<OnlineCheck> make() { return make(folders.settings()); }

  // Waits for the one request and returns its path.
  std::filesystem::path the_request() {
    EXPECT_TRUE(eventually([&] { return request_files(folders.req).size() == 1; }));
    const auto files = request_files(folders.req);
    return files.empty() ? std::filesystem::path() : files.front();
  }

  // The answer the 連携アプリ writes for `request`, atomically (as it renames).
  void answer(const std::filesystem::path& request, ResultSpec spec = {}) {
    const std::string text = file_text(request);
    spec.identifier = element_text(
        spec.encoding == config::XmlEncoding::shift_jis ? base::cp932_to_utf8(text).value() : text,
        "ArbitraryFileIdentifier");
    ASSERT_TRUE(
        base::write_file_atomically(result_path(request), testing::result_document(spec)).ok());
  }
  std::filesystem::path result_path(const std::filesystem::path& request) const {
    std::string name = request.filename().string();
    name.replace(0, std::string("OQSsiquc01req_").size(), "OQSsiquc01res_");
    return folders.res / name;
  }

  OnlineStatus final_status(OnlineCheck& check, std::uint64_t ticket) {
    EXPECT_TRUE(eventually([&] { return check.status(ticket).final(); }));
    return check.status(ticket);
  }

  testing::OnlineFolders folders;
  base::CapturingLogSink log;
  const crypto::VerifiedPresentation presentation = testing::sample_presentation();
};

TEST_F(OnlineRoundTrip, TheRequestCarriesOnlyWhatTheTerminalNeedsToAsk) {
  auto check = make();
  check->ask(presentation, kCheckedAt);
  const std::string request = file_text(the_request());
  EXPECT_EQ(element_text(request, "InsurerNumber"), "06139992");
  EXPECT_EQ(element_text(request, "InsuredCardSymbol"), "見本記号");
  EXPECT_EQ(element_text(request, "InsuredIdentificationNumber"), "1234567");
  EXPECT_EQ(element_text(request, "InsuredBranchNumber"), "01");
  EXPECT_EQ(element_text(request, "Birthdate"), "19800401");
  EXPECT_EQ(element_text(request, "MedicalInstitutionCode"), "1312345678");
  EXPECT_EQ(element_text(request, "QualificationConfirmationDate"), "20261120");
  EXPECT_EQ(request.find("太郎"), std::string::npos) << "the name is not sent";
  EXPECT_EQ(request.find("ミホン"), std::string::npos) << "nor the kana";
  EXPECT_FALSE(log.contains("1234567")) << "no member number in the log";
}

TEST_F(OnlineRoundTrip, TwoScansMakeTwoRequestsThatCannotCollide) {
  auto check = make();
  check->ask(presentation, kCheckedAt);
  check->ask(presentation, kCheckedAt);  // the same second, the same certificate
  ASSERT_TRUE(eventually([&] { return request_files(folders.req).size() == 2; }));
  const auto files = request_files(folders.req);
  EXPECT_NE(element_text(file_text(files[0]), "ArbitraryFileIdentifier"),
            element_text(file_text(files[1]), "ArbitraryFileIdentifier"));
  EXPECT_NE(files[0].filename().string().find("kakunin-desk-1_"), std::string::npos)
      << "the kiosk's id is in the name, so kiosks sharing a terminal never collide";
}

TEST_F(OnlineRoundTrip, AShiftJisTerminalGetsACp932Request) {
  auto check = make(folders.settings(config::XmlEncoding::shift_jis));
  crypto::VerifiedPresentation p = presentation;
  p.certificate.symbol = "髙";  // CP932 only
  check->ask(p, kCheckedAt);
  const std::string bytes = file_text(the_request());
  EXPECT_NE(bytes.find("encoding=\"Shift_JIS\""), std::string::npos);
  auto utf8 = base::cp932_to_utf8(bytes);
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(element_text(utf8.value(), "InsuredCardSymbol"), "髙");
}

TEST_F(OnlineRoundTrip, PendingUntilTheAnswerThenConfirmed) {
  auto check = make();
  const auto ticket = check->ask(presentation, kCheckedAt);
  EXPECT_EQ(check->status(ticket).state, OnlineState::pending);
  const auto request = the_request();
  answer(request);
  EXPECT_EQ(final_status(*check, ticket).state, OnlineState::confirmed);
  ASSERT_NE(check->answer(ticket), nullptr);
  EXPECT_EQ(check->answer(ticket)->qualification->ratio, "030");
  EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(result_path(request)); }))
      << "the answer holds personal data: the kiosk that asked removes it";
}

TEST_F(OnlineRoundTrip, ALostQualificationIsAStop) {
  auto check = make();
  const auto ticket = check->ask(presentation, kCheckedAt);
  ResultSpec lost;
  lost.validity = "2";
  answer(the_request(), lost);
  const OnlineStatus status = final_status(*check, ticket);
  EXPECT_EQ(status.state, OnlineState::not_entitled);
  EXPECT_EQ(status.reason, OnlineReason::lost);
}

TEST_F(OnlineRoundTrip, NoAnswerTimesOutAtTheConfiguredTime) {
  base::FakeClock clock;
  OnlineOptions options;
  options.clock = &clock;
  options.poll_interval = std::chrono::milliseconds(20);
  auto settings = folders.settings();
  settings.timeout_seconds = 3;
  auto check = OnlineCheck::create(settings, std::move(options)).check;
  const auto ticket = check->ask(presentation, kCheckedAt);
  the_request();
  clock.advance(std::chrono::milliseconds(2900));
  EXPECT_EQ(check->status(ticket).state, OnlineState::pending);
  clock.advance(std::chrono::milliseconds(100));
  EXPECT_EQ(check->status(ticket).state, OnlineState::unavailable);
  EXPECT_EQ(check->status(ticket).reason, OnlineReason::timed_out);
}

TEST_F(OnlineRoundTrip, ALateAnswerIsRemovedAndNotShown) {
  base::FakeClock clock;
  OnlineOptions options;
  options.clock = &clock;
  options.poll_interval = std::chrono::milliseconds(20);
  options.log = base::Logger(log);
  auto check = OnlineCheck::create(folders.settings(), std::move(options)).check;
  const auto ticket = check->ask(presentation, kCheckedAt);
  const auto request = the_request();
  clock.advance(std::chrono::seconds(6));
  ASSERT_EQ(check->status(ticket).reason, OnlineReason::timed_out);
  answer(request);
  EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(result_path(request)); }));
  EXPECT_EQ(check->status(ticket).reason, OnlineReason::timed_out) << "a final state stays";
  EXPECT_EQ(check->answer(ticket), nullptr);
  EXPECT_TRUE(log.contains("came after the timeout"));
}

TEST_F(OnlineRoundTrip, AHostileAnswerChangesNothingAndTheRealOneStillCounts) {
  auto check = make();
  const auto ticket = check->ask(presentation, kCheckedAt);
  const auto request = the_request();
  std::string hostile = testing::result_document({});
  hostile.insert(hostile.find("<XmlMsg>"),
                 "<!DOCTYPE XmlMsg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
  ASSERT_TRUE(base::write_file_atomically(result_path(request), hostile).ok());
  ASSERT_TRUE(eventually([&] { return log.contains("refused result file"); }));
  EXPECT_EQ(check->status(ticket).state, OnlineState::pending);
  EXPECT_EQ(check->figures().refused_files, 1u) << "refused once, not every poll";
  answer(request);
  EXPECT_EQ(final_status(*check, ticket).state, OnlineState::confirmed);
}

TEST_F(OnlineRoundTrip, AnAnswerWrittenInPiecesIsReadOnlyWhenWhole) {
  auto check = make();
  const auto ticket = check->ask(presentation, kCheckedAt);
  const auto request = the_request();
  ResultSpec spec;
  spec.identifier = element_text(file_text(request), "ArbitraryFileIdentifier");
  const std::string whole = testing::result_document(spec);
  // Each piece opened, appended and closed: inotify sees a close after every one.
  for (std::size_t at = 0; at < whole.size(); at += whole.size() / 4 + 1) {
    std::ofstream(result_path(request), std::ios::binary | std::ios::app)
        << whole.substr(at, whole.size() / 4 + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
  EXPECT_EQ(final_status(*check, ticket).state, OnlineState::confirmed);
  EXPECT_FALSE(log.contains("refused")) << "a half-written answer is not read as broken";
}

TEST_F(OnlineRoundTrip, AnUnwritableRequestFolderIsUnavailableAtOnce) {
  auto settings = folders.settings();
  settings.req_dir = folders.root / "missing";
  auto check = make(settings);
  const auto ticket = check->ask(presentation, kCheckedAt);
  const OnlineStatus status = final_status(*check, ticket);
  EXPECT_EQ(status.state, OnlineState::unavailable);
  EXPECT_EQ(status.reason, OnlineReason::request_failed);
}

TEST_F(OnlineRoundTrip, ACertificateShiftJisCannotHoldIsNotAsked) {
  auto check = make(folders.settings(config::XmlEncoding::shift_jis));
  crypto::VerifiedPresentation p = presentation;
  p.certificate.symbol = "𠮷";  // U+20BB7: no CP932 mapping
  const auto ticket = check->ask(p, kCheckedAt);
  EXPECT_EQ(check->status(ticket).reason, OnlineReason::not_asked);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(request_files(folders.req).empty());
}

TEST_F(OnlineRoundTrip, AStartWithdrawsWhatAnEarlierRunLeftAndNothingElse) {
  const auto mine = folders.req / "OQSsiquc01req_kakunin-desk-1_20261120090000_00.xml";
  const auto my_answer = folders.res / "OQSsiquc01res_kakunin-desk-1_20261120090000_00.xml";
  const auto receipt_computers = folders.req / "OQSsiquc01req_20261120090000123.xml";
  const auto other_kiosk = folders.req / "OQSsiquc01req_kakunin-desk-2_20261120090000_00.xml";
  for (const auto& path : {mine, my_answer, receipt_computers, other_kiosk})
    std::ofstream(path) << "<x/>";
  auto check = make();
  EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(mine); }));
  EXPECT_TRUE(eventually([&] { return !std::filesystem::exists(my_answer); }));
  EXPECT_TRUE(std::filesystem::exists(receipt_computers));
  EXPECT_TRUE(std::filesystem::exists(other_kiosk));
}

TEST(RequestTemplate, TheBuiltInTemplateIsAccepted) {
  EXPECT_TRUE(RequestTemplate::parse(default_request_template()).ok());
}

TEST(RequestTemplate, AVendorTemplateWithAnUnknownNameIsRefusedWithItsLine) {
  const std::string text = std::string(default_request_template()) + "<!-- ${patient_name} -->\n";
  auto parsed = RequestTemplate::parse(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("unknown name ${patient_name}"), std::string::npos)
      << parsed.error().message;
}

TEST(RequestTemplate, ATemplateWithoutTheIdentifierIsRefused) {
  auto parsed = RequestTemplate::parse("<?xml version=\"1.0\"?><XmlMsg>${number}</XmlMsg>\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("file_identifier"), std::string::npos);
}

TEST(RequestTemplate, ATemplateThatIsNotXmlIsRefused) {
  auto parsed = RequestTemplate::parse("<XmlMsg>${file_identifier}</Xml>\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("well-formed"), std::string::npos);
}

TEST(RequestTemplate, AnOptionalLineIsLeftOutAndValuesAreEscaped) {
  auto parsed = RequestTemplate::parse(
      "<?xml "
      "version=\"1.0\"?>\n<a>\n<s>${symbol?}</s>\n<n>${number}</n>\n<i>${file_identifier}</i>\n</"
      "a>\n");
  ASSERT_TRUE(parsed.ok());
  auto text = parsed.value().render({{"number", "1<2"}, {"file_identifier", "x"}},
                                    config::XmlEncoding::utf8);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value().find("<s>"), std::string::npos);
  EXPECT_NE(text.value().find("<n>1&lt;2</n>"), std::string::npos);
}

}  // namespace
}  // namespace kakunin::online
