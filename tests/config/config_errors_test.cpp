// What an IT vendor sees when kakunin.toml is wrong: every error, each with its
// line, the key and what is allowed. A broken file never yields a config.
#include <kakunin/config/config.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace kakunin::config {

// Failure messages show the error as the CLI prints it.
void PrintTo(const ConfigError& error, std::ostream* out) {
  *out << format_error(error, "kakunin.toml");
}

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::vector<ConfigError> errors_of(const std::string& text) {
  const LoadResult result = load_text(text, "kakunin.toml");
  if (std::holds_alternative<KioskConfig>(result)) return {};
  return std::get<std::vector<ConfigError>>(result);
}

KioskConfig config_of(const std::string& text) {
  const LoadResult result = load_text(text, "kakunin.toml");
  if (const auto* errors = std::get_if<std::vector<ConfigError>>(&result)) {
    std::string all;
    for (const auto& error : *errors) all += format_error(error, "kakunin.toml") + "\n";
    ADD_FAILURE() << "unexpected errors:\n" << all;
    return {};
  }
  return std::get<KioskConfig>(result);
}

auto IsError(int line, const std::string& key, const std::string& message_part) {
  return AllOf(Field(&ConfigError::line, line), Field(&ConfigError::key, key),
               Field(&ConfigError::message, HasSubstr(message_part)));
}

TEST(ConfigErrors, SuggestsTheSectionForATypo) {
  EXPECT_THAT(errors_of("[kisok]\nid = \"a\"\n"),
              ElementsAre(IsError(1, "kisok", "unknown key 'kisok' (did you mean 'kiosk'?)")));
}

// node_exporter's textfile collector reads only *.prom: another name would be
// written every minute and never read.
TEST(ConfigErrors, MetricsTextfileMustBeAnAbsolutePromFile) {
  EXPECT_THAT(errors_of("[metrics]\ntextfile_path = \"/var/lib/node/kakunin.txt\"\n"),
              ElementsAre(IsError(2, "metrics.textfile_path", "must end in .prom")));
  EXPECT_THAT(errors_of("[metrics]\ntextfile_path = \"kakunin.prom\"\n"),
              ElementsAre(IsError(2, "metrics.textfile_path", "absolute path")));
  EXPECT_THAT(errors_of("[metrics]\ninterval_seconds = 5\n"),
              ElementsAre(IsError(2, "metrics.interval_seconds", "from 10 to 3600")));
  const KioskConfig on =
      config_of("[metrics]\nenabled = true\ntextfile_path = \"/srv/textfile/kakunin.prom\"\n");
  EXPECT_TRUE(on.metrics.enabled);
  EXPECT_EQ(on.metrics.textfile_path, "/srv/textfile/kakunin.prom");
  EXPECT_FALSE(KioskConfig{}.metrics.enabled) << "off unless configured";
}

TEST(ConfigErrors, SuggestsTheKeyForATypoInsideASection) {
  EXPECT_THAT(errors_of("[kiosk]\n\nmdoe = \"test\"\n"),
              ElementsAre(IsError(3, "kiosk.mdoe", "(did you mean 'mode'?)")));
}

TEST(ConfigErrors, SaysWhichSectionAMisplacedKeyBelongsIn) {
  EXPECT_THAT(errors_of("[kiosk]\ninterval_minutes = 30\n"),
              ElementsAre(IsError(2, "kiosk.interval_minutes", "it belongs in [trust]")));
  EXPECT_THAT(errors_of("retention_days = 2000\n"),
              ElementsAre(IsError(1, "retention_days", "it belongs in [audit]")));
}

TEST(ConfigErrors, RefusesAnUnknownKeyWithNothingClose) {
  EXPECT_THAT(errors_of("[audio]\nbrightness = 3\n"),
              ElementsAre(IsError(2, "audio.brightness", "unknown key 'brightness' in [audio]")));
}

TEST(ConfigErrors, NamesTheAllowedValuesOfAnEnumeration) {
  EXPECT_THAT(
      errors_of("[kiosk]\nmode = \"prod\"\n"),
      ElementsAre(IsError(2, "kiosk.mode", "'prod' is not allowed; use production or test")));
  EXPECT_THAT(errors_of("[capture]\nkind = \"webcam\"\n"),
              ElementsAre(IsError(2, "capture.kind",
                                  "use camera, serial_scanner, hid_scanner, image_folder or "
                                  "video_file")));
  EXPECT_THAT(errors_of("[log]\nlevel = \"verbose\"\n"),
              ElementsAre(IsError(2, "log.level", "use error, warn, info or debug")));
}

