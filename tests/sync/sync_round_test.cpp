// A sync round against a real HTTPS server on loopback: every fault leaves the
// held list as it was (on disk and in memory) with the reason logged, and a good
// update served afterwards is taken.
#include "sync_fixture.h"

#include <chrono>

namespace kakunin::testing {

TestWorld* SyncTest::world = nullptr;
signer::SigningKey* SyncTest::other_key = nullptr;
fs::path* SyncTest::pki_dir = nullptr;
TestPki* SyncTest::pki = nullptr;
TestPki* SyncTest::rogue_pki = nullptr;

namespace {

using Result = sync::ListOutcome::Result;

class SyncRound : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    held_before = held_file();
  }
};

TEST_F(SyncRound, TakesNewerListsAndVerifiesWithThem) {
  const crypto::Bytes newer = trust_list(6);
  serve("/trustlist.cose", newer);
  serve("/revocations.cose", revocations(9));
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
  EXPECT_EQ(report.revocations.result, Result::updated) << report.revocations.reason;
  EXPECT_EQ(report.revocations.held_sequence, 9u);
  EXPECT_EQ(held_file(), newer);
  EXPECT_EQ(held_file_sequence(), 6u);
  EXPECT_TRUE(logged("info: trust list from https://127.0.0.1:"));
  EXPECT_TRUE(logged("updated: sequence 5 -> 6"));
  const auto verifier = store->verifier();
  EXPECT_EQ(verifier->verify(world->issuer_qr(Algorithm::es256), kNow).verdict(),
            crypto::Verdict::valid);
}

TEST_F(SyncRound, LoadsHeldListsAtStartUp) {
  syncer();  // make_syncer() calls load_held()
  EXPECT_EQ(store_sequence(), kHeldSequence);
  ASSERT_TRUE(store->snapshot().revocations);
  EXPECT_EQ(store->snapshot().revocations->header().sequence, kHeldSequence);
  EXPECT_EQ(store->state(kNow), sync::TrustState::usable);
}

TEST_F(SyncRound, KeepsHeldListWhenServerAnswers500) {
  route("/trustlist.cose", [](const httplib::Request&, httplib::Response& r) { r.status = 500; });
  expect_kept_then_recovers(syncer().sync_once(), Result::failed, "HTTP status 500");
}

TEST_F(SyncRound, RetriesAServerErrorWithBackoffAndTakesTheListOnRetry) {
  auto s = settings();
  s.retry.retries = 2;
  make_syncer(s);
  auto calls = std::make_shared<std::atomic<int>>(0);
  const std::string good = text(trust_list(6));
  route("/trustlist.cose", [calls, good](const httplib::Request&, httplib::Response& r) {
    if (++*calls == 1) {
      r.status = 503;
    } else {
      r.set_content(good, "application/cose");
    }
  });
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
  EXPECT_EQ(calls->load(), 2);
  EXPECT_TRUE(logged("attempt 1 failed (HTTP status 503), retrying in")) << log_text();
}

TEST_F(SyncRound, DoesNotRetryWhatCannotSucceed) {
  auto s = settings();
  s.retry.retries = 3;
  make_syncer(s);
  auto calls = std::make_shared<std::atomic<int>>(0);
  route("/trustlist.cose", [calls](const httplib::Request&, httplib::Response& r) {
    ++*calls;
    r.status = 404;
  });
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::failed);
  EXPECT_EQ(calls->load(), 1);
  EXPECT_NE(report.trust_list.reason.find("HTTP status 404"), std::string::npos);
}

TEST_F(SyncRound, GivesUpOnAServerThatHangsPastTheTotalTimeout) {
  auto s = settings();
  s.transport.total_timeout = std::chrono::milliseconds(800);
  s.transport.low_speed_time = std::chrono::seconds(30);  // the total timeout must act
  make_syncer(s);
  route("/trustlist.cose",
        [this](const httplib::Request&, httplib::Response&) { hang_until_released(); });
  const auto report = syncer().sync_once();
  make_syncer(settings());
  expect_kept_then_recovers(report, Result::failed, "timed out");
}

