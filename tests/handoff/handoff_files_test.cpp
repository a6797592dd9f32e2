// The file channels: what lands in the レセコン's folders, the JSON record's schema,
// and the cases where nothing may be handed over. send() queues; the channel
// threads deliver, so each test waits for the hand-off to settle.
#include <gtest/gtest.h>
#include <kakunin/base/text_encoding.h>
#include <sys/stat.h>

#include <mutex>

#include <nlohmann/json.hpp>

#include "handoff_test_support.h"

namespace kakunin::handoff {
namespace {

using crypto::Algorithm;
using nlohmann::json;
using testing::kNow;
using testing::TempFolder;
using testing::verified_presentation;

struct Folders {
  TempFolder root;
  std::filesystem::path res = root / "res";
  std::filesystem::path json_dir = root / "json";
  std::filesystem::path outbox = root / "outbox";
  Folders() {
    std::filesystem::create_directory(res);
    std::filesystem::create_directory(json_dir);
  }
  config::HandoffSettings settings(config::XmlEncoding encoding = config::XmlEncoding::utf8) const {
    config::HandoffSettings s;
    s.enabled = true;
    s.xml_dir = res;
    s.xml_encoding = encoding;
    s.json_dir = json_dir;
    s.outbox_dir = outbox;
    return s;
  }
};

// A default Logger drops every line.
HandoffOptions quiet() { return {}; }

std::unique_ptr<Handoff> make(const config::HandoffSettings& settings,
                              HandoffOptions options = quiet()) {
  auto created = Handoff::create(settings, "kiosk-test", std::move(options));
  EXPECT_TRUE(created.handoff) << created.error;
  if (created.handoff) created.handoff->start();
  return std::move(created.handoff);
}

// Sends and waits until every channel delivered it (or failed for good).
Outcome hand_over(Handoff& handoff, const crypto::VerifiedPresentation& p, crypto::UnixSeconds at,
                  const OnlineCheckResult* online = nullptr) {
  const Outcome queued = handoff.send(p, at, online);
  if (queued.sequence == 0) return queued;
  const auto settled = testing::settled_outcome(handoff, queued.sequence);
  EXPECT_TRUE(settled) << "hand-off #" << queued.sequence << " never settled";
  return settled.value_or(queued);
}

mode_t permissions(const std::filesystem::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

TEST(HandoffFiles, WritesResultXmlAndJsonRecord) {
  Folders folders;
  auto handoff = make(folders.settings());
  const auto p = verified_presentation(Algorithm::es256);
  const Outcome queued = handoff->send(p, kNow);
  EXPECT_EQ(queued.kind, Outcome::Kind::queued) << "send() only queues";
  const Outcome status = testing::settled_outcome(*handoff, queued.sequence).value_or(queued);
  ASSERT_EQ(status.kind, Outcome::Kind::sent) << status.detail;
  EXPECT_EQ(status.sequence, 1u);
  ASSERT_EQ(status.channels.size(), 2u);

  const auto xml_files = testing::files_in(folders.res);
  ASSERT_EQ(xml_files.size(), 1u) << "no temp file may stay behind";
  EXPECT_EQ(xml_files[0], status.channels[0].file);
  EXPECT_EQ(xml_files[0].filename(), "OQSsiquc01res_kakunin-web_kiosk-test_20261120090000_1.xml");
  EXPECT_EQ(permissions(xml_files[0]), 0640u);
  const auto doc = testing::XmlDocument::parse(testing::read_file(xml_files[0]));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->text(std::string(testing::kResultPath) + "Name"), "見本 太郎");

  const auto json_files = testing::files_in(folders.json_dir);
  ASSERT_EQ(json_files.size(), 1u);
  EXPECT_EQ(json_files[0].filename(), "kakunin-handoff_kiosk-test_20261120090000_1.json");
  EXPECT_EQ(permissions(json_files[0]), 0640u);
}

// What the online check accepted from the 連携アプリ: a UTF-8 document (as the
// check keeps it) saying 無効 for the certificate handed over.
OnlineCheckResult national_answer_lost() {
  auto answer = std::make_shared<online::NationalAnswer>();
  answer->file_name = "OQSsiquc01res_kakunin-desk-1_20261120090000_00.xml";
  answer->document =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg><MessageHeader>"
      "<ArbitraryFileIdentifier>00</ArbitraryFileIdentifier><SegmentOfResult>1</SegmentOfResult>"
      "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader><MessageBody>"
      "<ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>2"
      "</QualificationValidity><ResultList><ResultOfQualificationConfirmation><Name>髙橋 "
      "太郎</Name>"
      "</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>\n";
  answer->segment_of_result = "1";
  answer->processing_result_status = "1";
  answer->validity = "2";
  answer->qualification = online::Qualification{};
  answer->qualification->name = "髙橋 太郎";
  return {{online::OnlineState::not_entitled, online::OnlineReason::lost, {}, {}}, answer};
}

TEST(HandoffFiles, TheReceiptComputerGetsTheNationalAnswerInItsOwnEncoding) {
  Folders folders;
  auto handoff = make(folders.settings(config::XmlEncoding::shift_jis));
  const OnlineCheckResult online = national_answer_lost();
  ASSERT_EQ(hand_over(*handoff, verified_presentation(Algorithm::es256), kNow, &online).kind,
            Outcome::Kind::sent);
  const std::string bytes = testing::read_file(testing::files_in(folders.res).at(0));
  EXPECT_TRUE(bytes.starts_with("<?xml version=\"1.0\" encoding=\"Shift_JIS\""));
  const auto utf8 = base::cp932_to_utf8(bytes);
  ASSERT_TRUE(utf8.ok()) << "CP932, as the receipt computer reads Shift_JIS";
  EXPECT_NE(utf8.value().find("<QualificationValidity>2</QualificationValidity>"),
            std::string::npos)
      << "the national 無効, not the kiosk's own 有効";
  EXPECT_NE(utf8.value().find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"),
            std::string::npos);
  EXPECT_NE(utf8.value().find("髙橋"), std::string::npos);
  const json record = json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)));
  EXPECT_EQ(record["online"]["state"], "not_entitled");
  EXPECT_EQ(record["online"]["reason"], "lost");
  EXPECT_EQ(record["online"]["answer"]["qualification_validity"], "2");
}

