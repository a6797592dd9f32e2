// The one HTTP client against a real HTTPS / HTTP server on loopback: a GET as
// the list sync makes it, a POST as the hand-off makes it, and the safety that
// no setting can switch off (verified TLS, the use's schemes only, no proxy from
// the environment, the size cap, cancellation).
#include <kakunin/base/fake_clock.h>
#include <kakunin/net/net.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "test_server.h"

namespace kakunin::net {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::TestPki;
using testing::TestServer;
using SteadyClock = std::chrono::steady_clock;

class HttpClient : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "kakunin-net-pki-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    pki_dir = new fs::path(pattern);
    pki = new TestPki(TestPki::make(*pki_dir, "good"));
    rogue_pki = new TestPki(TestPki::make(*pki_dir, "rogue"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*pki_dir);
    delete rogue_pki;
    delete pki;
    delete pki_dir;
  }
  void TearDown() override {
    released = true;  // handlers that hang return, so the servers can stop
    server.reset();
  }

  using Handler = TestServer::Handler;
  void serve_https(Handler handler) { server = TestServer::https(*pki, std::move(handler)); }
  void serve_http(Handler handler) { server = TestServer::http(std::move(handler)); }

  static TransferSettings settings() {
    TransferSettings s;
    s.connect_timeout = 2000ms;
    s.total_timeout = 5000ms;
    s.low_speed_time = 0s;
    s.max_bytes = std::int64_t{64} * 1024;
    s.ca_file = pki->ca_file;
    return s;
  }
  void hang_until_released() const {
    for (int i = 0; i < 3000 && !released; ++i) std::this_thread::sleep_for(10ms);
  }

  static fs::path* pki_dir;
  static TestPki* pki;
  static TestPki* rogue_pki;
  std::unique_ptr<TestServer> server;
  std::atomic<bool> released{false};
  std::atomic<bool> no_cancel{false};
  base::FakeClock clock{1795568400};
};

fs::path* HttpClient::pki_dir = nullptr;
TestPki* HttpClient::pki = nullptr;
TestPki* HttpClient::rogue_pki = nullptr;

std::string text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

TEST_F(HttpClient, GetReturnsTheBodyWithItsValidatorsAndTheServersDate) {
  serve_https([](const httplib::Request&, httplib::Response& r) {
    r.set_header("ETag", "\"v6\"");
    r.set_header("Last-Modified", "Fri, 20 Nov 2026 00:00:00 GMT");
    r.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    r.set_content("signed list", "application/cose");
  });
  const Client client(settings(), UrlUse::list_source, clock);
  const GetResult got = client.get(server->url("/trustlist.cose"), {}, no_cancel);
  ASSERT_EQ(got.status, GetResult::Status::fetched) << got.error;
  EXPECT_EQ(text(got.body), "signed list");
  EXPECT_EQ(got.validators.etag, "\"v6\"");
  EXPECT_EQ(got.validators.last_modified, "Fri, 20 Nov 2026 00:00:00 GMT");
  EXPECT_EQ(got.server_date, 784111777) << "for the clock check";
  EXPECT_EQ(got.received_at, clock.wall_now()) << "stamped with the client's clock";
}

TEST_F(HttpClient, GetSendsTheValidatorsBackAndTakesA304AsNotModified) {
  auto seen = std::make_shared<std::pair<std::string, std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  serve_https([seen, mutex](const httplib::Request& q, httplib::Response& r) {
    std::lock_guard lock(*mutex);
    *seen = {q.get_header_value("If-None-Match"), q.get_header_value("If-Modified-Since")};
    r.set_header("ETag", "\"v6\"");
    r.status = 304;
  });
  const Client client(settings(), UrlUse::list_source, clock);
  const GetResult got =
      client.get(server->url("/x"), {"\"v6\"", "Fri, 20 Nov 2026 00:00:00 GMT"}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::not_modified) << got.error;
  EXPECT_EQ(got.validators.etag, "\"v6\"");
  std::lock_guard lock(*mutex);
  EXPECT_EQ(seen->first, "\"v6\"");
  EXPECT_EQ(seen->second, "Fri, 20 Nov 2026 00:00:00 GMT");
}