TEST_F(SyncRound, AbandonsASlowDripBelowTheLowSpeedLimit) {
  auto s = settings();
  s.transport.total_timeout = std::chrono::milliseconds(20'000);  // the drip limit must act
  make_syncer(s);
  const std::string body = text(trust_list(6));
  route("/trustlist.cose", [this, body](const httplib::Request&, httplib::Response& r) {
    r.set_content_provider(body.size(), "application/cose",
                           [this, body](size_t offset, size_t, httplib::DataSink& sink) {
                             std::this_thread::sleep_for(std::chrono::milliseconds(200));
                             if (released) return false;
                             sink.write(body.data() + offset, 1);
                             return true;
                           });
  });
  const auto report = syncer().sync_once();
  make_syncer(settings());
  expect_kept_then_recovers(report, Result::failed, "too slow");
}

TEST_F(SyncRound, RefusesATruncatedBody) {
  const std::string body = text(trust_list(6));
  route("/trustlist.cose", [body](const httplib::Request&, httplib::Response& r) {
    // Announces 100 bytes more than it sends, then closes the connection.
    r.set_content_provider(body.size() + 100, "application/cose",
                           [body](size_t offset, size_t, httplib::DataSink& sink) {
                             if (offset >= body.size()) return false;
                             sink.write(body.data() + offset, body.size() - offset);
                             return true;
                           });
  });
  expect_kept_then_recovers(syncer().sync_once(), Result::failed, "transfer closed");
}

TEST_F(SyncRound, RefusesAListWhoseSignatureDoesNotVerify) {
  crypto::Bytes forged = trust_list(6);
  forged.back() ^= 0x01;  // the last byte belongs to the signature
  serve("/trustlist.cose", forged);
  expect_kept_then_recovers(syncer().sync_once(), Result::refused,
                            "signature does not verify under the pinned key");
}

TEST_F(SyncRound, RefusesAListSignedByAKeyThatIsNotPinned) {
  serve("/trustlist.cose", trust_list(6, false, other_key));
  expect_kept_then_recovers(syncer().sync_once(), Result::refused, "not pinned");
}

TEST_F(SyncRound, RefusesALowerSequence) {
  serve("/trustlist.cose", trust_list(kHeldSequence - 1));
  expect_kept_then_recovers(syncer().sync_once(), Result::refused,
                            "sequence 4 is lower than the highest this kiosk has held (5)");
}

TEST_F(SyncRound, RefusesALowerSequenceOfTheRevocationList) {
  const crypto::Bytes held_revocations = held_file("revocations.cose");
  serve("/revocations.cose", revocations(kHeldSequence - 1));
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.revocations.result, Result::refused);
  EXPECT_EQ(held_file("revocations.cose"), held_revocations);
  EXPECT_EQ(store->snapshot().revocations->header().sequence, kHeldSequence);
  EXPECT_TRUE(logged("warning: revocation list")) << log_text();
}

TEST_F(SyncRound, EqualSequenceChangesNothing) {
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::unchanged);
  EXPECT_EQ(report.revocations.result, Result::unchanged);
  EXPECT_EQ(held_file(), held_before);
  EXPECT_TRUE(logged("unchanged (sequence 5)"));
}

