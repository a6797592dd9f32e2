// The served member page: fresh issuer-signed QRs over HTTP on loopback, and
// the page as headless Chromium draws it holds a QR that verifies.
#include "sample_fixture.h"
#include "sample_server.h"

#include <kakunin/base/clock.h>

#include <httplib.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

extern char** environ;

namespace kakunin::sample::testing {
namespace {

crypto::UnixSeconds system_now() { return base::system_clock().wall_now(); }

// The real clock, remembering the last time the server read it to sign.
class RecordingClock final : public base::Clock {
 public:
  crypto::UnixSeconds wall_now() const override {
    last_read_ = base::system_clock().wall_now();
    return last_read_;
  }
  base::SteadyTime steady_now() const override { return base::system_clock().steady_now(); }
  crypto::UnixSeconds last_read() const { return last_read_; }
  void forget() { last_read_ = 0; }

 private:
  mutable std::atomic<crypto::UnixSeconds> last_read_{0};
};

class ServeTest : public SampleWorldTest {
 protected:
  void SetUp() override {
    SampleWorldTest::SetUp();
    // The real clock, remembering when the server last signed: a slow browser
    // must not turn the check of its screenshot into a race with the 30 s window.
    server = std::make_unique<SampleServer>(SampleWorld::load(dir), 10, clock);
    std::string error;
    const auto bound = server->bind("127.0.0.1", 0, &error);
    ASSERT_TRUE(bound) << error;
    port = *bound;
    thread = std::thread([this] { server->run(); });
  }
  // The server signs with the real clock, so the world is made a day before it.
  crypto::UnixSeconds created_at() const override { return system_now() - 86400; }

  void TearDown() override {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
    SampleWorldTest::TearDown();
  }

  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client.Get(path.c_str());
  }

  RecordingClock clock;  // before `server`, which reads it
  std::unique_ptr<SampleServer> server;
  std::thread thread;
  int port = 0;
};

TEST_F(ServeTest, PresentationEndpointGivesAFreshValidQr) {
  for (const char* profile : {"issuer", "holder"}) {
    const auto res = get(std::string("/api/presentation?member=jiro&profile=") + profile);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    const auto j = nlohmann::json::parse(res->body);
    EXPECT_EQ(j["profile"], profile);
    EXPECT_NEAR(j["presented_at"].get<double>(), static_cast<double>(system_now()), 5);
    EXPECT_TRUE(j["svg"].get<std::string>().starts_with("<svg"));
    const std::string text = j["text"];
    EXPECT_EQ(text_verdict(text, {.now = system_now()}), "valid") << profile;
    EXPECT_EQ(text_verdict(text, {.mode = "production", .now = system_now()}), "test_material")
        << profile;
  }
}

TEST_F(ServeTest, RefusesUnknownMembersAndProfiles) {
  const auto unknown = get("/api/presentation?member=nobody");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("no such member"), std::string::npos);
  const auto profile = get("/api/presentation?member=taro&profile=admin");
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->status, 400);
  const auto page = get("/member?id=%3Cscript%3E");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
}

TEST_F(ServeTest, PickerListsEveryMemberWithBothPages) {
  const auto res = get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  for (const auto& m : SampleWorld::load(dir).members) {
    EXPECT_NE(res->body.find("/member?id=" + m.id + "&amp;profile=issuer"), std::string::npos)
        << m.id;
    EXPECT_NE(res->body.find("/member?id=" + m.id + "&amp;profile=holder"), std::string::npos)
        << m.id;
    EXPECT_NE(res->body.find(m.certificate.name), std::string::npos) << m.id;
  }
}

TEST_F(ServeTest, SvgEndpointDrawsTheQr) {
  const auto res = get("/qr.svg?member=ume&profile=issuer");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/svg+xml");
  EXPECT_NE(res->body.find("<path"), std::string::npos);
}

TEST(ServeAddress, ListensOnLoopbackUnlessToldAndParsesHostPort) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.5.0.9"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("192.168.1.20"));
  const auto parsed = parse_listen("0.0.0.0:8443");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "0.0.0.0");
  EXPECT_EQ(parsed->port, 8443);
  EXPECT_EQ(parse_listen("[::1]:80")->host, "::1");
  EXPECT_FALSE(parse_listen("127.0.0.1"));
  EXPECT_FALSE(parse_listen("127.0.0.1:0"));
  EXPECT_FALSE(parse_listen("127.0.0.1:70000"));
  EXPECT_FALSE(parse_listen("127.0.0.1:80x"));
  const auto refused = sample_cli({"serve", "/nonexistent-world", "--listen", "8080"});
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("--listen must be HOST:PORT"), std::string::npos) << refused.err;
}

// Runs a program in its own process group with output discarded; kills the
// whole group (Chromium starts helper processes) when it ends or overruns.
int run_with_deadline(const std::vector<std::string>& argv, std::chrono::seconds deadline,
                      bool* timed_out) {
  std::vector<char*> raw;
  for (const auto& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
  raw.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, raw[0], &files, &attributes, raw.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) return -1;
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  *timed_out = false;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      *timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(-pid, SIGKILL);  // helpers left in the group
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ServeTest, ChromiumShowsAQrThatVerifies) {
  const std::string chromium = "/usr/bin/chromium";
  if (access(chromium.c_str(), X_OK) != 0) {
    std::fprintf(stderr,
                 "\n*** SKIPPING the browser test: %s is not installed (CI installs it) ***\n\n",
                 chromium.c_str());
    GTEST_SKIP() << chromium << " is not installed";
  }
  const fs::path profile_dir = dir / "chromium-profile";
  fs::create_directories(profile_dir);
  const fs::path screenshot = dir / "page.png";
  for (const char* profile : {"issuer", "holder"}) {
    fs::remove(screenshot);
    bool timed_out = false;
    run_with_deadline(
        {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--user-data-dir=" + profile_dir.string(),
         "--screenshot=" + screenshot.string(), "--window-size=430,932",
         "--virtual-time-budget=5000",
         "http://127.0.0.1:" + std::to_string(port) + "/member?id=hanako&profile=" + profile},
        std::chrono::seconds(120), &timed_out);
    ASSERT_FALSE(timed_out) << "Chromium did not finish within 120 s";
    ASSERT_TRUE(fs::exists(screenshot)) << "Chromium wrote no screenshot";
    ASSERT_GT(clock.last_read(), 0) << "the page never fetched a presentation";
    EXPECT_EQ(verdicts({screenshot.string()}, {.now = clock.last_read() + 2}),
              std::vector<std::string>{"valid"})
        << profile;
    EXPECT_EQ(verdicts({screenshot.string()}, {.now = clock.last_read() + 60}),
              std::vector<std::string>{"stale"})
        << profile;
    clock.forget();
  }
}

}  // namespace
}  // namespace kakunin::sample::testing