TEST(ConfigErrors, GivesTheRangeOfAnIntegerOutOfRange) {
  EXPECT_THAT(errors_of("[trust]\ninterval_minutes = 3\n"),
              ElementsAre(IsError(2, "trust.interval_minutes",
                                  "must be an integer from 5 to 1440, not 3")));
  EXPECT_THAT(errors_of("[audio]\nvolume_percent = 101\n"),
              ElementsAre(IsError(2, "audio.volume_percent", "from 0 to 100")));
}

TEST(ConfigErrors, GivesTheRangeWhenAnIntegerIsQuotedOrFractional) {
  EXPECT_THAT(
      errors_of("[trust]\ninterval_minutes = \"60\"\n"),
      ElementsAre(IsError(2, "trust.interval_minutes", "must be an integer from 5 to 1440")));
  EXPECT_THAT(errors_of("[kiosk]\nresult_seconds = 2.5\n"),
              ElementsAre(IsError(2, "kiosk.result_seconds", "must be an integer from 3 to 300")));
}

TEST(ConfigErrors, RefusesAQuotedBoolean) {
  EXPECT_THAT(errors_of("[kiosk]\nfullscreen = \"yes\"\n"),
              ElementsAre(IsError(2, "kiosk.fullscreen", "must be true or false")));
}

TEST(ConfigErrors, RefusesABaudRateNoScannerUses) {
  EXPECT_THAT(errors_of("[capture]\nbaud = 9601\n"),
              ElementsAre(IsError(2, "capture.baud", "must be one of 1200, 2400")));
}

TEST(ConfigErrors, RefusesRelativePaths) {
  EXPECT_THAT(errors_of("[trust]\nstate_dir = \"var/lib/kakunin\"\n"),
              ElementsAre(IsError(2, "trust.state_dir", "must be an absolute path")));
  EXPECT_THAT(errors_of("[audit]\ndatabase = \"audit.sqlite\"\n"),
              ElementsAre(IsError(2, "audit.database", "must be an absolute path")));
  EXPECT_THAT(errors_of("[capture]\ndevice = \"video0\"\n"),
              ElementsAre(IsError(2, "capture.device", "must be an absolute path")));
}

TEST(ConfigErrors, RefusesAnEmptyPathWhereOneIsNeeded) {
  EXPECT_THAT(errors_of("[handoff]\noutbox_dir = \"\"\n"),
              ElementsAre(IsError(2, "handoff.outbox_dir", "must be an absolute path")));
}