TEST_F(SyncRound, StopsABodyAnnouncedLargerThanTheCap) {
  serve("/trustlist.cose", revocations(6, false, 20'000));  // ~320 KB > 256 KiB
  expect_kept_then_recovers(syncer().sync_once(), Result::failed,
                            "larger than the limit of 262144 bytes");
}

TEST_F(SyncRound, StopsAnEndlessChunkedBodyAtTheCap) {
  route("/trustlist.cose", [this](const httplib::Request&, httplib::Response& r) {
    r.set_chunked_content_provider("application/cose", [this](size_t, httplib::DataSink& sink) {
      const std::string chunk(std::size_t{16} * 1024, 'x');
      if (released || !sink.is_writable()) return false;
      return sink.write(chunk.data(), chunk.size());
    });
  });
  expect_kept_then_recovers(syncer().sync_once(), Result::failed,
                            "larger than the limit of 262144 bytes");
}

TEST_F(SyncRound, RefusesAServerCertificateFromAnotherCa) {
  auto rogue = TestServer::https(*rogue_pki, [](const httplib::Request&, httplib::Response& r) {
    r.set_content(text(trust_list(6)), "application/cose");
  });
  auto s = settings();
  s.trust_list_url = rogue->url("/trustlist.cose");
  make_syncer(s);
  const auto report = syncer().sync_once();
  EXPECT_EQ(rogue->requests(), 0);  // nothing was sent over the untrusted connection
  make_syncer(settings());
  expect_kept_then_recovers(report, Result::failed, "TLS certificate not trusted");
}

TEST_F(SyncRound, RefusesARedirectToPlainHttp) {
  auto plain = TestServer::http([](const httplib::Request&, httplib::Response& r) {
    r.set_content(text(trust_list(6)), "application/cose");
  });
  const std::string target = plain->url("/trustlist.cose");
  route("/trustlist.cose",
        [target](const httplib::Request&, httplib::Response& r) { r.set_redirect(target); });
  const auto report = syncer().sync_once();
  EXPECT_EQ(plain->requests(), 0);
  expect_kept_then_recovers(report, Result::failed, "not https");
}

TEST_F(SyncRound, FollowsARedirectThatStaysOnHttps) {
  serve("/v6/trustlist.cose", trust_list(6));
  const std::string target = server->url("/v6/trustlist.cose");
  route("/trustlist.cose",
        [target](const httplib::Request&, httplib::Response& r) { r.set_redirect(target); });
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
}

TEST_F(SyncRound, RefusesAnHttpUrlOutright) {
  auto s = settings();
  s.trust_list_url = "http://127.0.0.1:1/trustlist.cose";
  make_syncer(s);
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::failed);
  EXPECT_NE(report.trust_list.reason.find("http:// is refused for trust lists"), std::string::npos)
      << report.trust_list.reason;
}

TEST_F(SyncRound, AcceptsTheServerKeyMatchingThePin) {
  auto s = settings();
  s.transport.public_key_pin = pki->server_key_pin;
  make_syncer(s);
  serve("/trustlist.cose", trust_list(6));
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::updated) << log_text();
}

TEST_F(SyncRound, RefusesAServerKeyThatDoesNotMatchThePin) {
  auto s = settings();
  s.transport.public_key_pin = rogue_pki->server_key_pin;
  make_syncer(s);
  serve("/trustlist.cose", trust_list(6));
  const auto report = syncer().sync_once();
  make_syncer(settings());
  expect_kept_then_recovers(report, Result::failed, "does not match the configured pin");
}

TEST_F(SyncRound, SendsTheValidatorsBackAndTakesA304AsUnchanged) {
  const std::string body = text(trust_list(6));
  const std::string etag = "\"tl-6\"";
  const std::string modified = "Fri, 20 Nov 2026 00:00:00 GMT";
  route("/trustlist.cose", [=](const httplib::Request& q, httplib::Response& r) {
    r.set_header("ETag", etag);
    r.set_header("Last-Modified", modified);
    if (q.get_header_value("If-None-Match") == etag) {
      r.status = 304;
      return;
    }
    r.set_content(body, "application/cose");
  });
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::updated);
  ASSERT_TRUE(fs::exists(dir / "trustlist.cose.http"));

  const auto second = syncer().sync_once();
  EXPECT_EQ(second.trust_list.result, Result::unchanged);
  EXPECT_TRUE(logged("not modified (HTTP 304)")) << log_text();
  EXPECT_EQ(held_file_sequence(), 6u);

  // After a restart the validators come from the file beside the list.
  make_syncer(settings());
  clear_log();
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::unchanged);
  EXPECT_TRUE(logged("not modified (HTTP 304)")) << log_text();
}

