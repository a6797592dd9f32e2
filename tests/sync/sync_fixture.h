// Shared set-up for the sync tests: a JHC1 test world, a test PKI, a state folder
// holding lists of sequence 5, a captured log and a real HTTPS server whose
// answers each test chooses.
#pragma once

#include "test_server.h"
#include "test_world.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/log.h>
#include <kakunin/base/read_file.h>
#include <kakunin/sync/sync.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kakunin::testing {

namespace fs = std::filesystem;

inline constexpr std::uint64_t kHeldSequence = 5;

class SyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world = new TestWorld();
    other_key = new signer::SigningKey(signer::SigningKey::generate(Algorithm::es256));
    pki_dir = new fs::path(unique_dir("kakunin-sync-pki"));
    pki = new TestPki(TestPki::make(*pki_dir, "good"));
    rogue_pki = new TestPki(TestPki::make(*pki_dir, "rogue"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*pki_dir);
    delete rogue_pki;
    delete pki;
    delete pki_dir;
    delete other_key;
    delete world;
  }

  void SetUp() override {
    dir = unique_dir("kakunin-sync-state");
    hold_lists(kHeldSequence);
    server = TestServer::https(
        *pki, [this](const httplib::Request& q, httplib::Response& r) { respond(q, r); });
    // Both lists are served as the held ones unless a test says otherwise.
    serve("/trustlist.cose", trust_list(kHeldSequence));
    serve("/revocations.cose", revocations(kHeldSequence));
  }
  void TearDown() override {
    syncer_.reset();
    released = true;  // hanging handlers return, so the server can stop
    server.reset();
    fs::remove_all(dir);
  }

  static fs::path unique_dir(const std::string& prefix) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    return pattern;
  }

  // -------------------------------------------------------------- material --
  static crypto::Bytes trust_list(std::uint64_t sequence, bool test = false,
                                  const signer::SigningKey* key = nullptr) {
    signer::TrustListSpec spec = world->trust_spec;
    spec.header.sequence = sequence;
    spec.header.test = test;
    return signer::make_trust_list(spec, key ? *key : world->list_key);
  }
  static crypto::Bytes revocations(std::uint64_t sequence, bool test = false,
                                   std::size_t extra_ids = 0) {
    signer::RevocationSpec spec = world->revocation_spec;
    spec.header.sequence = sequence;
    spec.header.test = test;
    for (std::size_t i = 0; i < extra_ids; ++i) spec.ids.push_back(signer::random_cti());
    return signer::make_revocation_list(spec, world->list_key);
  }
  static std::string text(const crypto::Bytes& bytes) { return {bytes.begin(), bytes.end()}; }

  // Puts a list in place as an operator or a USB stick would.
  static bool put_list(const fs::path& path, const crypto::Bytes& bytes) {
    const auto written = base::write_file_atomically(path, bytes);
    if (!written.ok()) ADD_FAILURE() << written.error().message;
    return written.ok();
  }
  void hold_lists(std::uint64_t sequence) {
    ASSERT_TRUE(put_list(dir / "trustlist.cose", trust_list(sequence)));
    ASSERT_TRUE(put_list(dir / "revocations.cose", revocations(sequence)));
  }
  crypto::Bytes held_file(const std::string& name = "trustlist.cose") const {
    auto bytes = base::read_file_bytes(dir / name, 1 << 26);
    return bytes.ok() ? std::move(bytes).value() : crypto::Bytes{};
  }
  std::optional<std::uint64_t> held_file_sequence() const {
    auto loaded =
        crypto::TrustList::load(held_file(), world->pins, crypto::HighWaterMark::nothing_seen());
    if (!loaded.ok()) return std::nullopt;
    return loaded.value()->header().sequence;
  }
  std::optional<std::uint64_t> store_sequence() const {
    auto snapshot = store->snapshot();
    if (!snapshot.trust_list) return std::nullopt;
    return snapshot.trust_list->header().sequence;
  }

  // ---------------------------------------------------------------- server --
  using Route = std::function<void(const httplib::Request&, httplib::Response&)>;
  void route(const std::string& path, Route r) {
    std::lock_guard lock(routes_mutex_);
    routes_[path] = std::move(r);
  }
  void serve(const std::string& path, const crypto::Bytes& body, const std::string& etag = "") {
    route(path, [body = text(body), etag](const httplib::Request&, httplib::Response& r) {
      if (!etag.empty()) r.set_header("ETag", etag);
      r.set_content(body, "application/cose");
    });
  }
  void respond(const httplib::Request& q, httplib::Response& r) {
    Route handler;
    {
      std::lock_guard lock(routes_mutex_);
      auto it = routes_.find(q.path);
      if (it != routes_.end()) handler = it->second;
      seen_headers_.push_back(q.headers);
    }
    if (handler) {
      handler(q, r);
    } else {
      r.status = 404;
    }
  }
  // Waits (bounded) until the server releases hanging handlers.
  void hang_until_released() {
    for (int i = 0; i < 1000 && !released; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // ---------------------------------------------------------------- syncer --
  sync::SyncSettings settings() const {
    sync::SyncSettings s;
    s.trust_list_url = server->url("/trustlist.cose");
    s.revocations_url = server->url("/revocations.cose");
    s.state_dir = dir;
    s.mode = mode;
    s.transport.connect_timeout = std::chrono::milliseconds(1000);
    s.transport.total_timeout = std::chrono::milliseconds(2000);
    s.transport.low_speed_bytes_per_second = 1000;
    s.transport.low_speed_time = std::chrono::seconds(1);
    s.transport.max_bytes = std::int64_t{256} * 1024;
    s.transport.ca_file = pki->ca_file;
    s.retry.retries = 0;
    s.retry.initial = std::chrono::milliseconds(10);
    s.retry.max = std::chrono::milliseconds(40);
    s.interval = std::chrono::milliseconds(50);
    return s;
  }
  sync::Syncer& syncer() {
    if (!syncer_) make_syncer(settings());
    return *syncer_;
  }
  sync::Syncer& make_syncer(sync::SyncSettings s) {
    syncer_.reset();
    syncer_ = std::make_unique<sync::Syncer>(std::move(s), world->pins, *store, base::Logger(log));
    syncer_->load_held();
    return *syncer_;
  }
  bool logged(const std::string& fragment) const { return log.contains(fragment); }
  void clear_log() { log.clear(); }
  std::string log_text() const { return log.text(); }
  httplib::Headers last_request_headers() const {
    std::lock_guard lock(routes_mutex_);
    return seen_headers_.empty() ? httplib::Headers{} : seen_headers_.back();
  }

  // After a fault: the held list is untouched on disk and in memory, the reason is
  // in the log, and a good update served afterwards is taken.
  void expect_kept_then_recovers(const sync::RoundReport& faulty, sync::ListOutcome::Result result,
                                 const std::string& reason) {
    EXPECT_EQ(faulty.trust_list.result, result) << faulty.trust_list.reason;
    EXPECT_EQ(held_file(), held_before) << "the held file changed";
    EXPECT_EQ(held_file_sequence(), kHeldSequence);
    EXPECT_EQ(store_sequence(), kHeldSequence);
    EXPECT_NE(faulty.trust_list.reason.find(reason), std::string::npos) << faulty.trust_list.reason;
    EXPECT_TRUE(logged("warning: trust list")) << log_text();
    EXPECT_TRUE(logged(reason)) << log_text();
    for (const auto& line : log.lines()) {
      EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "not one line: " << line;
    }

    serve("/trustlist.cose", trust_list(kHeldSequence + 1));
    const auto good = syncer().sync_once();
    EXPECT_EQ(good.trust_list.result, sync::ListOutcome::Result::updated) << good.trust_list.reason;
    EXPECT_EQ(held_file_sequence(), kHeldSequence + 1);
    EXPECT_EQ(store_sequence(), kHeldSequence + 1);
  }

  static TestWorld* world;
  static signer::SigningKey* other_key;
  static fs::path* pki_dir;
  static TestPki* pki;
  static TestPki* rogue_pki;

  fs::path dir;
  crypto::Mode mode = crypto::Mode::production;
  std::unique_ptr<sync::TrustStore> store =
      std::make_unique<sync::TrustStore>(crypto::Mode::production, crypto::FreshnessPolicy{});
  // A kiosk in test mode (before the syncer is made).
  void use_test_mode() {
    mode = crypto::Mode::test;
    store = std::make_unique<sync::TrustStore>(crypto::Mode::test, crypto::FreshnessPolicy{});
  }
  std::unique_ptr<TestServer> server;
  base::CapturingLogSink log;  // what the syncer logged, "LEVEL: LINE"
  crypto::Bytes held_before;
  std::atomic<bool> released{false};

 private:
  mutable std::mutex routes_mutex_;
  std::map<std::string, Route> routes_;
  std::vector<httplib::Headers> seen_headers_;
  std::unique_ptr<sync::Syncer> syncer_;
};

}  // namespace kakunin::testing
