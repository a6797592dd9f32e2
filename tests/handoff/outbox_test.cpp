// The outbox is the queue: a kill at any moment leaves whole hand-offs only, a
// damaged or vanished entry is set aside and the queue moves on, and queues of the
// earlier one-file-per-POST layout are carried over.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <kakunin/base/atomic_file.h>

#include "handoff_test_support.h"
#include "outbox.h"

namespace kakunin::handoff {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using crypto::Algorithm;
using testing::eventually;
using testing::kNow;
using testing::Receiver;
using testing::TempFolder;
using testing::verified_presentation;

base::Logger quiet_log() { return {}; }  // drops every line

// 1 MB whose every byte depends on the hand-off and channel, so a torn or mixed entry shows.
std::string content_for(std::uint64_t sequence, int channel) {
  std::string out(std::size_t{1000} * 1000, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] =
        static_cast<char>('A' + (sequence * 7 + static_cast<std::uint64_t>(channel) * 3 + i) % 26);
  }
  return out;
}

std::vector<OutboxPayload> payloads_for(std::uint64_t sequence) {
  return {{{Channel::xml, "r" + std::to_string(sequence) + ".xml"}, content_for(sequence, 0)},
          {{Channel::json, "r" + std::to_string(sequence) + ".json"}, content_for(sequence, 1)},
          {{Channel::post, "k-" + std::to_string(sequence)}, content_for(sequence, 2)}};
}

TEST(Outbox, KillDuringHandOffsLeavesOnlyWholeOnes) {
  TempFolder root;
  const fs::path dir = root / "outbox";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto opened = Outbox::open(dir, "k", quiet_log());
    if (!opened.outbox) ::_exit(3);
    for (;;) {
      const auto sequence = opened.outbox->reserve_sequence();
      if (!sequence.ok() ||
          !opened.outbox->enqueue(sequence.value(), payloads_for(sequence.value())).ok()) {
        ::_exit(4);
      }
    }
  }
  const bool wrote = eventually([&] { return fs::exists(dir / OutboxFolder::item_name(4)); }, 60s);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(wrote) << "the child never wrote";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child must have died mid-loop";

  auto reopened = Outbox::open(dir, "k", quiet_log());  // the lock died with the child
  ASSERT_TRUE(reopened.outbox) << reopened.error;
  for (const auto& f : testing::files_in(dir)) {
    EXPECT_NE(f.filename().string().rfind(base::kTempPrefix, 0), 0u)
        << "half-written hand-offs are cleared";
  }
  ASSERT_GE(reopened.outbox->found().size(), 4u);
  std::uint64_t expected = 1;
  for (const auto& [sequence, entries] : reopened.outbox->found()) {
    EXPECT_EQ(sequence, expected++) << "no gaps among whole hand-offs";
    ASSERT_EQ(entries.size(), 3u) << "a hand-off is in the outbox for every channel or not at all";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto bytes = reopened.outbox->folder().read(sequence, entries[i]);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      EXPECT_TRUE(bytes.value() == content_for(sequence, static_cast<int>(i)))
          << "#" << sequence << " torn";
    }
  }
  const auto next = reopened.outbox->reserve_sequence();
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next.value(), reopened.outbox->found().rbegin()->first) << "numbers are never reused";
}

TEST(Outbox, EntriesThatAreNotOursAreQuarantinedAtOpen) {
  TempFolder root;
  const fs::path dir = root / "outbox";
  {
    auto opened = Outbox::open(dir, "k", quiet_log());
    ASSERT_TRUE(opened.outbox);
    ASSERT_TRUE(opened.outbox->enqueue(1, payloads_for(1)).ok());
  }
  const fs::path item = dir / OutboxFolder::item_name(1);
  std::ofstream(item / "fax.k-1") << "?";               // no such channel
  fs::create_directory(item / "json.not-a-file.json");  // a folder where a record should be
  base::CapturingLogSink sink;
  auto reopened = Outbox::open(dir, "k", base::Logger(sink));
  const std::vector<std::string> log = sink.lines();
  ASSERT_TRUE(reopened.outbox) << reopened.error;
  EXPECT_EQ(reopened.outbox->quarantined(), 2u);
  ASSERT_EQ(reopened.outbox->found().count(1), 1u);
  EXPECT_EQ(reopened.outbox->found().at(1).size(), 3u) << "the good entries stay queued";
  EXPECT_EQ(testing::files_in(dir / "quarantine").size(), 2u);
  ASSERT_EQ(log.size(), 2u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("moved to quarantine"), std::string::npos) << log[0];
}

TEST(Outbox, FolderOfAHandOffEveryChannelDeliveredIsRemovedAtOpen) {
  TempFolder root;
  const fs::path dir = root / "outbox";
  fs::create_directories(dir / OutboxFolder::item_name(5));  // the crash came before the rmdir
  auto opened = Outbox::open(dir, "k", quiet_log());
  ASSERT_TRUE(opened.outbox);
  EXPECT_TRUE(opened.outbox->found().empty());
  EXPECT_FALSE(fs::exists(dir / OutboxFolder::item_name(5)));
  EXPECT_EQ(opened.outbox->reserve_sequence().value(), 6u) << "its number is not given out again";
}

TEST(Outbox, QueuedPostsOfTheEarlierLayoutAreCarriedOver) {
  TempFolder root;
  const fs::path dir = root / "outbox";
  fs::create_directories(dir);
  std::ofstream(dir / "00000000000000000007.json") << R"({"sequence":7})";
  std::ofstream(dir / "sequence") << "7\n";
  auto opened = Outbox::open(dir, "desk-1", quiet_log());
  ASSERT_TRUE(opened.outbox) << opened.error;
  ASSERT_EQ(opened.outbox->found().count(7), 1u);
  const std::vector<OutboxEntry> expected = {{Channel::post, "desk-1-7"}};
  EXPECT_EQ(opened.outbox->found().at(7), expected) << "the same Idempotency-Key as before";
  EXPECT_FALSE(fs::exists(dir / "00000000000000000007.json"));
  EXPECT_EQ(opened.outbox->folder().read(7, expected[0]).value(), R"({"sequence":7})");
}

