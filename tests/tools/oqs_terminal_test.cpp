// The simulated 資格確認端末: requests written with the built-in request layout
// (rendered by the kiosk's own request template, online/src/request_template.h) are taken from
// `req` and answered in `res`, in every mode, and the answers read back with libxml2.
#include "oqs_terminal.h"
#include "request_template.h"
#include "sample_fixture.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/fake_clock.h>
#include <kakunin/base/japan_time.h>
#include <kakunin/base/read_file.h>
#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

namespace kakunin::sample::testing {
namespace {

using namespace std::chrono_literals;
using config::XmlEncoding;

constexpr std::size_t kMebibyte = 1u << 20;

// What a request asks; made from a member's certificate, then edited by a test.
struct Asked {
  std::string insurer_number, symbol, number, branch, birth_date;
  std::string file_identifier = "kakunin-online-7";
};

Asked asked_for(const SampleMember& member) {
  const crypto::Certificate& c = member.certificate;
  return {
      .insurer_number = c.insurer_number.size() == 6 ? "  " + c.insurer_number : c.insurer_number,
      .symbol = c.symbol.value_or(""),
      .number = c.number,
      .branch = c.branch,
      .birth_date = base::yyyymmdd(c.birth_date),
      .file_identifier = "kakunin-online-7"};
}

// The request exactly as the kiosk renders it (online/src/request_template.h),
// in the terminal's encoding.
std::string request_bytes(const Asked& a, XmlEncoding encoding) {
  const auto layout = online::RequestTemplate::parse(online::default_request_template());
  EXPECT_TRUE(layout.ok());
  auto bytes = layout.value().render({{"medical_institution_code", "1312345678"},
                                      {"file_identifier", a.file_identifier},
                                      {"confirmation_date", "20261120"},
                                      {"process_time", "20261120063000"},
                                      {"insurer_number", a.insurer_number},
                                      {"symbol", a.symbol},
                                      {"number", a.number},
                                      {"branch", a.branch},
                                      {"birth_date", a.birth_date}},
                                     encoding);
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
  return bytes.ok() ? bytes.value() : std::string();
}

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

// An answer file parsed; text() and count() take XPath expressions.
class ParsedAnswer {
 public:
  ParsedAnswer(const std::string& bytes, XmlEncoding encoding) {
    std::string utf8 = bytes;
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    if (encoding == XmlEncoding::shift_jis) {
      // CP932, as a Windows receipt computer reads "Shift_JIS".
      const auto converted = base::cp932_to_utf8(bytes);
      if (!converted.ok()) return;
      utf8 = converted.value();
      options |= XML_PARSE_IGNORE_ENC;
    }
    doc_.reset(xmlReadMemory(utf8.data(), static_cast<int>(utf8.size()), "answer.xml",
                             encoding == XmlEncoding::shift_jis ? "UTF-8" : nullptr, options));
  }
  bool parsed() const { return doc_ != nullptr; }
  int count(const std::string& xpath) const {
    auto result = evaluate(xpath);
    return result && result->nodesetval ? result->nodesetval->nodeNr : 0;
  }
  std::optional<std::string> text(const std::string& xpath) const {
    auto result = evaluate(xpath);
    if (!result || !result->nodesetval || result->nodesetval->nodeNr == 0) return std::nullopt;
    xmlChar* content = xmlNodeGetContent(result->nodesetval->nodeTab[0]);
    std::string value = content ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    return value;
  }
  std::optional<std::string> header(const std::string& element) const {
    return text("/XmlMsg/MessageHeader/" + element);
  }
  std::optional<std::string> body(const std::string& element) const {
    return text("/XmlMsg/MessageBody/" + element);
  }
  std::optional<std::string> result(const std::string& element) const {
    return body("ResultList/ResultOfQualificationConfirmation/" + element);
  }

 private:
  struct XPathFree {
    void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
  };
  std::unique_ptr<xmlXPathObject, XPathFree> evaluate(const std::string& xpath) const {
    if (!doc_) return nullptr;
    std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> context(
        xmlXPathNewContext(doc_.get()), &xmlXPathFreeContext);
    return std::unique_ptr<xmlXPathObject, XPathFree>(
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), context.get()));
  }
  std::unique_ptr<xmlDoc, XmlDocFree> doc_;
};

class TerminalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = private_folder();
    world = SampleWorld::create(dir / "world", kNow - 86400);
    fs::create_directories(req());
    fs::create_directories(res());
  }
  void TearDown() override { fs::remove_all(dir); }

  fs::path req() const { return dir / "req"; }
  fs::path res() const { return dir / "res"; }
  const SampleMember& member(const std::string& id) const { return world.member(id); }

  // Drops a request into `req` the way the kiosk does: a dot file, then a rename.
  void write_request(const std::string& suffix, const Asked& asked,
                     XmlEncoding encoding = XmlEncoding::utf8) {
    write_raw_request(suffix, request_bytes(asked, encoding));
  }
  void write_raw_request(const std::string& suffix, const std::string& bytes) {
    const auto written = base::write_file_atomically(req() / ("OQSsiquc01req_" + suffix + ".xml"),
                                                     bytes, {.mode = 0640});
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  TerminalOptions options(TerminalMode mode, XmlEncoding encoding = XmlEncoding::utf8) {
    TerminalOptions o;
    o.req_dir = req();
    o.res_dir = res();
    o.encoding = encoding;
    o.mode = mode;
    o.piece_pause = 20ms;
    o.on_request = [this](const TerminalEvent& e) { events.push_back(e); };
    return o;
  }
  int answer_pending(TerminalOptions o) {
    return TerminalSimulator(world, std::move(o)).answer_pending();
  }
  int answer_pending(TerminalMode mode, XmlEncoding encoding = XmlEncoding::utf8) {
    return answer_pending(options(mode, encoding));
  }

  std::string answer_bytes(const std::string& suffix) const {
    const auto bytes = base::read_file(res() / ("OQSsiquc01res_" + suffix + ".xml"), 4 * kMebibyte);
    return bytes.ok() ? bytes.value() : "";
  }
  ParsedAnswer answer(const std::string& suffix, XmlEncoding encoding = XmlEncoding::utf8) const {
    return ParsedAnswer(answer_bytes(suffix), encoding);
  }
  // Asks about `id` in `mode` and returns the parsed answer.
  ParsedAnswer ask(const std::string& id, TerminalMode mode) {
    write_request("k_1", asked_for(member(id)));
    EXPECT_EQ(answer_pending(mode), 1);
    return answer("k_1");
  }

  fs::path dir;
  SampleWorld world;
  std::vector<TerminalEvent> events;
};

TEST_F(TerminalTest, AnswersAKnownMemberAsEntitledWithTheirRatio) {
  write_request("kakunin-web_k1_20261120063000_1", asked_for(member("taro")));
  ASSERT_EQ(answer_pending(TerminalMode::answer), 1);
  const auto a = answer("kakunin-web_k1_20261120063000_1");
  ASSERT_TRUE(a.parsed());
  EXPECT_EQ(a.header("SegmentOfResult"), "1");
  EXPECT_EQ(a.header("ArbitraryFileIdentifier"), "kakunin-online-7");
  EXPECT_EQ(a.header("MedicalInstitutionCode"), "1312345678");
  EXPECT_EQ(a.header("QualificationConfirmationDate"), "20261120");
  EXPECT_EQ(a.header("ReferenceClassification"), "2");
  EXPECT_EQ(a.header("CharacterCodeIdentifier"), "0");
  EXPECT_EQ(a.header("ProcessExecutionTime")->size(), 14u);
  EXPECT_EQ(a.body("ProcessingResultStatus"), "1");
  EXPECT_EQ(a.body("QualificationValidity"), "1");
  const crypto::Certificate& c = member("taro").certificate;
  EXPECT_EQ(a.result("InsurerNumber"), c.insurer_number);
  EXPECT_EQ(a.result("InsuredCardSymbol"), c.symbol);
  EXPECT_EQ(a.result("InsuredIdentificationNumber"), c.number);
  EXPECT_EQ(a.result("InsuredBranchNumber"), c.branch);
  EXPECT_EQ(a.result("PersonalFamilyClassification"), "1");
  EXPECT_EQ(a.result("Name"), c.name);
  EXPECT_EQ(a.result("NameKana"), "ﾐﾎﾝ ﾀﾛｳ");
  EXPECT_EQ(a.result("Sex1"), "1");
  EXPECT_EQ(a.result("Birthdate"), "19800401");
  EXPECT_EQ(a.result("InsuredCertificateIssuanceDate"), base::yyyymmdd(c.issued));
  EXPECT_EQ(a.result("InsuredCardValidDate"), base::yyyymmdd(c.issued));
  EXPECT_EQ(a.result("InsuredCardExpirationDate"), base::yyyymmdd(c.valid_until));
  EXPECT_EQ(a.result("InsuredPartialContributionRatio"), "030");
  EXPECT_EQ(a.result("InsurerName"), "見本健康保険組合");
  EXPECT_EQ(a.body("QualificationConfirmSearchInfo/InsuredIdentificationNumber"), c.number);
  EXPECT_EQ(a.body("QualificationConfirmSearchInfo/LimitApplicationCertificateRelatedConsFlg"),
            "0");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].answer_file, "OQSsiquc01res_kakunin-web_k1_20261120063000_1.xml");
  EXPECT_EQ(events[0].outcome, "entitled (validity 1)");
}