TEST(HandoffFiles, WithoutANationalAnswerTheKioskHandsOverItsOwnResult) {
  Folders folders;
  auto handoff = make(folders.settings());
  const OnlineCheckResult timed_out{
      {online::OnlineState::unavailable, online::OnlineReason::timed_out, {}, {}}, nullptr};
  ASSERT_EQ(hand_over(*handoff, verified_presentation(Algorithm::es256), kNow, &timed_out).kind,
            Outcome::Kind::sent);
  const auto doc =
      testing::XmlDocument::parse(testing::read_file(testing::files_in(folders.res).at(0)));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->text(std::string(testing::kResultPath) + "Name"), "見本 太郎");
  const json record = json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)));
  EXPECT_EQ(record["online"]["reason"], "timed_out");
  EXPECT_TRUE(record["online"]["answer"].is_null());
}

TEST(HandoffFiles, JsonRecordRoundTripsEveryField) {
  Folders folders;
  auto handoff = make(folders.settings());
  const auto p = verified_presentation(Algorithm::ed25519, [](crypto::Certificate& c) {
    c.relationship = crypto::Relationship::dependent;
    c.limit_category = "区ア";
    c.category = crypto::IssueCategory::on_application;
    c.reason = 2;
    c.sex = crypto::Sex::female;
  });
  ASSERT_EQ(hand_over(*handoff, p, kNow + 61).kind, Outcome::Kind::sent);
  const json record = json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)));

  EXPECT_EQ(record["format"], "kakunin-handoff");
  EXPECT_EQ(record["version"], 1);
  EXPECT_EQ(record["sequence"], 1);
  EXPECT_EQ(record["kiosk_id"], "kiosk-test");
  EXPECT_EQ(record["checked_at"], "2026-11-20T09:01:01+09:00");
  EXPECT_EQ(record["checked_at_unix"], kNow + 61);
  EXPECT_EQ(record["presented_at"], "2026-11-20T08:59:57+09:00");
  EXPECT_EQ(record["qr_age_seconds"], p.age_seconds);
  EXPECT_EQ(record["profile"], "issuer");
  EXPECT_EQ(record["test_material"], false);
  EXPECT_EQ(record["freshness_skipped"], false);
  EXPECT_EQ(record["insurer_name"], "見本市国民健康保険");
  EXPECT_EQ(record["credential_id"].get<std::string>().size(), 32u);

  const crypto::Certificate& c = p.certificate;
  const json& cert = record["certificate"];
  EXPECT_EQ(cert["insurer_number"], "138057") << "JSON keeps the number as on the certificate";
  EXPECT_EQ(cert["symbol"], *c.symbol);
  EXPECT_EQ(cert["number"], c.number);
  EXPECT_EQ(cert["branch"], c.branch);
  EXPECT_EQ(cert["name"], c.name);
  EXPECT_EQ(cert["name_kana"], *c.name_kana) << "JSON keeps the kana as on the certificate";
  EXPECT_EQ(cert["birth_date"], "1980-04-01");
  EXPECT_EQ(cert["sex"], 2);
  EXPECT_EQ(cert["relationship"], 2);
  EXPECT_EQ(cert["acquired"], "2020-04-01");
  EXPECT_EQ(cert["issued"], "2026-04-01");
  EXPECT_EQ(cert["valid_until"], "2027-03-31");
  EXPECT_EQ(cert["ratio_tenths"], 3);
  EXPECT_EQ(cert["limit_category"], "区ア");
  EXPECT_EQ(cert["issue_category"], 2);
  EXPECT_EQ(cert["reason"], 2);
  EXPECT_EQ(cert.size(), 16u) << "every hic field but v, and nothing else";
}