TEST_F(HttpClient, ServerErrorsMayBeRetriedAndClientErrorsNot) {
  auto status = std::make_shared<std::atomic<int>>(503);
  serve_https([status](const httplib::Request&, httplib::Response& r) { r.status = *status; });
  const Client client(settings(), UrlUse::list_source, clock);
  GetResult got = client.get(server->url("/x"), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_EQ(got.error, "HTTP status 503");
  EXPECT_TRUE(got.retryable);
  *status = 404;
  got = client.get(server->url("/x"), {}, no_cancel);
  EXPECT_EQ(got.error, "HTTP status 404");
  EXPECT_FALSE(got.retryable);
}

TEST_F(HttpClient, GetStopsAnEndlessBodyAsSoonAsItPassesMaxBytes) {
  auto sent = std::make_shared<std::atomic<std::size_t>>(0);
  serve_https([this, sent](const httplib::Request&, httplib::Response& r) {
    r.set_chunked_content_provider("application/cose",
                                   [this, sent](size_t, httplib::DataSink& sink) {
                                     const std::string chunk(std::size_t{16} * 1024, 'x');
                                     if (released || !sink.is_writable()) return false;
                                     *sent += chunk.size();
                                     return sink.write(chunk.data(), chunk.size());
                                   });
  });
  const Client client(settings(), UrlUse::list_source, clock);
  const GetResult got = client.get(server->url("/endless"), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_EQ(got.error, "larger than the limit of 65536 bytes");
  EXPECT_FALSE(got.retryable);
  EXPECT_TRUE(got.body.empty());
}

TEST_F(HttpClient, ListDownloadRefusesARedirectToPlainHttp) {
  auto plain = TestServer::http([](const httplib::Request&, httplib::Response& r) {
    r.set_content("list", "application/cose");
  });
  const std::string target = plain->url("/trustlist.cose");
  serve_https([target](const httplib::Request&, httplib::Response& r) { r.set_redirect(target); });
  const Client client(settings(), UrlUse::list_source, clock);
  const GetResult got = client.get(server->url("/trustlist.cose"), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::failed);
  EXPECT_NE(got.error.find("not https"), std::string::npos) << got.error;
  EXPECT_EQ(plain->requests(), 0) << "nothing was fetched from the plain server";
}

TEST_F(HttpClient, TlsIsAlwaysVerifiedAgainstTheCaAndThePin) {
  serve_https([](const httplib::Request&, httplib::Response& r) { r.set_content("list", "x"); });
  TransferSettings other_ca = settings();
  other_ca.ca_file = rogue_pki->ca_file;
  GetResult got =
      Client(other_ca, UrlUse::list_source, clock).get(server->url("/x"), {}, no_cancel);
  EXPECT_NE(got.error.find("TLS certificate not trusted"), std::string::npos) << got.error;

  TransferSettings wrong_pin = settings();
  wrong_pin.public_key_pin = rogue_pki->server_key_pin;
  got = Client(wrong_pin, UrlUse::list_source, clock).get(server->url("/x"), {}, no_cancel);
  EXPECT_NE(got.error.find("does not match the configured pin"), std::string::npos) << got.error;
  EXPECT_EQ(server->requests(), 0);

  TransferSettings right_pin = settings();
  right_pin.public_key_pin = pki->server_key_pin;
  got = Client(right_pin, UrlUse::list_source, clock).get(server->url("/x"), {}, no_cancel);
  EXPECT_EQ(got.status, GetResult::Status::fetched) << got.error;
}

TEST_F(HttpClient, ProxyEnvironmentVariablesAreIgnored) {
  serve_https([](const httplib::Request&, httplib::Response& r) { r.set_content("list", "x"); });
  // A proxy that refuses everything, named the ways curl would otherwise read it.
  auto proxy =
      TestServer::http([](const httplib::Request&, httplib::Response& r) { r.status = 403; });
  const std::vector<const char*> names = {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy",
                                          "ALL_PROXY"};
  for (const char* name : names) ::setenv(name, proxy->url("").c_str(), 1);
  const GetResult got =
      Client(settings(), UrlUse::list_source, clock).get(server->url("/x"), {}, no_cancel);
  for (const char* name : names) ::unsetenv(name);
  EXPECT_EQ(got.status, GetResult::Status::fetched) << got.error;
  EXPECT_EQ(proxy->requests(), 0);

  TransferSettings configured = settings();
  configured.proxy = proxy->url("");
  const GetResult through =
      Client(configured, UrlUse::list_source, clock).get(server->url("/x"), {}, no_cancel);
  EXPECT_EQ(through.status, GetResult::Status::failed) << "the configured proxy is used";
}

TEST_F(HttpClient, ATransferIsCancelledWithinASecondWhileTheServerHangs) {
  serve_https([this](const httplib::Request&, httplib::Response&) { hang_until_released(); });
  TransferSettings patient = settings();
  patient.total_timeout = 60'000ms;
  const Client client(patient, UrlUse::list_source, clock);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    for (int i = 0; i < 1000 && server->requests() < 1; ++i) std::this_thread::sleep_for(10ms);
    cancel = true;
  });
  const GetResult got = client.get(server->url("/hangs"), {}, cancel);
  const auto cancelled_at = SteadyClock::now();
  canceller.join();
  EXPECT_EQ(got.status, GetResult::Status::cancelled) << got.error;
  EXPECT_EQ(got.error, "cancelled (stopping)");
  EXPECT_LT(SteadyClock::now() - cancelled_at, 5s);
  std::atomic<bool> already{true};
  EXPECT_EQ(client.get(server->url("/x"), {}, already).status, GetResult::Status::cancelled)
      << "nothing starts once stopping";
}