// ------------------------------------------------- through the hand-off --

struct PostOnly {
  TempFolder root;
  config::HandoffSettings settings;
  explicit PostOnly(const std::string& url) {
    settings.enabled = true;
    settings.post_url = url;
    settings.outbox_dir = root / "outbox";
    settings.post_timeout_seconds = 5;
  }
  fs::path entry(std::uint64_t sequence) const {
    return settings.outbox_dir / OutboxFolder::item_name(sequence) /
           ("post.kiosk-7-" + std::to_string(sequence));
  }
};

HandoffOptions fast(base::LogSink* log = nullptr) {
  HandoffOptions options;
  options.backoff_initial = 20ms;
  options.backoff_max = 100ms;
  options.stop_timeout = 500ms;
  if (log) options.log = base::Logger(*log);
  return options;
}

std::vector<std::string> keys_of(const std::vector<Receiver::Request>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.idempotency_key);
  return out;
}

TEST(OutboxQueue, HandOffDeletedWhileTheKioskRunsDoesNotHoldTheOthers) {
  const int port = testing::unused_port();
  PostOnly setup("http://127.0.0.1:" + std::to_string(port) + "/handoff");
  auto created = Handoff::create(setup.settings, "kiosk-7", fast());
  ASSERT_TRUE(created.handoff) << created.error;
  Handoff& handoff = *created.handoff;
  handoff.start();
  const auto p = verified_presentation(Algorithm::es256);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(handoff.send(p, kNow + i).kind, Outcome::Kind::queued);
  ASSERT_TRUE(eventually([&] { return handoff.queue().channels[0].consecutive_failures >= 2; }));

  fs::remove_all(setup.settings.outbox_dir / OutboxFolder::item_name(1));  // someone deletes #1
  Receiver receiver(port);
  handoff.retry_now();
  ASSERT_TRUE(eventually([&] { return handoff.queue().pending == 0; }));
  EXPECT_EQ(keys_of(receiver.accepted()), (std::vector<std::string>{"kiosk-7-2", "kiosk-7-3"}));
  const auto first = handoff.outcome(1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, Outcome::Kind::failed);
  EXPECT_NE(first->channels[0].detail.find("removed"), std::string::npos)
      << first->channels[0].detail;
}

TEST(OutboxQueue, DamagedHandOffIsQuarantinedAndTheQueueMovesOn) {
  Receiver receiver;
  PostOnly setup(receiver.url());
  const auto p = verified_presentation(Algorithm::es256);
  base::CapturingLogSink log;
  {
    auto created = Handoff::create(setup.settings, "kiosk-7", fast());
    ASSERT_TRUE(created.handoff);
    for (int i = 0; i < 3; ++i)
      created.handoff->send(p, kNow + i);  // the kiosk stops before sending
  }
  std::ofstream(setup.entry(1), std::ios::trunc)
      << "{\"format\": \"kakunin-hand";  // the disk damages #1

  auto created = Handoff::create(setup.settings, "kiosk-7", fast(&log));
  ASSERT_TRUE(created.handoff);
  created.handoff->start();
  ASSERT_TRUE(eventually([&] { return created.handoff->queue().pending == 0; }));
  EXPECT_EQ(keys_of(receiver.accepted()), (std::vector<std::string>{"kiosk-7-2", "kiosk-7-3"}));
  EXPECT_EQ(created.handoff->queue().quarantined, 1u);
  EXPECT_EQ(testing::files_in(setup.settings.outbox_dir / "quarantine").size(), 1u)
      << "kept aside for the vendor, never sent";
  bool logged = false;
  for (const auto& line : log.lines())
    logged = logged || line.find("error: handoff #1: post: outbox entry damaged") == 0;
  EXPECT_TRUE(logged) << log.text();
  for (const auto& line : log.lines())
    EXPECT_EQ(line.find("kakunin-hand"), std::string::npos) << "no content in logs";

  created.handoff.reset();
  auto after_restart = Handoff::create(setup.settings, "kiosk-7", fast());
  ASSERT_TRUE(after_restart.handoff);
  EXPECT_EQ(after_restart.handoff->queue().pending, 0u)
      << "it blocks nothing across restarts either";
  EXPECT_EQ(after_restart.handoff->queue().quarantined, 1u);
}

TEST(OutboxQueue, EntriesForAChannelNoLongerConfiguredWaitForIt) {
  Receiver receiver;
  PostOnly setup(receiver.url());
  setup.settings.json_dir = setup.root / "json";  // the json folder does not exist: nothing goes
  {
    auto created = Handoff::create(setup.settings, "kiosk-7", fast());
    ASSERT_TRUE(created.handoff);
    created.handoff->send(verified_presentation(Algorithm::es256), kNow);
  }
  setup.settings.json_dir.clear();
  auto created = Handoff::create(setup.settings, "kiosk-7", fast());
  ASSERT_TRUE(created.handoff);
  created.handoff->start();
  ASSERT_TRUE(eventually([&] { return created.handoff->queue().pending == 0; }));
  EXPECT_EQ(created.handoff->queue().stranded, 1u);
  EXPECT_EQ(receiver.accepted().size(), 1u);
  EXPECT_TRUE(fs::exists(setup.settings.outbox_dir / OutboxFolder::item_name(1)))
      << "the JSON entry stays until json_dir is configured again";
}

}  // namespace
}  // namespace kakunin::handoff