TEST(HandoffFiles, AbsentOptionalFieldsAreNullInJson) {
  Folders folders;
  auto handoff = make(folders.settings());
  const auto p = verified_presentation(Algorithm::es256, [](crypto::Certificate& c) {
    c.symbol.reset();
    c.name_kana.reset();
    c.acquired.reset();
    c.ratio_tenths.reset();
  });
  ASSERT_EQ(hand_over(*handoff, p, kNow).kind, Outcome::Kind::sent);
  const json cert =
      json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)))["certificate"];
  for (const char* key :
       {"symbol", "name_kana", "acquired", "ratio_tenths", "limit_category", "reason"}) {
    EXPECT_TRUE(cert.contains(key) && cert[key].is_null()) << key;
  }
}

TEST(HandoffFiles, HolderBoundProfileIsRecorded) {
  Folders folders;
  auto handoff = make(folders.settings());
  const auto& world = testing::shared_world();
  const auto result = world.verifier().verify(world.holder_qr(Algorithm::es256), kNow);
  ASSERT_TRUE(result.is_valid()) << result.detail();
  ASSERT_EQ(hand_over(*handoff, *result.presentation(), kNow).kind, Outcome::Kind::sent);
  const json record = json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)));
  EXPECT_EQ(record["profile"], "holder");
}

TEST(HandoffFiles, SequenceNumbersIncreaseAcrossSends) {
  Folders folders;
  auto handoff = make(folders.settings());
  const auto p = verified_presentation(Algorithm::es256);
  EXPECT_EQ(hand_over(*handoff, p, kNow).sequence, 1u);
  EXPECT_EQ(hand_over(*handoff, p, kNow).sequence, 2u);
  EXPECT_EQ(hand_over(*handoff, p, kNow).sequence, 3u);
  EXPECT_EQ(testing::files_in(folders.res).size(), 3u) << "same second, distinct files";
}