TEST_F(SyncRound, SendsIfNoneMatchAndIfModifiedSince) {
  const std::string body = text(trust_list(6));
  auto seen = std::make_shared<std::pair<std::string, std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  route("/trustlist.cose", [=](const httplib::Request& q, httplib::Response& r) {
    {
      std::lock_guard lock(*mutex);
      *seen = {q.get_header_value("If-None-Match"), q.get_header_value("If-Modified-Since")};
    }
    r.set_header("ETag", "\"abc\"");
    r.set_header("Last-Modified", "Fri, 20 Nov 2026 00:00:00 GMT");
    r.set_content(body, "application/cose");
  });
  syncer().sync_once();
  {
    std::lock_guard lock(*mutex);
    EXPECT_EQ(seen->first, "");  // a list from the disk, validators unknown
  }
  syncer().sync_once();
  std::lock_guard lock(*mutex);
  EXPECT_EQ(seen->first, "\"abc\"");
  EXPECT_EQ(seen->second, "Fri, 20 Nov 2026 00:00:00 GMT");
}

TEST_F(SyncRound, IgnoresValidatorsThatBelongToAnotherFile) {
  serve("/trustlist.cose", trust_list(6), "\"v6\"");
  syncer().sync_once();
  // An operator copies another list in place: the saved ETag is for the old file.
  ASSERT_TRUE(put_list(dir / "trustlist.cose", trust_list(7)));
  auto sent = std::make_shared<std::string>("unset");
  const std::string body = text(trust_list(7));
  route("/trustlist.cose", [sent, body](const httplib::Request& q, httplib::Response& r) {
    *sent = q.get_header_value("If-None-Match");
    r.set_content(body, "application/cose");
  });
  make_syncer(settings());
  const auto report = syncer().sync_once();
  EXPECT_EQ(*sent, "");
  EXPECT_EQ(report.trust_list.result, Result::unchanged);
  EXPECT_EQ(store_sequence(), 7u);
}

TEST_F(SyncRound, RefusesATestListOnAProductionKiosk) {
  serve("/trustlist.cose", trust_list(6, /*test=*/true));
  expect_kept_then_recovers(syncer().sync_once(), Result::refused,
                            "TEST list and this kiosk runs in production mode");
}

TEST_F(SyncRound, TakesATestListOnATestKiosk) {
  use_test_mode();
  serve("/trustlist.cose", trust_list(6, /*test=*/true));
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
  EXPECT_NE(report.trust_list.reason.find("TEST list"), std::string::npos);
}

TEST_F(SyncRound, DoesNotUseAHeldTestListOnAProductionKiosk) {
  ASSERT_TRUE(put_list(dir / "trustlist.cose", trust_list(6, true)));
  syncer();
  EXPECT_FALSE(store->snapshot().trust_list);
  EXPECT_TRUE(logged("error: held trust list")) << log_text();
  EXPECT_EQ(store->state(kNow), sync::TrustState::unusable);
}

TEST_F(SyncRound, UpdatesFromAFileUrlOnAUsbStick) {
  const fs::path stick = unique_dir("kakunin-usb");
  ASSERT_TRUE(put_list(stick / "trustlist.cose", trust_list(6)));
  ASSERT_TRUE(put_list(stick / "revocations.cose", revocations(6)));
  auto s = settings();
  s.trust_list_url = "file://" + (stick / "trustlist.cose").string();
  s.revocations_url = "file://" + (stick / "revocations.cose").string();
  make_syncer(s);
  const auto report = syncer().sync_once();
  EXPECT_EQ(report.trust_list.result, Result::updated) << report.trust_list.reason;
  EXPECT_EQ(report.revocations.result, Result::updated) << report.revocations.reason;
  EXPECT_EQ(held_file_sequence(), 6u);

  // An old stick is refused like an old download.
  ASSERT_TRUE(put_list(stick / "trustlist.cose", trust_list(3)));
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::refused);
  EXPECT_EQ(held_file_sequence(), 6u);
  fs::remove_all(stick);
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::failed);
  EXPECT_EQ(held_file_sequence(), 6u);
}

