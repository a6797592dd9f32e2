// The verdict sinks the counter pushes to: what staff hear and what the
// headless line tells an installer, never the member's personal data.
#include "outbox_handoff.h"
#include "test_world.h"
#include "verify_result_for_testing.h"

#include <kakunin/base/log.h>
#include <kakunin/kiosk/verdict_sink.h>
#include <kakunin/ui/tones.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <sstream>

namespace kakunin::testing {
namespace {

using namespace std::chrono_literals;

kiosk::CounterVerdict verdict_of(const crypto::VerifyResult& result) {
  const drivers::SteadyTime captured = drivers::SteadyTime{} + 10s;
  return {{"JHC1:...", {}, 42, captured}, result, kNow, captured + 25ms};
}

TEST(ToneSink, PlaysTheValidToneForAValidResultAndTheRefusedToneForARefusal) {
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  base::CapturingLogSink log;
  auto player = ui::TonePlayer::open(config::AudioSettings{}, base::Logger(log));
  ASSERT_TRUE(player->has_device()) << ::testing::PrintToString(log.lines());
  const auto samples_of = [&](auto play) {
    const std::size_t before = player->samples_played();
    play();
    return player->samples_played() - before;
  };
  const TestWorld world;
  kiosk::ToneSink sink(*player);
  const auto valid = world.verifier().verify(world.issuer_qr(crypto::Algorithm::es256), kNow);
  ASSERT_TRUE(valid.is_valid()) << valid.detail();
  const std::size_t valid_tone = samples_of([&] { player->play(ui::Tone::valid); });
  const std::size_t refused_tone = samples_of([&] { player->play(ui::Tone::refused); });
  ASSERT_NE(valid_tone, refused_tone) << "the two tones differ in length";
  EXPECT_EQ(samples_of([&] { sink.verdict(verdict_of(valid)); }), valid_tone);
  EXPECT_EQ(samples_of([&] {
              sink.verdict(verdict_of(
                  crypto::VerifyResultForTesting::refusal(crypto::Verdict::stale, "old")));
            }),
            refused_tone);
  kiosk::CounterVerdict held = verdict_of(valid);
  held.announced = false;  // the same certificate again: the screen held its result
  EXPECT_EQ(samples_of([&] { sink.verdict(held); }), 0u) << "staff hear a patient once";
  unsetenv("SDL_AUDIODRIVER");
}

TEST(JsonLineSink, OneLinePerVerdictWithVerdictProfileAgeFrameAndLatencyButNoPersonalData) {
  const TestWorld world;
  const auto valid = world.verifier().verify(world.holder_qr(crypto::Algorithm::es256), kNow);
  ASSERT_TRUE(valid.is_valid()) << valid.detail();
  std::ostringstream out;
  kiosk::JsonLineSink sink(out);
  sink.verdict(verdict_of(valid));
  sink.verdict(
      verdict_of(crypto::VerifyResultForTesting::refusal(crypto::Verdict::not_jhc1, "a URL")));

  std::istringstream lines(out.str());
  std::string first, second, none;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  EXPECT_FALSE(std::getline(lines, none));
  const auto line = nlohmann::json::parse(first);
  EXPECT_EQ(line["verdict"], "valid");
  EXPECT_EQ(line["profile"], "holder");
  EXPECT_TRUE(line.contains("qr_age_seconds"));
  EXPECT_EQ(line["frame"], 42);
  EXPECT_DOUBLE_EQ(line["latency_ms"].get<double>(), 25.0);
  EXPECT_EQ(nlohmann::json::parse(second)["verdict"], "not_jhc1");
  const crypto::Certificate member = world.member_of(world.es256_insurer);
  for (const std::string& secret : {member.name, member.number, member.insurer_number}) {
    EXPECT_EQ(out.str().find(secret), std::string::npos) << secret;
  }
}

TEST(JsonLineSink, TheCallerAddsItsOwnFieldsAfterTheVerdict) {
  std::ostringstream out;
  kiosk::JsonLineSink sink(out, [](const kiosk::CounterVerdict&, nlohmann::ordered_json& line) {
    line["scene"] = "url-qr";
  });
  sink.verdict(
      verdict_of(crypto::VerifyResultForTesting::refusal(crypto::Verdict::not_jhc1, "a URL")));
  const auto line = nlohmann::ordered_json::parse(out.str());
  EXPECT_EQ(line["scene"], "url-qr");
  EXPECT_EQ(line.begin().key(), "verdict");
}

TEST(OutboxHandoffProgress, SaysSentOnlyWhenEveryChannelDelivered) {
  using Kind = handoff::Outcome::Kind;
  handoff::Outcome outcome;
  for (const auto& [kind, shown] : std::vector<std::pair<Kind, ui::HandoffDisplay>>{
           {Kind::queued, ui::HandoffDisplay::sending},
           {Kind::sent, ui::HandoffDisplay::sent},
           {Kind::partial, ui::HandoffDisplay::failed},
           {Kind::failed, ui::HandoffDisplay::failed},
           {Kind::disabled, ui::HandoffDisplay::failed}}) {
    outcome.kind = kind;
    EXPECT_EQ(kiosk::handoff_display(outcome), shown) << handoff::outcome_name(kind);
  }
}

}  // namespace
}  // namespace kakunin::testing