TEST(HandoffFiles, UnmappableCharacterFailsOnlyTheShiftJisFile) {
  Folders folders;
  auto handoff = make(folders.settings(config::XmlEncoding::shift_jis));
  const auto p =
      verified_presentation(Algorithm::es256, [](crypto::Certificate& c) { c.name = "𠮷田 太郎"; });
  const Outcome queued = handoff->send(p, kNow);
  EXPECT_EQ(queued.kind, Outcome::Kind::partial) << "staff know at once to retype";
  ASSERT_EQ(queued.channels.size(), 2u);
  EXPECT_EQ(queued.channels[0].channel, Channel::xml);
  EXPECT_EQ(queued.channels[0].outcome, ChannelOutcome::failed);
  EXPECT_NE(queued.channels[0].detail.find("CP932"), std::string::npos);
  const Outcome status = testing::settled_outcome(*handoff, queued.sequence).value_or(queued);
  EXPECT_EQ(status.kind, Outcome::Kind::partial);
  EXPECT_EQ(status.channels[1].outcome, ChannelOutcome::sent);
  EXPECT_EQ(testing::files_in(folders.json_dir).size(), 1u);
  EXPECT_TRUE(testing::files_in(folders.res).empty()) << "no half-converted file";
}

TEST(HandoffFiles, LogsNeverCarryPersonalData) {
  Folders folders;
  base::CapturingLogSink log;
  HandoffOptions options;
  options.log = base::Logger(log);
  auto handoff = make(folders.settings(config::XmlEncoding::shift_jis), options);
  hand_over(*handoff, verified_presentation(Algorithm::es256), kNow);
  hand_over(
      *handoff,
      verified_presentation(Algorithm::es256, [](crypto::Certificate& c) { c.name = "𠮷田 太郎"; }),
      kNow);
  std::filesystem::remove_all(folders.res);  // the share goes away: failures are logged too
  handoff->send(verified_presentation(Algorithm::es256), kNow);
  ASSERT_TRUE(
      testing::eventually([&] { return handoff->queue().channels[0].consecutive_failures > 0; }));
  const std::vector<std::string> lines = log.lines();
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    for (const char* secret : {"見本", "太郎", "𠮷", "1234567", "06139992", "19800401", "ﾐﾎﾝ"}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }
  }
}

TEST(HandoffFiles, ScreenIsToldWhenTheHandOffIsQueuedAndWhenItIsSent) {
  Folders folders;
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, Outcome::Kind>> told;
  HandoffOptions options = quiet();
  options.on_outcome = [&](const Outcome& o) {
    std::lock_guard lock(mutex);
    told.emplace_back(o.sequence, o.kind);
  };
  auto handoff = make(folders.settings(), options);
  const Outcome sent = hand_over(*handoff, verified_presentation(Algorithm::es256), kNow);
  ASSERT_EQ(sent.kind, Outcome::Kind::sent);
  handoff->stop();
  std::lock_guard lock(mutex);
  ASSERT_GE(told.size(), 2u);
  EXPECT_EQ(told.front(), std::make_pair(sent.sequence, Outcome::Kind::queued));
  EXPECT_EQ(told.back(), std::make_pair(sent.sequence, Outcome::Kind::sent));
}

TEST(HandoffFiles, OnlyRecentOutcomesAreKept) {
  Folders folders;
  auto handoff = make(folders.settings());
  handoff->stop();  // queue only: this is about memory, not delivery
  const auto p = verified_presentation(Algorithm::es256);
  for (int i = 0; i < 70; ++i) handoff->send(p, kNow);
  EXPECT_FALSE(handoff->outcome(1)) << "memory does not grow with the queue";
  EXPECT_TRUE(handoff->outcome(70));
  EXPECT_EQ(handoff->queue().pending, 70u) << "the outbox still holds them all";
}

TEST(HandoffFiles, DisabledHandoffWritesNothing) {
  Folders folders;
  config::HandoffSettings settings = folders.settings();
  settings.enabled = false;
  auto handoff = make(settings);
  const Outcome status = handoff->send(verified_presentation(Algorithm::es256), kNow);
  EXPECT_EQ(status.kind, Outcome::Kind::disabled);
  EXPECT_TRUE(testing::files_in(folders.res).empty());
  EXPECT_TRUE(testing::files_in(folders.json_dir).empty());
  EXPECT_FALSE(std::filesystem::exists(folders.outbox)) << "a disabled hand-off touches no disk";
  EXPECT_EQ(handoff->queue().pending, 0u);
}