TEST_F(SyncRound, UsesTheConfiguredProxyAndItsExceptions) {
  auto proxy =
      TestServer::http([](const httplib::Request&, httplib::Response& r) { r.status = 403; });
  auto s = settings();
  s.transport.proxy = proxy->url("");
  make_syncer(s);
  serve("/trustlist.cose", trust_list(6));
  const auto through_proxy = syncer().sync_once();
  EXPECT_EQ(through_proxy.trust_list.result, Result::failed);  // the proxy refuses CONNECT
  EXPECT_EQ(server->requests(), 0);                            // nothing went around it
  EXPECT_EQ(held_file_sequence(), kHeldSequence);

  s.transport.no_proxy = "127.0.0.1";
  make_syncer(s);
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::updated) << log_text();
}

TEST_F(SyncRound, LogsUrlsWithoutQueryAndRefusesCredentials) {
  auto s = settings();
  s.trust_list_url = server->url("/trustlist.cose") + "?token=abcdef#part";
  make_syncer(s);
  serve("/trustlist.cose", trust_list(6));
  EXPECT_EQ(syncer().sync_once().trust_list.result, Result::updated) << log_text();
  EXPECT_EQ(log_text().find("abcdef"), std::string::npos) << log_text();

  // A password in a list URL would sit in the configuration and the process's
  // memory for no gain: it is refused, and not repeated in the reason.
  s.trust_list_url =
      "https://kiosk:s3cret@127.0.0.1:" + std::to_string(server->port()) + "/trustlist.cose";
  make_syncer(s);
  const auto refused = syncer().sync_once();
  EXPECT_EQ(refused.trust_list.result, Result::failed);
  EXPECT_NE(refused.trust_list.reason.find("user name or password"), std::string::npos)
      << refused.trust_list.reason;
  EXPECT_EQ(log_text().find("s3cret"), std::string::npos) << log_text();
}

TEST_F(SyncRound, CleansUpOldTemporaryFilesLeftByACrash) {
  const fs::path old_temp = dir / (std::string(base::kTempPrefix) + "trustlist.cose.1.0");
  const fs::path new_temp = dir / (std::string(base::kTempPrefix) + "trustlist.cose.2.0");
  std::ofstream(old_temp) << "partial";
  std::ofstream(new_temp) << "being written";
  fs::last_write_time(old_temp, fs::file_time_type::clock::now() - std::chrono::hours(2));
  syncer();
  EXPECT_FALSE(fs::exists(old_temp));
  EXPECT_TRUE(fs::exists(new_temp));  // may belong to a sync running right now
}

TEST_F(SyncRound, PicksUpAListAnOperatorPutInPlace) {
  syncer();
  ASSERT_TRUE(put_list(dir / "trustlist.cose", trust_list(8)));
  syncer().sync_once();
  EXPECT_EQ(store_sequence(), 8u);
  EXPECT_TRUE(logged("held trust list loaded"));
}

TEST_F(SyncRound, ReadersKeepTheirSnapshotWhileANewListIsSwappedIn) {
  syncer();
  const sync::TrustSnapshot before = store->snapshot();
  serve("/trustlist.cose", trust_list(6));
  syncer().sync_once();
  EXPECT_EQ(before.trust_list->header().sequence, kHeldSequence);
  EXPECT_EQ(store->snapshot().trust_list->header().sequence, 6u);
  EXPECT_NE(before.verifier, store->snapshot().verifier);
}