TEST_F(TerminalTest, TakesEachRequestFromReqAndAnswersItOnce) {
  write_request("k_1", asked_for(member("taro")));
  write_request("k_2", asked_for(member("ume")));
  TerminalSimulator terminal(world, options(TerminalMode::answer));
  EXPECT_EQ(terminal.answer_pending(), 2);
  EXPECT_TRUE(fs::is_empty(req()));
  EXPECT_EQ(terminal.answer_pending(), 0);
  EXPECT_EQ(answer("k_2").result("InsuredPartialContributionRatio"), "010");
  struct stat st {};
  ASSERT_EQ(::stat((res() / "OQSsiquc01res_k_1.xml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_FALSE(terminal.last_error());
}

TEST_F(TerminalTest, LeavesDotFilesAndOtherNamesAlone) {
  const std::string request = request_bytes(asked_for(member("taro")), XmlEncoding::utf8);
  for (const char* name : {".kakunin-tmp-abc", ".OQSsiquc01req_k_1.xml", "OQSsiquc01req_.xml",
                           "OQSsiquc01req_k 1.xml", "notes.txt", "OQSsiquc01res_k_1.xml"}) {
    ASSERT_TRUE(base::write_file_atomically(req() / name, request).ok());
  }
  EXPECT_EQ(answer_pending(TerminalMode::answer), 0);
  EXPECT_EQ(std::distance(fs::directory_iterator(req()), fs::directory_iterator()), 6);
  EXPECT_TRUE(fs::is_empty(res()));
}

TEST_F(TerminalTest, FindsASixDigitKokuhoNumberSentSpacePaddedAndEchoesItAsSent) {
  const auto a = ask("jiro", TerminalMode::answer);
  EXPECT_EQ(a.body("QualificationValidity"), "1");
  EXPECT_EQ(a.result("InsurerNumber"), "  138057");
  EXPECT_EQ(a.body("QualificationConfirmSearchInfo/InsurerNumber"), "  138057");
  EXPECT_EQ(a.count("//ResultOfQualificationConfirmation/InsuredCardSymbol"), 0) << "no 記号";
  EXPECT_EQ(a.result("InsurerName"), "見本市国民健康保険");
  EXPECT_EQ(a.result("Sex1"), "3");
}

TEST_F(TerminalTest, FindsAMemberOnlyByTheirOwnSymbolBranchAndBirthDate) {
  const Asked hanako = asked_for(member("hanako"));
  write_request("right", hanako);
  Asked wrong_birth = hanako;
  wrong_birth.birth_date = "19800401";
  write_request("wrong-birth", wrong_birth);
  Asked wrong_branch = hanako;
  wrong_branch.branch = "00";
  write_request("wrong-branch", wrong_branch);
  Asked no_symbol = hanako;
  no_symbol.symbol.clear();
  write_request("no-symbol", no_symbol);
  ASSERT_EQ(answer_pending(TerminalMode::answer), 4);
  const auto a = answer("right");
  EXPECT_EQ(a.body("QualificationValidity"), "1");
  EXPECT_EQ(a.result("InsuredCardSymbol"), "１２３");
  EXPECT_EQ(a.result("PersonalFamilyClassification"), "2");
  EXPECT_EQ(a.result("InsuredPartialContributionRatio"), "020");
  for (const char* suffix : {"wrong-birth", "wrong-branch", "no-symbol"}) {
    EXPECT_EQ(answer(suffix).body("QualificationValidity"), "4") << suffix;
  }
}

TEST_F(TerminalTest, AnswersAnUnknownMemberAsNotFoundWithoutAResultList) {
  Asked stranger = asked_for(member("taro"));
  stranger.number = "7654321";
  write_request("k_1", stranger);
  ASSERT_EQ(answer_pending(TerminalMode::answer), 1);
  const auto a = answer("k_1");
  EXPECT_EQ(a.body("ProcessingResultStatus"), "1");
  EXPECT_EQ(a.body("QualificationValidity"), "4");
  EXPECT_EQ(a.count("//ResultList"), 0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, "not found (validity 4): no such member");
}

TEST_F(TerminalTest, LostModeAnswersValidity2) {
  const auto a = ask("taro", TerminalMode::lost);
  EXPECT_EQ(a.body("QualificationValidity"), "2");
  EXPECT_EQ(a.result("InsuredIdentificationNumber"), member("taro").certificate.number);
}

TEST_F(TerminalTest, NotFoundModeAnswersValidity4EvenForAMember) {
  const auto a = ask("taro", TerminalMode::not_found);
  EXPECT_EQ(a.body("QualificationValidity"), "4");
  EXPECT_EQ(a.count("//ResultList"), 0);
}

TEST_F(TerminalTest, ErrorModeAnswersProcessingStatus2WithAnErrorCode) {
  const auto a = ask("taro", TerminalMode::error);
  ASSERT_TRUE(a.parsed());
  EXPECT_EQ(a.header("SegmentOfResult"), "9");
  EXPECT_EQ(a.header("ErrorCode"), "EOQS4001");
  EXPECT_FALSE(a.header("ErrorMessage").value_or("").empty());
  EXPECT_EQ(a.body("ProcessingResultStatus"), "2");
  EXPECT_EQ(a.body("ProcessingResultCode"), "EOQS4001");
  EXPECT_FALSE(a.body("ProcessingResultMessage").value_or("").empty());
  EXPECT_EQ(a.count("//QualificationValidity"), 0);
  EXPECT_EQ(a.count("//ResultList"), 0);
}

TEST_F(TerminalTest, OtherRatioModeAnswersARatioTheCertificateDoesNotHave) {
  write_request("taro", asked_for(member("taro")));      // 3割
  write_request("hanako", asked_for(member("hanako")));  // 2割
  write_request("ume", asked_for(member("ume")));        // 1割
  ASSERT_EQ(answer_pending(TerminalMode::other_ratio), 3);
  EXPECT_EQ(answer("taro").result("InsuredPartialContributionRatio"), "020");
  EXPECT_EQ(answer("hanako").result("InsuredPartialContributionRatio"), "030");
  EXPECT_EQ(answer("ume").result("InsuredPartialContributionRatio"), "030");
  EXPECT_EQ(answer("ume").body("QualificationValidity"), "1");
}

TEST_F(TerminalTest, OtherRequestModeAnswersWithAnotherFileIdentifier) {
  const auto a = ask("taro", TerminalMode::other_request);
  ASSERT_TRUE(a.header("ArbitraryFileIdentifier"));
  EXPECT_NE(a.header("ArbitraryFileIdentifier"), "kakunin-online-7");
  EXPECT_EQ(a.body("QualificationValidity"), "1");
}

TEST_F(TerminalTest, MalformedModeWritesADocumentCutInTheMiddle) {
  write_request("k_1", asked_for(member("taro")));
  ASSERT_EQ(answer_pending(TerminalMode::malformed), 1);
  const std::string bytes = answer_bytes("k_1");
  EXPECT_TRUE(bytes.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""));
  EXPECT_EQ(bytes.find("</XmlMsg>"), std::string::npos);
  EXPECT_FALSE(answer("k_1").parsed());
}

TEST_F(TerminalTest, OversizedModeWritesAnAnswerPastOneMebibyte) {
  write_request("k_1", asked_for(member("taro")));
  ASSERT_EQ(answer_pending(TerminalMode::oversized), 1);
  const std::string bytes = answer_bytes("k_1");
  EXPECT_GT(bytes.size(), kMebibyte);
  EXPECT_TRUE(bytes.starts_with("<?xml version=\"1.0\""));
  EXPECT_NE(bytes.find("</XmlMsg>"), std::string::npos);
}

TEST_F(TerminalTest, InPiecesModeWritesTheFinalNameInPartsAndWholeAtTheEnd) {
  write_request("k_1", asked_for(member("taro")));
  TerminalOptions o = options(TerminalMode::in_pieces);
  o.piece_pause = 100ms;
  const fs::path final_name = res() / "OQSsiquc01res_k_1.xml";
  std::atomic<bool> done{false};
  std::thread terminal([&] {
    answer_pending(std::move(o));
    done = true;
  });
  bool seen_part = false;
  while (!done) {
    std::error_code error;
    const auto size = fs::file_size(final_name, error);
    if (!error && size > 0 && answer_bytes("k_1").find("</XmlMsg>") == std::string::npos) {
      seen_part = true;
    }
    std::this_thread::sleep_for(5ms);
  }
  terminal.join();
  EXPECT_TRUE(seen_part) << "a reader saw the answer only whole";
  const auto a = answer("k_1");
  ASSERT_TRUE(a.parsed());
  EXPECT_EQ(a.body("QualificationValidity"), "1");
  EXPECT_EQ(a.result("Name"), member("taro").certificate.name);
}

TEST_F(TerminalTest, LateModeAnswersOnlyAfterTheDelay) {
  write_request("k_1", asked_for(member("taro")));
  TerminalOptions o = options(TerminalMode::late);
  o.delay = 50ms;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(answer_pending(std::move(o)), 1);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
  EXPECT_EQ(answer("k_1").body("QualificationValidity"), "1");
}

TEST_F(TerminalTest, NoAnswerModeTakesTheRequestAndWritesNothing) {
  write_request("k_1", asked_for(member("taro")));
  ASSERT_EQ(answer_pending(TerminalMode::no_answer), 1);
  EXPECT_TRUE(fs::is_empty(req()));
  EXPECT_TRUE(fs::is_empty(res()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].answer_file.empty());
}

TEST_F(TerminalTest, ShiftJisAnswersAreCp932WithTheirDeclaration) {
  write_request("k_1", asked_for(member("hanako")));
  ASSERT_EQ(answer_pending(TerminalMode::answer, XmlEncoding::shift_jis), 1);
  const std::string bytes = answer_bytes("k_1");
  EXPECT_TRUE(
      bytes.starts_with("<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>"));
  EXPECT_FALSE(base::is_valid_utf8(bytes)) << "kanji in CP932 are not UTF-8";
  EXPECT_NE(bytes.find(base::utf8_to_cp932("見本健康保険組合").value()), std::string::npos);
  const auto a = answer("k_1", XmlEncoding::shift_jis);
  ASSERT_TRUE(a.parsed());
  EXPECT_EQ(a.header("CharacterCodeIdentifier"), "1");
  EXPECT_EQ(a.result("Name"), "見本 花子");
  EXPECT_EQ(a.result("InsuredCardSymbol"), "１２３");
  EXPECT_EQ(a.result("NameKana"), "ﾐﾎﾝ ﾊﾅｺ");
}

TEST_F(TerminalTest, EscapesRosterValuesInTheAnswer) {
  world.members[0].certificate.name = "見本 <&\"'> 太郎";
  const auto a = ask(world.members[0].id, TerminalMode::answer);
  ASSERT_TRUE(a.parsed());
  EXPECT_EQ(a.result("Name"), "見本 <&\"'> 太郎");
}

TEST_F(TerminalTest, WritesNoShiftJisAnswerForANameCp932CannotHoldAndSaysWhy) {
  world.members[0].certificate.name = "見本 \U00020BB7郎";  // 𠮷: not in CP932
  write_request("k_1", asked_for(world.members[0]));
  TerminalSimulator terminal(world, options(TerminalMode::answer, XmlEncoding::shift_jis));
  EXPECT_EQ(terminal.answer_pending(), 1);
  EXPECT_TRUE(fs::is_empty(res()));
  ASSERT_TRUE(terminal.last_error());
  EXPECT_NE(terminal.last_error()->find("Shift_JIS"), std::string::npos) << *terminal.last_error();
  EXPECT_EQ(terminal.last_error()->find("\U00020BB7"), std::string::npos) << "no personal data";
}

TEST_F(TerminalTest, ReadsAShiftJisRequest) {
  write_request("k_1", asked_for(member("hanako")), XmlEncoding::shift_jis);
  ASSERT_EQ(answer_pending(TerminalMode::answer, XmlEncoding::shift_jis), 1);
  EXPECT_EQ(answer("k_1", XmlEncoding::shift_jis).body("QualificationValidity"), "1");
}

TEST_F(TerminalTest, ARequestThatDoesNotParseGetsAnErrorAnswer) {
  write_raw_request("cut",
                    request_bytes(asked_for(member("taro")), XmlEncoding::utf8).substr(0, 300));
  write_raw_request(
      "doctype",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE XmlMsg [<!ENTITY a \"x\">]>\n"
      "<XmlMsg><MessageBody><InsurerNumber>&a;</InsurerNumber></MessageBody></XmlMsg>\n");
  write_raw_request("not-xmlmsg", "<?xml version=\"1.0\"?>\n<Other/>\n");
  write_raw_request("latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<XmlMsg/>\n");
  ASSERT_EQ(answer_pending(TerminalMode::answer), 4);
  for (const char* suffix : {"cut", "doctype", "not-xmlmsg", "latin1"}) {
    const auto a = answer(suffix);
    ASSERT_TRUE(a.parsed()) << suffix;
    EXPECT_EQ(a.header("SegmentOfResult"), "9") << suffix;
    EXPECT_EQ(a.body("ProcessingResultStatus"), "2") << suffix;
    EXPECT_EQ(a.count("//ResultList"), 0) << suffix;
  }
  EXPECT_TRUE(fs::is_empty(req()));
}

TEST_F(TerminalTest, ProcessExecutionTimeIsJapanTimeOfTheAnswer) {
  base::FakeClock clock(kNow);  // 2026-11-20T00:00:00Z: 09:00 in Japan
  TerminalOptions o = options(TerminalMode::answer);
  o.clock = &clock;
  write_request("k_1", asked_for(member("taro")));
  ASSERT_EQ(answer_pending(std::move(o)), 1);
  EXPECT_EQ(answer("k_1").header("ProcessExecutionTime"), "20261120090000");
}

TEST_F(TerminalTest, RunAnswersRequestsAsTheyArriveUntilStopped) {
  std::atomic<bool> stop{false};
  TerminalSimulator simulator(world, options(TerminalMode::answer));
  std::thread terminal([&] { simulator.run(stop); });
  write_request("k_1", asked_for(member("ume")));
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!fs::exists(res() / "OQSsiquc01res_k_1.xml") && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  stop = true;
  terminal.join();
  EXPECT_EQ(answer("k_1").body("QualificationValidity"), "1");
}

TEST_F(TerminalTest, ReportsAnAnswerItCannotWrite) {
  fs::remove_all(res());
  write_request("k_1", asked_for(member("taro")));
  TerminalSimulator terminal(world, options(TerminalMode::answer));
  EXPECT_EQ(terminal.answer_pending(), 1);
  ASSERT_TRUE(terminal.last_error());
  EXPECT_NE(terminal.last_error()->find("OQSsiquc01res_k_1.xml"), std::string::npos);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].outcome.starts_with("not written")) << events[0].outcome;
}

TEST(TerminalModes, EveryNameReadsBackAndUnknownNamesAreRefused) {
  for (const std::string& name : terminal_mode_names()) {
    const auto mode = terminal_mode_from_name(name);
    ASSERT_TRUE(mode) << name;
    EXPECT_EQ(terminal_mode_name(*mode), name);
  }
  EXPECT_EQ(terminal_mode_names().size(), 11u);
  EXPECT_EQ(terminal_mode_from_name("no_answer"), std::nullopt);
  EXPECT_EQ(terminal_mode_from_name(""), std::nullopt);
}

TEST_F(TerminalTest, TerminalCommandAnswersOnceAndPrintsNoPersonalData) {
  write_request("k_1", asked_for(member("hanako")));
  write_request("k_2", asked_for(member("jiro")));
  const auto run =
      sample_cli({"terminal", "--world", (dir / "world").string(), "--req", req().string(), "--res",
                  res().string(), "--encoding", "shift_jis", "--mode", "lost", "--once"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2) << run.out;
  EXPECT_NE(run.out.find("OQSsiquc01req_k_1.xml (mode lost)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("OQSsiquc01res_k_2.xml"), std::string::npos) << run.out;
  for (const std::string& personal :
       {std::string("見本"), std::string("138057"), std::string("1234567"), std::string("20210810"),
        std::string("ﾐﾎﾝ")}) {
    EXPECT_EQ(run.out.find(personal), std::string::npos) << personal;
  }
  EXPECT_EQ(answer("k_2", XmlEncoding::shift_jis).body("QualificationValidity"), "2");
}

TEST_F(TerminalTest, TerminalCommandRefusesAMissingFolderAndAnUnknownMode) {
  const std::string world_dir = (dir / "world").string();
  const auto missing = sample_cli({"terminal", "--world", world_dir, "--req",
                                   (dir / "none").string(), "--res", res().string(), "--once"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--req"), std::string::npos) << missing.err;
  const auto unknown = sample_cli({"terminal", "--world", world_dir, "--req", req().string(),
                                   "--res", res().string(), "--mode", "sometimes", "--once"});
  EXPECT_EQ(unknown.status, 2);
}

}  // namespace
}  // namespace kakunin::sample::testing
