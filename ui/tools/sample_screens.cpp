#include "sample_screens.h"

#include <qrencode.h>

#include <chrono>
#include <memory>

namespace kakunin::ui::samples {
namespace {

constexpr int kFrameWidth = 1280;
constexpr int kFrameHeight = 720;

void fill_box(frame::Frame& frame, int x0, int y0, int w, int h, std::uint8_t b, std::uint8_t g,
              std::uint8_t r) {
  for (int y = std::max(0, y0); y < std::min(frame.height, y0 + h); ++y) {
    for (int x = std::max(0, x0); x < std::min(frame.width, x0 + w); ++x) {
      std::uint8_t* p = frame.pixels.data() + static_cast<std::ptrdiff_t>(y) * frame.stride +
                        3 * static_cast<std::ptrdiff_t>(x);
      p[0] = b;
      p[1] = g;
      p[2] = r;
    }
  }
}

// Audit rows waiting, the disk nearly full, the xml share hung with four
// hand-offs waiting, one damaged entry set aside, the last POST refused.
HealthInfo stuck_share_health() {
  HealthInfo h;
  h.recording = RecordingDisplay::delayed;
  h.rows_waiting = 12;
  h.disk_low = true;
  h.handoff_enabled = true;
  h.handoff_pending = 4;
  h.handoff_not_answering = true;
  h.handoff_quarantined = 1;
  h.handoff_last_sent = kSampleNow - 47L * 60;
  h.handoff_last_error = "post: HTTP 500 from http://127.0.0.1:8080/oqs";
  h.handoff_stuck_channel = "xml";
  return h;
}

// Everything wrong at once, each with its longest words: the status page must
// still fit 1024×768.
void set_every_fault(ScreenModel& m) {
  m.test_mode = true;
  m.warnings = {Warning::test_mode,           Warning::freshness_skipped,
                Warning::trust_list_stale,    Warning::clock_unsynchronised,
                Warning::audit_not_recording, Warning::handoff_not_answering};
  m.status.trust_list->next_update = kSampleNow - 3L * 86400;
  m.status.trust_list->verification_stops = kSampleNow + 4L * 86400;
  m.status.held_list_rolled_back = true;
  m.status.revocations->next_update = kSampleNow - 9L * 86400;
  m.status.revocations->verification_stops = kSampleNow - 2L * 86400;
  m.status.clock = base::ClockState::offset_too_large;
  m.status.facts.clock = {47, "lists.example.jp", false};
  m.status.facts.sync = {
      true, kSampleNow - 13L * 60, SyncResult::failed, SyncResult::refused,
      "trust list download from https://lists.example.jp/jhc1/trustlist.cose failed, keeping the "
      "held list (sequence 41): HTTP status 503 (after 5 attempts)"};
  m.camera = frame::SourceState::offline;
  m.camera_fps = 0;
  m.status.facts.capture_reason = "no such device /dev/video0";
  m.status.health = stuck_share_health();
  m.status.health.recording = RecordingDisplay::not_recording;
  // The online check's row at its longest: every kind of trouble counted.
  m.status.health.online_enabled = true;
  m.status.health.online_asked = 1204;
  m.status.health.online_answered = 1187;
  m.status.health.online_last_answer = kSampleNow - 95;
  m.status.health.online_timed_out = 14;
  m.status.health.online_refused_files = 2;
  m.status.health.online_write_failures = 1;
}

// The オンライン資格確認 beside the valid verdict, one screen per state: waiting
// (the hand-off held for the answer), confirmed, the 負担割合 differing, the
// qualification lost, no answer in time.
void add_online_screens(const ScreenModel& counting, std::vector<SampleScreen>& out) {
  const auto with_online = [&](const char* name, online::OnlineStatus status,
                               HandoffDisplay handoff) {
    SampleScreen s{name, counting, false};
    s.model.valid->online = std::move(status);
    s.model.valid->handoff = handoff;
    return s;
  };
  using online::OnlineReason;
  using online::OnlineState;
  out.push_back(with_online("valid-online-pending",
                            {OnlineState::pending, OnlineReason::none, {}, ""},
                            HandoffDisplay::waiting_online));
  out.push_back(with_online("valid-online-confirmed",
                            {OnlineState::confirmed, OnlineReason::none, {}, ""},
                            HandoffDisplay::sent));
  out.push_back(with_online(
      "valid-online-mismatch-ratio",
      {OnlineState::mismatch, OnlineReason::none, {{online::OnlineField::ratio, "020"}}, ""},
      HandoffDisplay::sent));
  out.push_back(with_online("valid-online-not-entitled-lost",
                            {OnlineState::not_entitled, OnlineReason::lost, {}, ""},
                            HandoffDisplay::not_sent));
  out.push_back(with_online("valid-online-unavailable-timed-out",
                            {OnlineState::unavailable, OnlineReason::timed_out, {}, ""},
                            HandoffDisplay::sent));
}

}  // namespace

crypto::VerifiedPresentation sample_presentation() {
  crypto::Certificate c;
  c.insurer_number = "06139993";
  c.symbol = "12345";
  c.number = "6789012";
  c.branch = "01";
  c.name = "見本 太郎";
  c.name_kana = "ミホン タロウ";
  c.birth_date = {1985, 4, 1};
  c.sex = crypto::Sex::male;
  c.relationship = crypto::Relationship::insured;
  c.issued = {2025, 12, 2};
  c.valid_until = {2030, 12, 1};
  c.ratio_tenths = 3;
  c.category = crypto::IssueCategory::automatic;
  crypto::VerifiedPresentation p{};
  p.profile = crypto::Profile::holder_bound;
  p.certificate = c;
  p.insurer_name = "見本健康保険組合";
  p.presented_at = kSampleNow - 3;
  p.age_seconds = 3;
  p.test_material = false;
  p.freshness_skipped = false;
  return p;
}

ScreenModel base_model(Language language) {
  ScreenModel m;
  m.language = language;
  m.now = kSampleNow;
  m.camera = frame::SourceState::running;
  m.camera_fps = 30;
  m.handoff_enabled = true;
  m.counts[static_cast<std::size_t>(crypto::Verdict::valid)] = 41;
  m.counts[static_cast<std::size_t>(crypto::Verdict::stale)] = 3;
  m.counts[static_cast<std::size_t>(crypto::Verdict::not_jhc1)] = 1;
  m.status.version = "0.1.0";
  m.status.kiosk_id = "kakunin-1";
  constexpr crypto::UnixSeconds kGrace = 7L * 86400;  // the spec's default
  m.status.trust_list = ListInfo{42, kSampleNow - 5L * 3600, kSampleNow + 19L * 3600,
                                 kSampleNow + 19L * 3600 + kGrace};
  m.status.revocations =
      ListInfo{1207, kSampleNow - 40L * 60, kSampleNow + 20L * 60, kSampleNow + 20L * 60 + kGrace};
  m.status.clock = base::ClockState::ok;
  // A healthy kiosk's facts: the clock a second behind the sync server, NTP on,
  // the last round two minutes ago, the last hand-off four minutes ago.
  m.status.facts.clock = {-1, "lists.example.jp", true};
  m.status.facts.sync = {true, kSampleNow - 2L * 60, SyncResult::unchanged, SyncResult::updated,
                         ""};
  m.status.health.handoff_enabled = true;
  m.status.health.handoff_last_sent = kSampleNow - 4L * 60;
  return m;
}

std::vector<SampleScreen> sample_screens(Language language) {
  std::vector<SampleScreen> out;
  const ScreenModel base = base_model(language);

  SampleScreen idle{"idle", base, true};
  sample_frame(&idle.model.qr_corners);
  out.push_back(idle);

  SampleScreen reading{"reading", base, true};
  reading.model.screen = ScreenKind::reading;
  sample_frame(&reading.model.qr_corners);
  out.push_back(reading);

  SampleScreen valid{"valid", base, false};
  valid.model.screen = ScreenKind::valid;
  valid.model.valid = ValidResult{sample_presentation(), kSampleNow, HandoffDisplay::not_sent};
  out.push_back(valid);

  // A 家族 member aged 72 with 1割: the quiet hint; on a test-mode kiosk that
  // accepts printed sheets, with every warning showing.
  SampleScreen hint{"valid-test-mode-hint", base, false};
  hint.model.screen = ScreenKind::valid;
  ValidResult hinted{sample_presentation(), kSampleNow, HandoffDisplay::sent};
  hinted.presentation.certificate.name = "見本 花子";
  hinted.presentation.certificate.name_kana = "ミホン ハナコ";
  hinted.presentation.certificate.sex = crypto::Sex::female;
  hinted.presentation.certificate.relationship = crypto::Relationship::dependent;
  hinted.presentation.certificate.birth_date = {1954, 6, 15};
  hinted.presentation.certificate.ratio_tenths = 1;
  hinted.presentation.certificate.branch = "02";
  hinted.presentation.certificate.category = crypto::IssueCategory::on_application;
  hinted.presentation.certificate.reason = 1;
  hinted.presentation.test_material = true;
  hinted.presentation.freshness_skipped = true;
  hinted.presentation.age_seconds = 86400L * 3;
  hint.model.valid = hinted;
  hint.model.test_mode = true;
  hint.model.warnings = {Warning::test_mode, Warning::freshness_skipped};
  out.push_back(hint);

  // One refusal per tier (issue 11), and a retry while the kiosk's clock is in doubt.
  const auto refusal = [&](const char* name, crypto::Verdict verdict) {
    SampleScreen s{name, base, false};
    s.model.screen = ScreenKind::refused;
    s.model.refused = RefusedResult{verdict};
    return s;
  };
  out.push_back(refusal("refused-retry-stale", crypto::Verdict::stale));
  out.push_back(refusal("refused-retry-not-jhc1", crypto::Verdict::not_jhc1));
  out.push_back(refusal("refused-stop-bad-signature", crypto::Verdict::bad_signature));
  out.push_back(refusal("refused-stop-revoked", crypto::Verdict::revoked));
  out.push_back(refusal("refused-terminal-test-material", crypto::Verdict::test_material));
  SampleScreen clock = refusal("refused-retry-clock-in-doubt", crypto::Verdict::clock_mismatch);
  clock.model.warnings = {Warning::clock_unsynchronised};
  clock.model.status.clock = base::ClockState::offset_too_large;
  out.push_back(clock);

  // 限度額適用区分 on the card: its own field.
  SampleScreen limit{"valid-with-limit", base, false};
  limit.model.screen = ScreenKind::valid;
  limit.model.valid = ValidResult{sample_presentation(), kSampleNow, HandoffDisplay::sending};
  limit.model.valid->presentation.certificate.limit_category = "区分ウ";
  out.push_back(limit);

  SampleScreen offline{"camera-offline", base, false};
  offline.model.screen = ScreenKind::camera_offline;
  offline.model.camera = frame::SourceState::offline;
  offline.model.camera_fps = 0;
  out.push_back(offline);

  SampleScreen no_trust{"no-trust-list", base, false};
  no_trust.model.screen = ScreenKind::no_trust_list;
  no_trust.model.status.trust_list.reset();
  no_trust.model.status.revocations.reset();
  out.push_back(no_trust);

  // The strips name the fact: the list past its update and when verification
  // stops, the clock's measured offset.
  SampleScreen warnings{"idle-warnings", base, true};
  warnings.model.warnings = {Warning::trust_list_stale, Warning::clock_unsynchronised};
  warnings.model.status.clock = base::ClockState::offset_too_large;
  warnings.model.status.facts.clock.offset_seconds = 47;
  warnings.model.status.revocations->next_update = kSampleNow - 2L * 86400;
  warnings.model.status.revocations->verification_stops = kSampleNow + 5L * 86400;
  out.push_back(warnings);

  SampleScreen ntp{"idle-warning-clock-ntp", base, true};
  ntp.model.warnings = {Warning::clock_unsynchronised};
  ntp.model.status.clock = base::ClockState::not_synchronised;
  ntp.model.status.facts.clock = {std::nullopt, "", false};
  out.push_back(ntp);

  SampleScreen unrecorded{"refused-audit-not-recording-disk-full", base, false};
  unrecorded.model.screen = ScreenKind::refused;
  unrecorded.model.refused = RefusedResult{crypto::Verdict::stale};
  unrecorded.model.warnings = {Warning::audit_not_recording};
  unrecorded.model.status.health.recording = RecordingDisplay::not_recording;
  unrecorded.model.status.health.disk_low = true;
  out.push_back(unrecorded);

  SampleScreen test_idle{"idle-test-mode", base, true};
  test_idle.model.test_mode = true;
  test_idle.model.warnings = {Warning::test_mode, Warning::freshness_skipped};
  out.push_back(test_idle);

  SampleScreen status{"status", base, false};
  status.model.screen = ScreenKind::status;
  out.push_back(status);
  // The kiosk's own health: audit rows delayed, a receipt-computer share that
  // does not answer, and a hand-off that will not arrive (issue 16).
  SampleScreen faults{"valid-handoff-failed-audit-delayed", base, false};
  faults.model.screen = ScreenKind::valid;
  faults.model.valid = ValidResult{sample_presentation(), kSampleNow, HandoffDisplay::failed};
  faults.model.warnings = {Warning::audit_delayed, Warning::handoff_not_answering};
  faults.model.status.health = stuck_share_health();
  out.push_back(faults);
  SampleScreen health{"status-audit-delayed-share-stuck", base, false};
  health.model.screen = ScreenKind::status;
  health.model.status.health = stuck_share_health();
  out.push_back(health);

  SampleScreen every_fault{"status-every-fault", base, false};
  every_fault.model.screen = ScreenKind::status;
  set_every_fault(every_fault.model);
  out.push_back(every_fault);

  // A held list older than the high-water mark was put back (issue 10).
  SampleScreen rolled_back{"status-held-list-rolled-back", base, false};
  rolled_back.model.screen = ScreenKind::status;
  rolled_back.model.status.held_list_rolled_back = true;
  out.push_back(rolled_back);

  // The countdown before a result clears, and a result staff pinned (issue 11).
  SampleScreen counting{"valid-countdown", valid.model, false};
  counting.model.countdown = Countdown{std::chrono::seconds(20), std::chrono::milliseconds(12300)};
  out.push_back(counting);
  SampleScreen ending = refusal("refused-countdown", crypto::Verdict::stale);
  ending.model.countdown = Countdown{std::chrono::seconds(20), std::chrono::milliseconds(3100)};
  out.push_back(ending);
  SampleScreen pinned{"valid-pinned", valid.model, false};
  pinned.model.countdown = Countdown{std::chrono::minutes(5), std::chrono::seconds(272), true};
  out.push_back(pinned);

  add_online_screens(counting.model, out);
  return out;
}

frame::Frame sample_frame(std::vector<std::pair<int, int>>* qr_corners) {
  frame::Frame frame;
  frame.width = kFrameWidth;
  frame.height = kFrameHeight;
  frame.stride = kFrameWidth * 3;
  frame.pixels.assign(static_cast<std::size_t>(frame.stride) * kFrameHeight, 0);
  frame.format = frame::FrameView::Format::bgr24;
  fill_box(frame, 0, 0, kFrameWidth, kFrameHeight, 0x6A, 0x74, 0x7A);  // desk
  fill_box(frame, 450, 70, 380, 600, 0x20, 0x20, 0x20);                // phone body
  fill_box(frame, 470, 110, 340, 520, 0xF4, 0xF4, 0xF4);               // its screen

  const std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString("JHC1:SAMPLE-NOT-A-REAL-CERTIFICATE", 0, QR_ECLEVEL_M, QR_MODE_8, 1),
      &QRcode_free);
  if (!qr) return frame;
  const int module = 280 / (qr->width + 4);
  const int size = module * qr->width;
  const int x0 = 640 - size / 2;
  const int y0 = 330 - size / 2;
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if (qr->data[y * qr->width + x] & 1) {
        fill_box(frame, x0 + x * module, y0 + y * module, module, module, 0, 0, 0);
      }
    }
  }
  if (qr_corners) {
    *qr_corners = {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}};
  }
  return frame;
}

}  // namespace kakunin::ui::samples
