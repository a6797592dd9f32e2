// Verdict sinks: where a verification goes once the counter has it (scrcpy's
// frame sinks, for verdicts). One call per verdict on the main thread, nothing
// comes back, and no sink knows who else listens. The Counter holds its sinks
// and pushes to all, in the order they were added:
//
//   Counter ─┬─▶ AuditSink     a hash-chained row per verification (no personal data)
//            ├─▶ ToneSink      the valid or the refused tone
//            ├─▶ JsonLineSink  the headless line (`--headless`)
//            └─▶ HandoffTarget (only the results sent to the レセコン; says what became of each)
//
//   kiosk::AuditSink audit_sink(audit_log, config.kiosk.id, log);
//   kiosk.add_sink(audit_sink);           // every verification
//   kiosk.set_handoff(outbox);            // valid results staff send (or every one, when
//   automatic)
//
// Sinks must outlive the Counter they are added to.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/online/online.h>
#include <kakunin/ui/screen_model.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

namespace kakunin::audit {
class AuditLog;
}
namespace kakunin::ui {
class TonePlayer;
}

namespace kakunin::kiosk {

// One verification, as the main loop saw it.
struct CounterVerdict {
  drivers::ScannedText scanned;  // empty for a hand-off: that sends the result on screen
  crypto::VerifyResult result;
  crypto::UnixSeconds checked_at = 0;  // wall time of the check (shown on screen)
  drivers::SteadyTime verified_at{};   // when the result reached the screen's state
  // False when the screen had nothing new to say: the same certificate as the
  // result on screen (the phone redrew its QR; the state machine held the result)
  // or a late answer. The tone stays silent; the audit still records the
  // verification, so an auditor sees every presentation that was checked.
  bool announced = true;
  // A hand-off only, with the online check on: what the national system said
  // (final), and its answer when there was one, so the receipt computer gets it.
  std::optional<online::OnlineStatus> online = std::nullopt;
  std::shared_ptr<const online::NationalAnswer> national = nullptr;
};

class VerdictSink {
 public:
  virtual ~VerdictSink() = default;
  virtual void verdict(const CounterVerdict& verdict) = 0;
};

// One audit row per verification; a row that cannot be written is logged (the
// counter goes on: staff still need the answer).
class AuditSink final : public VerdictSink {
 public:
  AuditSink(audit::AuditLog& log, std::string kiosk_id, base::Logger log_line);
  void verdict(const CounterVerdict& verdict) override;

 private:
  audit::AuditLog& audit_;
  std::string kiosk_id_;
  base::Logger log_line_;
};

// The valid tone for a valid result, the refused tone for every refusal; none
// for a verdict not announced (a re-presentation of the result on screen).
class ToneSink final : public VerdictSink {
 public:
  explicit ToneSink(ui::TonePlayer& tones) : tones_(tones) {}
  void verdict(const CounterVerdict& verdict) override;

 private:
  ui::TonePlayer& tones_;
};

// Where a valid result goes when it is handed to the receipt computer (staff
// pressed S, or every valid one when the hand-off is automatic), and what became
// of it: the valid card shows progress(), so "sent" is said only once it was.
// hand_off() must not wait for a share or the network (kakunin run's target makes
// the hand-off durable in the outbox on the kiosk's disk and returns).
class HandoffTarget {
 public:
  virtual ~HandoffTarget() = default;
  // Queues it; the ticket follows it with progress().
  virtual std::uint64_t hand_off(const CounterVerdict& verdict) = 0;
  virtual ui::HandoffDisplay progress(std::uint64_t ticket) const = 0;
};

// The headless line: one JSON object per verdict on `out` — verdict, profile,
// QR age, frame, latency from capture, the English message, `"announced": false`
// for a re-presentation the screen held — never personal data. `annotate` adds
// the caller's fields after those (the demo's scene).
class JsonLineSink final : public VerdictSink {
 public:
  using Annotate = std::function<void(const CounterVerdict&, nlohmann::ordered_json& line)>;
  explicit JsonLineSink(std::ostream& out, Annotate annotate = {})
      : out_(out), annotate_(std::move(annotate)) {}
  void verdict(const CounterVerdict& verdict) override;

 private:
  std::ostream& out_;
  Annotate annotate_;
};

// The headless line's companion for the online check: one JSON object when the
// national answer for the valid result on screen is final —
// {"online": "confirmed", "reason": null} — never personal data. Called after
// each turn with what the screen shows (kiosk::AfterTurn).
class OnlineLine {
 public:
  explicit OnlineLine(std::ostream& out) : out_(out) {}
  void after_turn(const ui::ScreenModel& model);

 private:
  std::ostream& out_;
  std::optional<std::pair<crypto::UnixSeconds, crypto::Cti>> told_;  // the result last told
};

}  // namespace kakunin::kiosk
