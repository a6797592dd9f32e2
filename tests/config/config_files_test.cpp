// Defaults, the packaged /etc/kakunin/kakunin.toml, the documentation, files on
// disk and `kakunin config check|show`.
#include <kakunin/config/config.h>
#include <kakunin/kiosk/cli.h>
#include "kakunin_cli_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <variant>

namespace kakunin::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kRepository = std::string(KAKUNIN_TEST_DATA) + "/../..";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << "cannot read " << path;
  return text.str();
}

KioskConfig config_of(const std::string& text) {
  const LoadResult result = load_text(text, "test.toml");
  if (const auto* errors = std::get_if<std::vector<ConfigError>>(&result)) {
    for (const auto& error : *errors) ADD_FAILURE() << format_error(error, "test.toml");
    return {};
  }
  return std::get<KioskConfig>(result);
}

class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& contents) {
    char name[] = "/tmp/kakunin-config-XXXXXX";
    const int fd = mkstemp(name);
    path_ = name;
    ::close(fd);
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TemporaryFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using kakunin::testing::CliRun;

CliRun run(const std::vector<std::string>& args) { return kakunin::testing::run_kakunin(args); }

TEST(ConfigFiles, AnEmptyFileGivesEveryDefault) {
  EXPECT_EQ(to_toml(config_of("")), to_toml(KioskConfig{}));
  const KioskConfig config = config_of("");
  EXPECT_EQ(config.kiosk.mode, crypto::Mode::production);
  EXPECT_EQ(config.audit.retention_days, 1096);
}

TEST(ConfigFiles, ReadsEveryKindOfValue) {
  const KioskConfig config = config_of(R"(
[kiosk]
id = "uketsuke-2"
mode = "test"
language = "en"
fullscreen = false
[trust]
pinned_keys = ["/etc/kakunin/a.pem", "/etc/kakunin/b.pem"]
trust_list_url = "https://lists.example.jp/trustlist.cose"
revocations_url = "file:///media/usb/revocations.cose"
max_bytes = 1048576
proxy = "http://proxy.clinic.local:8080"
[capture]
kind = "serial_scanner"
device = "/dev/ttyACM0"
baud = 115200
keyboard_layout = "jis"
[handoff]
enabled = true
trigger = "automatic"
xml_dir = "/srv/rececon/res"
xml_encoding = "shift_jis"
post_url = "http://localhost:8080/kakunin"
[log]
level = "debug"
)");
  EXPECT_EQ(config.kiosk.id, "uketsuke-2");
  EXPECT_EQ(config.kiosk.mode, crypto::Mode::test);
  EXPECT_EQ(config.kiosk.language, Language::english);
  EXPECT_FALSE(config.kiosk.fullscreen);
  EXPECT_EQ(config.trust.pinned_keys,
            (std::vector<std::filesystem::path>{"/etc/kakunin/a.pem", "/etc/kakunin/b.pem"}));
  EXPECT_EQ(config.trust.revocations_url, "file:///media/usb/revocations.cose");
  EXPECT_EQ(config.trust.max_bytes, 1048576);
  EXPECT_EQ(config.capture.kind, CaptureKind::serial_scanner);
  EXPECT_EQ(config.capture.baud, 115200);
  EXPECT_EQ(config.capture.keyboard_layout, KeyboardLayout::jis);
  EXPECT_EQ(config.handoff.trigger, HandoffTrigger::automatic);
  EXPECT_EQ(config.handoff.xml_encoding, XmlEncoding::shift_jis);
  EXPECT_EQ(config.handoff.xml_dir, "/srv/rececon/res");
  EXPECT_EQ(config.log.level, "debug");
  // Untouched keys keep their defaults.
  EXPECT_EQ(config.trust.interval_minutes, 60);
}

TEST(ConfigFiles, LoopbackPostTargetsAreAccepted) {
  for (const char* url : {"http://127.0.0.1:8080/r", "https://localhost/r", "http://[::1]:9/r",
                          "http://127.1.2.3/"}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(config_of(std::string("[handoff]\npost_url = \"") + url + "\"\n").handoff.post_url,
              url);
  }
}

TEST(ConfigFiles, ShownConfigLoadsBackToTheSameConfig) {
  const KioskConfig config = config_of(
      "[kiosk]\nid = \"k-9\"\nmode = \"test\"\n[trust]\npinned_keys = [\"/a.pem\", \"/b.pem\"]\n"
      "no_proxy = \"localhost,.clinic.local\"\n[handoff]\njson_dir = \"/srv/json\"\n"
      "enabled = true\n[capture]\nfocus = 120\n");
  const std::string shown = to_toml(config);
  EXPECT_EQ(to_toml(config_of(shown)), shown);
  EXPECT_THAT(shown, HasSubstr("focus = 120"));
}

TEST(ConfigFiles, ShowMasksAProxyPassword) {
  const std::string shown =
      to_toml(config_of("[trust]\nproxy = \"http://clinic:s3cret@proxy.local:3128\"\n"));
  EXPECT_THAT(shown, Not(HasSubstr("s3cret")));
  EXPECT_THAT(shown, HasSubstr("http://***@proxy.local:3128"));
}

// "# name = value" -> name; explanations ("# Some words.") are not keys.
std::optional<std::string> commented_key(const std::string& line) {
  if (line.rfind("# ", 0) != 0) return std::nullopt;
  const std::size_t end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", 2);
  if (end == 2 || end == std::string::npos || line.compare(end, 3, " = ") != 0) return std::nullopt;
  return line.substr(2, end - 2);
}

// packaging/kakunin.toml is what the .deb installs: every key, commented out,
// with its default. Uncommenting every key must change nothing.
TEST(ConfigFiles, PackagedConfigListsEveryKeyWithItsDefault) {
  const std::string packaged = read_text(kRepository + "/packaging/kakunin.toml");
  EXPECT_EQ(to_toml(config_of(packaged)), to_toml(KioskConfig{})) << "the file as shipped";

  std::istringstream lines(packaged);
  std::string line, current_section, uncommented;
  std::multiset<std::string> listed;
  while (std::getline(lines, line)) {
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      current_section = line.substr(1, line.size() - 2);
    }
    if (const auto key = commented_key(line)) {
      line = line.substr(2);
      listed.insert(current_section + "." + *key);
    }
    uncommented += line + "\n";
  }
  EXPECT_EQ(to_toml(config_of(uncommented)), to_toml(KioskConfig{})) << "every key uncommented";
  for (const std::string& key : known_keys()) {
    EXPECT_EQ(listed.count(key), 1u) << key << " must be listed once in packaging/kakunin.toml";
  }
  EXPECT_EQ(listed.size(), known_keys().size());
}