TEST(HandoffFiles, TestMaterialIsRefusedUnlessTheKioskIsInTestMode) {
  Folders folders;
  auto p = verified_presentation(Algorithm::es256);
  p.test_material = true;
  {
    auto handoff = make(folders.settings());
    const Outcome status = handoff->send(p, kNow);
    EXPECT_EQ(status.kind, Outcome::Kind::failed);
    EXPECT_NE(status.detail.find("TEST"), std::string::npos);
    handoff->stop();
    EXPECT_TRUE(testing::files_in(folders.res).empty());
    EXPECT_EQ(handoff->queue().pending, 0u) << "nothing queued either";
  }
  HandoffOptions test_mode = quiet();
  test_mode.hand_over_test_material = true;
  auto handoff = make(folders.settings(), test_mode);
  EXPECT_EQ(hand_over(*handoff, p, kNow).kind, Outcome::Kind::sent);
  const json record = json::parse(testing::read_file(testing::files_in(folders.json_dir).at(0)));
  EXPECT_EQ(record["test_material"], true);
}

TEST(HandoffFiles, MissingResFolderIsReportedAndItsHandOffsWait) {
  // create() never touches a share (it may hang); the XML channel finds out on its
  // own thread, says so, and keeps the hand-off until the folder is there.
  Folders folders;
  config::HandoffSettings settings = folders.settings();
  settings.xml_dir = folders.root / "not-there";
  auto handoff = make(settings);
  ASSERT_TRUE(handoff);
  const Outcome queued = handoff->send(verified_presentation(Algorithm::es256), kNow);
  EXPECT_EQ(queued.kind, Outcome::Kind::queued);
  ASSERT_TRUE(
      testing::eventually([&] { return handoff->queue().channels[0].consecutive_failures > 0; }));
  const ChannelFigures xml = handoff->queue().channels[0];
  EXPECT_EQ(xml.channel, Channel::xml);
  EXPECT_NE(xml.last_error.find("handoff.xml_dir"), std::string::npos) << xml.last_error;
  EXPECT_EQ(xml.pending, 1u);
  ASSERT_TRUE(testing::eventually([&] {
    return handoff->outcome(queued.sequence)->channels[1].outcome == ChannelOutcome::sent;
  })) << "the JSON channel does not wait for the XML one";
  EXPECT_EQ(handoff->outcome(queued.sequence)->channels[0].outcome, ChannelOutcome::queued);

  std::filesystem::create_directory(settings.xml_dir);  // the share is back
  handoff->retry_now();
  const auto settled = testing::settled_outcome(*handoff, queued.sequence);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->kind, Outcome::Kind::sent);
  EXPECT_EQ(testing::files_in(settings.xml_dir).size(), 1u);
}

TEST(HandoffFiles, ResFolderThatVanishesHoldsOnlyTheXmlChannel) {
  Folders folders;
  auto handoff = make(folders.settings());
  ASSERT_EQ(hand_over(*handoff, verified_presentation(Algorithm::es256), kNow).kind,
            Outcome::Kind::sent);
  std::filesystem::remove_all(folders.res);  // a network share that went away
  const Outcome queued = handoff->send(verified_presentation(Algorithm::es256), kNow);
  ASSERT_TRUE(
      testing::eventually([&] { return handoff->queue().channels[0].consecutive_failures > 0; }));
  EXPECT_FALSE(handoff->queue().channels[0].last_error.empty());
  ASSERT_TRUE(testing::eventually([&] { return handoff->queue().channels[1].pending == 0; }));
  EXPECT_EQ(testing::files_in(folders.json_dir).size(), 2u);
  const auto now = handoff->outcome(queued.sequence);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->kind, Outcome::Kind::queued) << "waiting, not lost";
  EXPECT_FALSE(now->channels[0].detail.empty()) << "the screen can say why it waits";
}

}  // namespace
}  // namespace kakunin::handoff