TEST_F(HttpClient, PostSendsTheJsonWithItsIdempotencyKeyAndReportsTheStatus) {
  struct Seen {
    std::mutex mutex;
    std::string method, body, content_type, key;
  };
  auto seen = std::make_shared<Seen>();
  auto status = std::make_shared<std::atomic<int>>(200);
  serve_http([seen, status](const httplib::Request& q, httplib::Response& r) {
    std::lock_guard lock(seen->mutex);
    seen->method = q.method;
    seen->body = q.body;
    seen->content_type = q.get_header_value("Content-Type");
    seen->key = q.get_header_value("Idempotency-Key");
    r.status = *status;
  });
  const Client client(settings(), UrlUse::local_endpoint, clock);
  PostResult sent =
      client.post_json({server->url("/handoff"), R"({"sequence":42})", "desk-1-42"}, no_cancel);
  EXPECT_TRUE(sent.delivered()) << sent.error;
  EXPECT_EQ(sent.http_status, 200);
  {
    std::lock_guard lock(seen->mutex);
    EXPECT_EQ(seen->method, "POST");
    EXPECT_EQ(seen->body, R"({"sequence":42})");
    EXPECT_EQ(seen->content_type, "application/json; charset=utf-8");
    EXPECT_EQ(seen->key, "desk-1-42");
  }
  *status = 500;
  sent = client.post_json({server->url("/handoff"), "{}", "desk-1-43"}, no_cancel);
  EXPECT_FALSE(sent.delivered());
  EXPECT_EQ(sent.http_status, 500);
  EXPECT_EQ(sent.error, "HTTP status 500");
}

TEST_F(HttpClient, PostIsNotRedirected) {
  auto elsewhere =
      TestServer::http([](const httplib::Request&, httplib::Response& r) { r.status = 200; });
  const std::string target = elsewhere->url("/other");
  serve_http([target](const httplib::Request&, httplib::Response& r) { r.set_redirect(target); });
  const PostResult sent = Client(settings(), UrlUse::local_endpoint, clock)
                              .post_json({server->url("/handoff"), "{}", "k-1"}, no_cancel);
  EXPECT_FALSE(sent.delivered());
  EXPECT_EQ(sent.http_status, 302);
  EXPECT_EQ(elsewhere->requests(), 0);
}

TEST_F(HttpClient, PostOffThisMachineOrWithAKeyOfTwoLinesIsRefusedBeforeAnythingIsSent) {
  serve_http([](const httplib::Request&, httplib::Response& r) { r.status = 200; });
  const Client local(settings(), UrlUse::local_endpoint, clock);
  PostResult sent = local.post_json({"http://192.0.2.10/handoff", "{}", "k-1"}, no_cancel);
  EXPECT_EQ(sent.http_status, 0);
  EXPECT_NE(sent.error.find("is not this machine"), std::string::npos) << sent.error;
  sent = local.post_json({server->url("/handoff"), "{}", "k-1\r\nX-Evil: 1"}, no_cancel);
  EXPECT_EQ(sent.http_status, 0);
  EXPECT_EQ(server->requests(), 0);
}

}  // namespace
}  // namespace kakunin::net