TEST(ConfigFiles, DocumentationDescribesEveryKey) {
  const std::string docs = read_text(kRepository + "/docs/configuration.md");
  for (const std::string& key : known_keys()) {
    EXPECT_THAT(docs, HasSubstr("`" + key + "`")) << "docs/configuration.md must describe " << key;
  }
}

TEST(ConfigFiles, AMissingFileIsAnErrorNotTheDefaults) {
  const LoadResult result = load_file("/nonexistent/kakunin.toml");
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfigError>>(result));
  EXPECT_THAT(std::get<std::vector<ConfigError>>(result)[0].message,
              HasSubstr("No such file or directory"));
}

TEST(ConfigFiles, RefusesAFolderAndAHugeFile) {
  EXPECT_TRUE(std::holds_alternative<std::vector<ConfigError>>(load_file("/tmp")));
  const TemporaryFile huge("# " + std::string(std::size_t{2} * 1024 * 1024, 'x') + "\n");
  const LoadResult result = load_file(huge.path());
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfigError>>(result));
  EXPECT_THAT(std::get<std::vector<ConfigError>>(result)[0].message,
              HasSubstr("larger than 1 MiB"));
}

TEST(ConfigCommand, CheckSaysOkForAGoodFile) {
  const TemporaryFile file("[kiosk]\nid = \"front-desk\"\n");
  const CliRun result = run({"config", "check", file.path()});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, file.path() + ": OK\n");
  EXPECT_EQ(result.err, "");
}

TEST(ConfigCommand, CheckPrintsEveryErrorWithFileAndLine) {
  const TemporaryFile file("[kiosk]\nmode = \"prod\"\n[trust]\ninterval_minutes = 3\n");
  const CliRun result = run({"config", "check", file.path()});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            file.path() + ":2: kiosk.mode: 'prod' is not allowed; use production or test\n" +
                file.path() +
                ":4: trust.interval_minutes: must be an integer from 5 to 1440, not 3\n");
}

TEST(ConfigCommand, ShowPrintsTheEffectiveConfigWithDefaults) {
  const TemporaryFile file("[trust]\ninterval_minutes = 15\n");
  const CliRun result = run({"config", "show", file.path()});
  EXPECT_EQ(result.status, 0);
  EXPECT_THAT(result.out, HasSubstr("interval_minutes = 15\n"));
  EXPECT_THAT(result.out, HasSubstr("retention_days = 1096\n"));
  EXPECT_THAT(result.out, HasSubstr("[handoff]\n"));
}

TEST(ConfigCommand, ShowRefusesABrokenFile) {
  const TemporaryFile file("[kiosk]\nmode = 1\n");
  const CliRun result = run({"config", "show", file.path()});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr(":2: kiosk.mode: must be a quoted string: production or test"));
}

TEST(ConfigCommand, NeedsCheckOrShow) { EXPECT_EQ(run({"config"}).status, 2); }

}  // namespace
}  // namespace kakunin::config