TEST(ConfigErrors, RefusesHttpTrustListsAndSaysWhy) {
  const auto errors = errors_of(
      "[trust]\ntrust_list_url = \"http://lists.example.jp/trustlist.cose\"\n"
      "revocations_url = \"https://lists.example.jp/revocations.cose\"\n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], IsError(2, "trust.trust_list_url", "http:// is refused"));
  EXPECT_THAT(errors[0].message, HasSubstr("withhold or replay"));
}

TEST(ConfigErrors, RefusesOtherSchemesAndNonUrls) {
  EXPECT_THAT(errors_of("[trust]\ntrust_list_url = \"ftp://x.example/t\"\nrevocations_url = "
                        "\"https://x.example/r\"\n"),
              ElementsAre(IsError(2, "trust.trust_list_url", "the scheme 'ftp' is not allowed")));
  EXPECT_THAT(errors_of("[trust]\ntrust_list_url = \"lists.example.jp/t\"\nrevocations_url = "
                        "\"https://x.example/r\"\n"),
              ElementsAre(IsError(2, "trust.trust_list_url", "is not a URL")));
  EXPECT_THAT(errors_of("[trust]\ntrust_list_url = \"file://fileserver/t.cose\"\n"
                        "revocations_url = \"file:///media/usb/r.cose\"\n"),
              ElementsAre(IsError(2, "trust.trust_list_url", "must name a local file")));
}

TEST(ConfigErrors, RefusesCredentialsInATrustListUrl) {
  EXPECT_THAT(errors_of("[trust]\ntrust_list_url = \"https://user:pw@x.example/t\"\n"
                        "revocations_url = \"https://x.example/r\"\n"),
              ElementsAre(IsError(2, "trust.trust_list_url", "user name or password")));
}

TEST(ConfigErrors, NeedsBothListUrlsOrNeither) {
  EXPECT_THAT(errors_of("[trust]\n\nrevocations_url = \"https://x.example/r\"\n"),
              ElementsAre(IsError(3, "trust.revocations_url",
                                  "trust.trust_list_url is not: the kiosk needs both lists")));
}

TEST(ConfigErrors, NeedsOneOrTwoPinnedKeys) {
  EXPECT_THAT(errors_of("[trust]\npinned_keys = []\n"),
              ElementsAre(IsError(2, "trust.pinned_keys", "1 or 2 absolute paths")));
  EXPECT_THAT(errors_of("[trust]\npinned_keys = [\"/a.pem\", \"/b.pem\", \"/c.pem\"]\n"),
              ElementsAre(IsError(2, "trust.pinned_keys", "1 or 2 absolute paths")));
  EXPECT_THAT(errors_of("[trust]\npinned_keys = \"/a.pem\"\n"),
              ElementsAre(IsError(2, "trust.pinned_keys", "must be a list")));
  EXPECT_THAT(errors_of("[trust]\npinned_keys = [\"a.pem\"]\n"),
              ElementsAre(IsError(2, "trust.pinned_keys", "absolute paths")));
  EXPECT_THAT(errors_of("[trust]\npinned_keys = [\"/a.pem\", \"/a.pem\"]\n"),
              ElementsAre(IsError(2, "trust.pinned_keys", "the same key file twice")));
}

TEST(ConfigErrors, SendsTheHandoffOnlyToThisMachine) {
  for (const char* url : {"http://192.168.1.20:8080/r", "https://receipt.example.jp/r",
                          "http://127.0.0.1.evil.example/r", "http://10.0.0.1/"}) {
    SCOPED_TRACE(url);
    EXPECT_THAT(errors_of(std::string("[handoff]\npost_url = \"") + url + "\"\n"),
                ElementsAre(IsError(2, "handoff.post_url", "is not this machine")));
  }
  EXPECT_THAT(
      errors_of("[handoff]\npost_url = \"ftp://127.0.0.1/r\"\n"),
      ElementsAre(IsError(2, "handoff.post_url", "http:// or https:// URL on this machine")));
}

TEST(ConfigErrors, RefusesTestOnlySettingsInProduction) {
  EXPECT_THAT(errors_of("[freshness]\nskip_for_printed_sheets = true\n"),
              ElementsAre(IsError(2, "freshness.skip_for_printed_sheets",
                                  "only allowed with kiosk.mode = \"test\"")));
  EXPECT_THAT(errors_of("[kiosk]\nmode = \"production\"\n[capture]\nkind = \"image_folder\"\n"),
              ElementsAre(IsError(4, "capture.kind", "only allowed with kiosk.mode = \"test\"")));
  EXPECT_THAT(errors_of("[audit]\nretention_days = 30\n"),
              ElementsAre(IsError(2, "audit.retention_days", "at least 1096")));
}

TEST(ConfigErrors, AllowsTestOnlySettingsInTestMode) {
  const KioskConfig config = config_of(
      "[kiosk]\nmode = \"test\"\n[freshness]\nskip_for_printed_sheets = true\n"
      "[capture]\nkind = \"video_file\"\ndevice = \"/srv/samples/counter.mp4\"\n"
      "[audit]\nretention_days = 1\n");
  EXPECT_TRUE(config.freshness.skip_for_printed_sheets);
  EXPECT_EQ(config.capture.kind, CaptureKind::video_file);
  EXPECT_EQ(config.audit.retention_days, 1);
}

TEST(ConfigErrors, RefusesTimeoutsAndBackoffInTheWrongOrder) {
  EXPECT_THAT(errors_of("[trust]\nconnect_timeout_seconds = 30\ntotal_timeout_seconds = 20\n"),
              ElementsAre(IsError(3, "trust.total_timeout_seconds",
                                  "must not be shorter than trust.connect_timeout_seconds (30)")));
  EXPECT_THAT(errors_of("[trust]\nbackoff_initial_seconds = 60\nbackoff_max_seconds = 10\n"),
              ElementsAre(IsError(3, "trust.backoff_max_seconds", "backoff_initial_seconds (60)")));
}

TEST(ConfigErrors, RefusesAHandoffWithNowhereToGo) {
  EXPECT_THAT(errors_of("[handoff]\nenabled = true\n"),
              ElementsAre(IsError(2, "handoff.enabled", "nowhere to hand off to")));
}

TEST(ConfigErrors, RefusesAnOnlineCheckWithoutTheTerminalsFolders) {
  EXPECT_THAT(errors_of("[online]\nenabled = true\nmedical_institution_code = \"1312345678\"\n"),
              ElementsAre(IsError(2, "online.enabled", "set online.req_dir and online.res_dir")));
}

TEST(ConfigErrors, RefusesAnOnlineCheckWithoutAMedicalInstitutionCode) {
  EXPECT_THAT(errors_of("[online]\nenabled = true\nreq_dir = \"/mnt/oqs/req\"\n"
                        "res_dir = \"/mnt/oqs/res\"\n"),
              ElementsAre(IsError(0, "online.medical_institution_code", "must be set")));
  EXPECT_THAT(errors_of("[online]\nmedical_institution_code = \"13-1234567\"\n"),
              ElementsAre(IsError(2, "online.medical_institution_code", "10-digit")));
}

TEST(ConfigErrors, RefusesTheSameFolderForRequestsAndAnswers) {
  EXPECT_THAT(errors_of("[online]\nenabled = true\nreq_dir = \"/mnt/oqs\"\nres_dir = \"/mnt/oqs\"\n"
                        "medical_institution_code = \"1312345678\"\n"),
              ElementsAre(IsError(4, "online.res_dir", "must not be the same folder")));
}

TEST(ConfigErrors, RefusesTheAuditKeyInTheDatabaseFile) {
  EXPECT_THAT(errors_of("[audit]\ndatabase = \"/var/lib/k/a\"\nsecret_file = \"/var/lib/k/a\"\n"),
              ElementsAre(IsError(3, "audit.secret_file", "must not be the same file")));
}

TEST(ConfigErrors, RefusesAMalformedPublicKeyPin) {
  EXPECT_THAT(errors_of("[trust]\npublic_key_pin = \"sha256/abc\"\n"),
              ElementsAre(IsError(2, "trust.public_key_pin", "must be sha256//BASE64")));
  const std::string good = "sha256//" + std::string(43, 'A') + "=";
  EXPECT_EQ(
      config_of("[trust]\npublic_key_pin = \"" + good + ";" + good + "\"\n").trust.public_key_pin,
      good + ";" + good);
}

TEST(ConfigErrors, RefusesABadKioskIdAndProxy) {
  EXPECT_THAT(errors_of("[kiosk]\nid = \"受付 1\"\n"),
              ElementsAre(IsError(2, "kiosk.id", "1 to 64 characters")));
  EXPECT_THAT(errors_of("[trust]\nproxy = \"proxy.clinic.local:8080\"\n"),
              ElementsAre(IsError(2, "trust.proxy", "must be a proxy URL")));
}

TEST(ConfigErrors, RefusesAValueWhereASectionBelongs) {
  EXPECT_THAT(errors_of("kiosk = \"test\"\n"),
              ElementsAre(IsError(1, "kiosk", "must be a section ([kiosk]")));
}

TEST(ConfigErrors, ReportsEveryErrorInLineOrder) {
  const auto errors = errors_of(
      "[kisok]\n"                             // 1
      "[kiosk]\n"                             // 2
      "mode = \"prod\"\n"                     // 3
      "[trust]\n"                             // 4
      "interval_minutes = 3\n"                // 5
      "trust_list_url = \"http://x/t\"\n"     // 6
      "revocations_url = \"https://x/r\"\n"   // 7
      "[handoff]\n"                           // 8
      "post_url = \"http://10.1.1.1/r\"\n");  // 9
  EXPECT_THAT(errors, ElementsAre(IsError(1, "kisok", "did you mean 'kiosk'"),
                                  IsError(3, "kiosk.mode", "'prod' is not allowed"),
                                  IsError(5, "trust.interval_minutes", "from 5 to 1440"),
                                  IsError(6, "trust.trust_list_url", "http:// is refused"),
                                  IsError(9, "handoff.post_url", "not this machine")));
}

TEST(ConfigErrors, OneMistakeGivesOneMessage) {
  // The refused mode is not read as production, so the test-only setting below
  // is not reported as a second error.
  EXPECT_THAT(errors_of("[kiosk]\nmode = \"tset\"\n[freshness]\nskip_for_printed_sheets = true\n"),
              ElementsAre(IsError(2, "kiosk.mode", "'tset' is not allowed")));
}

TEST(ConfigErrors, ReportsATomlSyntaxErrorWithItsLine) {
  const auto errors = errors_of("[kiosk]\nid = \"a\"\nmode = \n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_THAT(errors[0].message, HasSubstr("TOML syntax error"));
}

TEST(ConfigErrors, ReportsADuplicateKeyAsASyntaxError) {
  const auto errors = errors_of("[kiosk]\nmode = \"test\"\nmode = \"production\"\n");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].line, 3);
}

TEST(ConfigErrors, FormatsErrorsAsFileLineKeyMessage) {
  EXPECT_EQ(
      format_error({12, "trust.interval_minutes", "must be an integer from 5 to 1440"},
                   "/etc/kakunin/kakunin.toml"),
      "/etc/kakunin/kakunin.toml:12: trust.interval_minutes: must be an integer from 5 to 1440");
  EXPECT_EQ(format_error({0, "", "cannot read the file: No such file or directory"}, "k.toml"),
            "k.toml: cannot read the file: No such file or directory");
}

}  // namespace
}  // namespace kakunin::config