TEST_F(SyncRound, SyncsInTheBackgroundAtTheInterval) {
  syncer().start();
  for (int i = 0; i < 500 && server->requests() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  syncer().stop();
  EXPECT_GE(server->requests(), 4);  // two rounds of two lists
  ASSERT_TRUE(syncer().last_report());
}

TEST_F(SyncRound, TriesAgainSoonerThanTheIntervalAfterAFailedRound) {
  auto s = settings();
  s.interval = std::chrono::hours(1);
  s.retry.max = std::chrono::milliseconds(20);
  make_syncer(s);
  auto calls = std::make_shared<std::atomic<int>>(0);
  const std::string good = text(trust_list(6));
  route("/trustlist.cose", [calls, good](const httplib::Request&, httplib::Response& r) {
    if (++*calls == 1) {
      r.status = 502;  // the network is not up yet at boot
    } else {
      r.set_content(good, "application/cose");
    }
  });
  syncer().start();
  for (int i = 0; i < 500 && store_sequence() != 6u; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  syncer().stop();
  EXPECT_EQ(store_sequence(), 6u) << log_text();
}

TEST_F(SyncRound, StopInterruptsAHangingTransferPromptly) {
  auto s = settings();
  s.transport.total_timeout = std::chrono::milliseconds(60'000);
  s.transport.low_speed_time = std::chrono::seconds(60);
  make_syncer(s);
  route("/trustlist.cose",
        [this](const httplib::Request&, httplib::Response&) { hang_until_released(); });
  syncer().start();
  for (int i = 0; i < 500 && server->requests() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server->requests(), 1);
  const auto started = std::chrono::steady_clock::now();
  syncer().stop();
  // A generous bound: without cancellation stop() would wait the full 60 s.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(held_file(), held_before);
}

TEST(Backoff, GrowsExponentiallyWithJitterAndIsCapped) {
  const sync::RetryPolicy policy{4, std::chrono::milliseconds(1000),
                                 std::chrono::milliseconds(5000)};
  using std::chrono::milliseconds;
  EXPECT_EQ(sync::backoff_delay(policy, 1, 0.0), milliseconds(500));
  EXPECT_EQ(sync::backoff_delay(policy, 1, 0.999), milliseconds(999));
  EXPECT_EQ(sync::backoff_delay(policy, 2, 0.0), milliseconds(1000));
  EXPECT_EQ(sync::backoff_delay(policy, 3, 0.5), milliseconds(3000));
  EXPECT_EQ(sync::backoff_delay(policy, 4, 1.0), milliseconds(5000));   // capped
  EXPECT_EQ(sync::backoff_delay(policy, 60, 0.0), milliseconds(2500));  // no overflow
}

TEST(SyncSettingsFromConfig, MapsTheConfigurationFile) {
  config::KioskConfig config;
  config.kiosk.mode = crypto::Mode::test;
  config.trust.trust_list_url = "https://lists.example.jp/trustlist.cose";
  config.trust.revocations_url = "file:///media/usb/revocations.cose";
  config.trust.total_timeout_seconds = 90;
  config.trust.proxy = "http://proxy.clinic.local:8080";
  std::string error;
  const auto s = sync::sync_settings_from(config, &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->mode, crypto::Mode::test);
  EXPECT_EQ(s->transport.total_timeout, std::chrono::seconds(90));
  EXPECT_EQ(s->transport.low_speed_time, std::chrono::seconds(30));
  EXPECT_EQ(s->transport.proxy, "http://proxy.clinic.local:8080");
  EXPECT_EQ(s->interval, std::chrono::minutes(60));
  EXPECT_EQ(s->retry.retries, 4);
  std::string policy_error;
  EXPECT_EQ(sync::freshness_policy_from(config, &policy_error)->list_grace_seconds(),
            7 * 24 * 3600);
}

TEST(SyncSettingsFromConfig, RefusesPlainHttpAndNonsenseValues) {
  config::KioskConfig config;
  config.trust.trust_list_url = "http://lists.example.jp/trustlist.cose";
  std::string error;
  EXPECT_FALSE(sync::sync_settings_from(config, &error));
  EXPECT_NE(error.find("trust.trust_list_url"), std::string::npos) << error;
  config.trust.trust_list_url = "https://lists.example.jp/trustlist.cose";
  config.trust.total_timeout_seconds = 0;
  EXPECT_FALSE(sync::sync_settings_from(config, &error));
  EXPECT_NE(error.find("trust.total_timeout_seconds"), std::string::npos) << error;
}

}  // namespace
}  // namespace kakunin::testing
