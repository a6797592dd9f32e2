#include <kakunin/kiosk/verdict_sink.h>

#include <kakunin/audit/audit_log.h>
#include <kakunin/ui/catalogue.h>
#include <kakunin/ui/tones.h>

#include <nlohmann/json.hpp>

#include <chrono>

namespace kakunin::kiosk {

AuditSink::AuditSink(audit::AuditLog& log, std::string kiosk_id, base::Logger log_line)
    : audit_(log), kiosk_id_(std::move(kiosk_id)), log_line_(std::move(log_line)) {}

void AuditSink::verdict(const CounterVerdict& verdict) {
  auto recorded = audit_.record(verdict.result, verdict.checked_at, kiosk_id_);
  if (!recorded.ok())
    log_line_.error("audit: could not record a verdict: " + recorded.error().message);
}

void ToneSink::verdict(const CounterVerdict& verdict) {
  // A phone held up redraws its QR every 10 s: staff hear the result once.
  if (!verdict.announced) return;
  tones_.play(verdict.result.is_valid() ? ui::Tone::valid : ui::Tone::refused);
}

void JsonLineSink::verdict(const CounterVerdict& verdict) {
  nlohmann::ordered_json line;
  const crypto::Verdict v = verdict.result.verdict();
  line["verdict"] = crypto::verdict_name(v);
  if (auto profile = verdict.result.profile()) line["profile"] = crypto::profile_name(*profile);
  if (const auto* p = verdict.result.presentation()) line["qr_age_seconds"] = p->age_seconds;
  line["frame"] = verdict.scanned.frame_sequence;
  if (verdict.scanned.captured_at != drivers::SteadyTime{} &&
      verdict.verified_at != drivers::SteadyTime{}) {
    line["latency_ms"] =
        std::chrono::duration<double, std::milli>(verdict.verified_at - verdict.scanned.captured_at)
            .count();
  }
  line["message_en"] = ui::verdict_message(v, ui::Language::english);
  if (!verdict.announced) line["announced"] = false;
  if (annotate_) annotate_(verdict, line);
  // A sink never throws: text that is not UTF-8 is replaced, not refused.
  out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

void OnlineLine::after_turn(const ui::ScreenModel& model) {
  if (!model.valid || !model.valid->online || !model.valid->online->final()) return;
  const auto key = std::make_pair(model.valid->checked_at, model.valid->presentation.cti);
  if (told_ == key) return;
  told_ = key;
  const online::OnlineStatus& status = *model.valid->online;
  nlohmann::ordered_json line = {{"online", online::online_state_name(status.state)}};
  line["reason"] = status.reason == online::OnlineReason::none
                       ? nlohmann::ordered_json()
                       : nlohmann::ordered_json(online::online_reason_name(status.reason));
  out_ << line.dump() << std::endl;
}

}  // namespace kakunin::kiosk
