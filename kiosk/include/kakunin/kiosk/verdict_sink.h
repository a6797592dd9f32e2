// Verdict sinks: where a verification goes once the counter has it (scrcpy's
// frame sinks, for verdicts). One call per verdict on the main thread, nothing
// comes back, and no sink knows who else listens. The Counter holds its sinks
// and pushes to all, in the order they were added:
//
//   Counter ─┬─▶ AuditSink     a hash-chained row per verification (no personal data)
//            ├─▶ ToneSink      the valid or the refused tone
//            ├─▶ JsonLineSink  the headless line (`--headless`)
//            └─▶ HandoffSink   (a hand-off sink: only the results sent to the レセコン)
//
//   kiosk::AuditSink audit_sink(audit_log, config.kiosk.id, log);
//   kiosk.add_sink(audit_sink);           // every verification
//   kiosk.add_handoff_sink(handoff_sink);  // valid results staff send (or every one, when automatic)
//
// Sinks must outlive the Counter they are added to.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/drivers/frame_source.h>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

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

// The valid tone for a valid result, the refused tone for every refusal.
class ToneSink final : public VerdictSink {
 public:
  explicit ToneSink(ui::TonePlayer& tones) : tones_(tones) {}
  void verdict(const CounterVerdict& verdict) override;

 private:
  ui::TonePlayer& tones_;
};

// Hands a valid result to the receipt computer through `hand_off`, which must
// not block (`kakunin run` queues it for a worker thread). Refusals are ignored.
class HandoffSink final : public VerdictSink {
 public:
  using HandOff =
      std::function<void(std::shared_ptr<const crypto::VerifiedPresentation>, crypto::UnixSeconds checked_at)>;
  explicit HandoffSink(HandOff hand_off) : hand_off_(std::move(hand_off)) {}
  void verdict(const CounterVerdict& verdict) override;

 private:
  HandOff hand_off_;
};

// The headless line: one JSON object per verdict on `out` — verdict, profile,
// QR age, frame, latency from capture, the English message — never personal
// data. `annotate` adds the caller's fields after those (the demo's scene).
class JsonLineSink final : public VerdictSink {
 public:
  using Annotate = std::function<void(const CounterVerdict&, nlohmann::ordered_json& line)>;
  explicit JsonLineSink(std::ostream& out, Annotate annotate = {}) : out_(out), annotate_(std::move(annotate)) {}
  void verdict(const CounterVerdict& verdict) override;

 private:
  std::ostream& out_;
  Annotate annotate_;
};

}  // namespace kakunin::kiosk
