// The POST channel: delivered from the outbox by its own thread. Nothing is lost
// while the receiver is down or the kiosk restarts; delivery is in order, once each
// as far as the receiver can tell (Idempotency-Key).
#include <kakunin/base/fake_clock.h>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <kakunin/base/fake_clock.h>

#include <nlohmann/json.hpp>

#include "handoff_test_support.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

using namespace std::chrono_literals;
using crypto::Algorithm;
using nlohmann::json;
using testing::eventually;
using testing::kNow;
using testing::Receiver;
using testing::TempFolder;
using testing::verified_presentation;

config::HandoffSettings post_settings(const TempFolder& root, const std::string& url) {
  config::HandoffSettings s;
  s.enabled = true;
  s.post_url = url;
  s.outbox_dir = root / "outbox";
  s.post_timeout_seconds = 5;
  return s;
}

HandoffOptions fast_retries() {
  HandoffOptions options;
  options.backoff_initial = 20ms;
  options.backoff_max = 100ms;
  options.stop_timeout = 500ms;
  return options;
}

std::unique_ptr<Handoff> make(const config::HandoffSettings& settings,
                              HandoffOptions options = fast_retries()) {
  auto created = Handoff::create(settings, "kiosk-7", std::move(options));
  EXPECT_TRUE(created.handoff) << created.error;
  return std::move(created.handoff);
}

std::vector<std::uint64_t> sequences_of(const std::vector<Receiver::Request>& requests) {
  std::vector<std::uint64_t> out;
  for (const auto& r : requests)
    out.push_back(json::parse(r.body)["sequence"].get<std::uint64_t>());
  return out;
}

std::vector<std::string> keys_of(const std::vector<Receiver::Request>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.idempotency_key);
  return out;
}

TEST(HandoffPost, DeliversTheRecordWithIdempotencyKey) {
  TempFolder root;
  Receiver receiver;
  auto handoff = make(post_settings(root, receiver.url()));
  handoff->start();
  const auto p = verified_presentation(Algorithm::es256);
  const Outcome status = handoff->send(p, kNow);
  ASSERT_EQ(status.kind, Outcome::Kind::queued);
  EXPECT_EQ(status.channels.at(0).outcome, ChannelOutcome::queued);
  const auto settled = testing::settled_outcome(*handoff, status.sequence);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->kind, Outcome::Kind::sent);

  const auto accepted = receiver.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].idempotency_key, "kiosk-7-1");
  EXPECT_EQ(accepted[0].content_type, "application/json; charset=utf-8");
  const json record = json::parse(accepted[0].body);
  EXPECT_EQ(record["format"], "kakunin-handoff");
  EXPECT_EQ(record["certificate"]["name"], "見本 太郎");
  EXPECT_EQ(handoff->queue().channels[0].delivered, 1u);
  EXPECT_FALSE(std::filesystem::exists(root / "outbox" / OutboxFolder::item_name(1)))
      << "delivered personal data is deleted";
}

TEST(HandoffPost, QueuesWhileReceiverIsDownThenDeliversAllInOrderOnceEach) {
  TempFolder root;
  const int port = testing::unused_port();
  auto handoff = make(post_settings(root, "http://127.0.0.1:" + std::to_string(port) + "/handoff"));
  handoff->start();
  const auto p = verified_presentation(Algorithm::es256);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(handoff->send(p, kNow + i).kind == Outcome::Kind::queued);

  ASSERT_TRUE(eventually([&] { return handoff->queue().channels[0].consecutive_failures >= 2; }));
  QueueFigures figures = handoff->queue();
  EXPECT_EQ(figures.pending, 3u);
  EXPECT_EQ(figures.oldest_pending, 1u);
  EXPECT_FALSE(figures.channels[0].last_error.empty());

  Receiver receiver(port);  // the レセコン comes back
  handoff->retry_now();
  ASSERT_TRUE(eventually([&] { return handoff->queue().pending == 0; }));
  EXPECT_EQ(sequences_of(receiver.accepted()), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(keys_of(receiver.accepted()),
            (std::vector<std::string>{"kiosk-7-1", "kiosk-7-2", "kiosk-7-3"}));
  EXPECT_EQ(receiver.requests().size(), 3u) << "nothing sent twice once the receiver was up";
  EXPECT_EQ(handoff->queue().channels[0].consecutive_failures, 0);
  EXPECT_TRUE(handoff->queue().channels[0].last_error.empty());
}

TEST(HandoffPost, ReceiverAnswering500KeepsTheItemUntilItAccepts) {
  TempFolder root;
  Receiver receiver;
  receiver.answer_with(500);
  auto handoff = make(post_settings(root, receiver.url()));
  handoff->start();
  ASSERT_TRUE(handoff->send(verified_presentation(Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);

  ASSERT_TRUE(eventually([&] { return handoff->queue().channels[0].consecutive_failures >= 3; }));
  EXPECT_EQ(handoff->queue().pending, 1u);
  EXPECT_EQ(handoff->queue().channels[0].last_error, "HTTP status 500");
  EXPECT_TRUE(std::filesystem::exists(root / "outbox" / OutboxFolder::item_name(1)));
  EXPECT_TRUE(receiver.accepted().empty());

  receiver.answer_with(204);
  handoff->retry_now();
  ASSERT_TRUE(eventually([&] { return handoff->queue().pending == 0; }));
  ASSERT_EQ(receiver.accepted().size(), 1u);
  for (const auto& request : receiver.requests()) EXPECT_EQ(request.idempotency_key, "kiosk-7-1");
}

// The backoff is kiosk time: a ten-minute wait passes when the kiosk's clock says
// so, without staff pressing retry and without the test waiting ten minutes.
TEST(HandoffPost, RetriesOnceItsBackoffHasPassedOnTheKiosksClock) {
  TempFolder root;
  Receiver receiver;
  receiver.answer_with(503);
  base::FakeClock clock(kNow);
  HandoffOptions options;
  options.backoff_initial = 10min;
  options.backoff_max = 10min;
  options.clock = &clock;
  auto created = Handoff::create(post_settings(root, receiver.url()), "kiosk-7", options);
  ASSERT_TRUE(created.handoff) << created.error;
  auto& handoff = *created.handoff;
  handoff.start();
  ASSERT_TRUE(handoff.send(verified_presentation(Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);
  const auto post_figures = [&] { return handoff.queue().channels.back(); };
  ASSERT_TRUE(eventually([&] { return post_figures().consecutive_failures == 1; }));

  receiver.answer_with(204);
  clock.advance(10min);
  ASSERT_TRUE(eventually([&] { return handoff.queue().pending == 0; }));
  EXPECT_EQ(receiver.requests().size(), 2u) << "one failed attempt, one retry";
  ASSERT_TRUE(post_figures().last_delivery);
  EXPECT_EQ(*post_figures().last_delivery, kNow + 600) << "the status page shows the kiosk's time";
}

TEST(HandoffPost, NewInstanceOnTheSameOutboxResendsTheQueue) {
  TempFolder root;
  Receiver receiver;
  const auto settings = post_settings(root, receiver.url());
  const auto p = verified_presentation(Algorithm::es256);
  {
    auto before_restart = make(settings);  // sender never started: the kiosk dies
    ASSERT_TRUE(before_restart->send(p, kNow).kind == Outcome::Kind::queued);
    ASSERT_TRUE(before_restart->send(p, kNow + 1).kind == Outcome::Kind::queued);
  }
  EXPECT_TRUE(receiver.requests().empty());

  auto after_restart = make(settings);
  EXPECT_EQ(after_restart->queue().pending, 2u);
  after_restart->start();
  ASSERT_TRUE(eventually([&] { return after_restart->queue().pending == 0; }));
  EXPECT_EQ(after_restart->send(p, kNow + 2).sequence, 3u);
  ASSERT_TRUE(eventually([&] { return after_restart->queue().pending == 0; }));
  EXPECT_EQ(sequences_of(receiver.accepted()), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(HandoffPost, SequenceIsNeverReusedAfterTheQueueEmptied) {
  TempFolder root;
  Receiver receiver;
  const auto settings = post_settings(root, receiver.url());
  const auto p = verified_presentation(Algorithm::es256);
  {
    auto first = make(settings);
    first->start();
    ASSERT_EQ(first->send(p, kNow).sequence, 1u);
    ASSERT_TRUE(eventually([&] { return first->queue().pending == 0; }));
  }
  auto second = make(settings);
  EXPECT_EQ(second->send(p, kNow).sequence, 2u)
      << "a reused number would make the receiver drop a new patient as a duplicate";
}

TEST(HandoffPost, SecondSenderOnTheSameOutboxIsRefused) {
  TempFolder root;
  const auto settings = post_settings(root, "http://127.0.0.1:9/handoff");
  auto first = make(settings);
  const auto second = Handoff::create(settings, "kiosk-7", fast_retries());
  EXPECT_FALSE(second.handoff);
  EXPECT_NE(second.error.find("in use"), std::string::npos) << second.error;
}

TEST(HandoffPost, OutboxIsPrivate) {
  TempFolder root;
  auto handoff = make(post_settings(root, "http://127.0.0.1:9/handoff"));
  ASSERT_TRUE(handoff->send(verified_presentation(Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);
  struct stat st {};
  ASSERT_EQ(::stat((root / "outbox").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const auto item = root / "outbox" / OutboxFolder::item_name(1);
  ASSERT_EQ(::stat(item.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((item / "post.kiosk-7-1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(HandoffPost, StopReturnsPromptlyWhileTheReceiverHangs) {
  TempFolder root;
  Receiver receiver;
  receiver.hold_requests();
  auto settings = post_settings(root, receiver.url());
  settings.post_timeout_seconds = 60;
  auto handoff = make(settings);
  handoff->start();
  ASSERT_TRUE(handoff->send(verified_presentation(Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);
  ASSERT_TRUE(eventually([&] { return receiver.holding_one(); }));

  const auto before = std::chrono::steady_clock::now();
  handoff->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 20s) << "not the 60 s request timeout";
  EXPECT_FALSE(handoff->queue().running);
  EXPECT_EQ(handoff->queue().pending, 1u) << "an aborted request stays queued";
  receiver.release();
}

TEST(HandoffPost, EndpointOffThisMachineIsRefused) {
  TempFolder root;
  for (const char* url : {"http://192.0.2.10/handoff", "http://example.com/handoff",
                          "http://127.0.0.1.example.com/handoff"}) {
    const auto created = Handoff::create(post_settings(root, url), "kiosk-7", fast_retries());
    EXPECT_FALSE(created.handoff) << url;
    EXPECT_NE(created.error.find("this machine"), std::string::npos) << created.error;
  }
  HandoffOptions remote = fast_retries();
  remote.allow_remote_endpoint = true;
  EXPECT_TRUE(
      Handoff::create(post_settings(root, "http://192.0.2.10/h"), "kiosk-7", remote).handoff);
}

TEST(HandoffPost, EndpointWithOtherSchemeIsRefused) {
  TempFolder root;
  for (const char* url : {"ftp://127.0.0.1/x", "file:///tmp/x", "not a url"}) {
    const auto created = Handoff::create(post_settings(root, url), "kiosk-7", fast_retries());
    EXPECT_FALSE(created.handoff) << url;
  }
  for (const char* url : {"http://localhost:8080/x", "https://[::1]/x", "http://127.0.0.1/x"}) {
    EXPECT_TRUE(Handoff::create(post_settings(root, url), "kiosk-7", fast_retries()).handoff)
        << url;
  }
}

}  // namespace
}  // namespace kakunin::handoff

namespace kakunin::handoff {
namespace {

TEST(HandoffPost, KioskIdCannotInjectHeaderLines) {
  TempFolder root;
  Receiver receiver;
  auto created =
      Handoff::create(post_settings(root, receiver.url()), "受付 1\r\nX-Evil: 1", fast_retries());
  ASSERT_TRUE(created.handoff) << created.error;
  created.handoff->start();
  ASSERT_TRUE(created.handoff->send(verified_presentation(crypto::Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);
  ASSERT_TRUE(eventually([&] { return created.handoff->queue().pending == 0; }));
  ASSERT_EQ(receiver.accepted().size(), 1u);
  EXPECT_EQ(receiver.accepted()[0].idempotency_key, "-------1--X-Evil--1-1");
}

}  // namespace
}  // namespace kakunin::handoff

namespace kakunin::handoff {
namespace {

TEST(HandoffPost, TimedOutRequestIsSentAgainWithTheSameKey) {
  // The receiver takes the record but answers too late: the kiosk cannot know it
  // arrived, so it sends it again and the key lets the receiver drop the repeat.
  TempFolder root;
  Receiver receiver;
  receiver.hold_requests();
  auto settings = post_settings(root, receiver.url());
  settings.post_timeout_seconds = 1;
  auto handoff = make(settings);
  handoff->start();
  ASSERT_TRUE(handoff->send(verified_presentation(crypto::Algorithm::es256), kNow).kind ==
              Outcome::Kind::queued);
  ASSERT_TRUE(eventually([&] { return handoff->queue().channels[0].consecutive_failures >= 1; }));
  EXPECT_EQ(handoff->queue().pending, 1u);
  EXPECT_NE(handoff->queue().channels[0].last_error.find("imeout"), std::string::npos)
      << handoff->queue().channels[0].last_error;

  receiver.release();
  ASSERT_TRUE(eventually([&] { return handoff->queue().pending == 0; }));
  const auto requests = receiver.requests();
  ASSERT_GE(requests.size(), 2u);
  for (const auto& request : requests) EXPECT_EQ(request.idempotency_key, "kiosk-7-1");
  EXPECT_EQ(handoff->queue().channels[0].delivered, 1u);
}

}  // namespace
}  // namespace kakunin::handoff

namespace kakunin::handoff {
namespace {

TEST(HandoffPost, EndpointHoldingTheRequestShowsAsNotAnsweringAfterTheShareTimeout) {
  TempFolder root;
  Receiver receiver;
  receiver.hold_requests();
  base::FakeClock clock(kNow);
  HandoffOptions options = fast_retries();
  options.clock = &clock;
  options.share_timeout = 10s;
  auto settings = post_settings(root, receiver.url());
  settings.post_timeout_seconds = 60;
  auto handoff = make(settings, options);
  handoff->start();
  const Outcome queued = handoff->send(verified_presentation(crypto::Algorithm::es256), kNow);
  ASSERT_TRUE(eventually([&] { return receiver.holding_one(); }));

  clock.advance(9s);
  EXPECT_TRUE(handoff->queue().channels[0].answering);
  clock.advance(2s);
  const ChannelFigures post = handoff->queue().channels[0];
  EXPECT_FALSE(post.answering) << "the status page shows the endpoint not answering";
  EXPECT_EQ(post.stuck_for, 11s);
  EXPECT_EQ(handoff->outcome(queued.sequence)->channels[0].detail, "no answer for 11 s");

  receiver.release();
  const auto settled = testing::settled_outcome(*handoff, queued.sequence);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->kind, Outcome::Kind::sent);
  EXPECT_TRUE(handoff->queue().channels[0].answering);
  EXPECT_EQ(handoff->queue().channels[0].last_delivery, clock.wall_now());
}

}  // namespace
}  // namespace kakunin::handoff
