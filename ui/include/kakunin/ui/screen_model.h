// What the kiosk screen shows, as a plain value: the state machine
// (kakunin/kiosk/state_machine.h) produces it, the renderer (screen.h) draws it.
// Nothing here knows SDL; a test can build any screen by filling this in.
//
// Personal data lives only in `valid`, and only while a verified result is shown.
//
//   ui::ScreenModel model;
//   model.screen = ui::ScreenKind::refused;
//   model.refused = ui::RefusedResult{crypto::Verdict::stale};
//   screen.draw(model);  // screen.h
#pragma once

#include <kakunin/base/clock_state.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/frame/frame.h>
#include <kakunin/online/status.h>
#include <kakunin/ui/catalogue.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kakunin::ui {

enum class ScreenKind {
  idle,            // live preview, guide frame, instruction, large clock
  reading,         // a QR was seen and is being verified
  valid,           // green card with the verified certificate
  refused,         // red card: verdict and what to do next, no personal data
  camera_offline,  // カメラが接続されていません
  no_trust_list,   // trust material missing or unusable
  status,          // versions, lists, clock, camera, today's counts
};
std::string_view screen_name(ScreenKind kind);  // "idle", "valid", ... (file names, logs)

// Amber warnings that stay visible on every screen while they hold.
enum class Warning {
  test_mode,              // テストモード — 実際の受付には使えません
  freshness_skipped,      // printed sample sheets accepted (test mode only)
  trust_list_stale,       // past next_update, still inside the grace period
  clock_unsynchronised,   // the clock check says the time may be wrong
  audit_delayed,          // the audit database does not answer: rows wait, safe, on the kiosk
  audit_not_recording,    // a verdict could not be recorded at all
  handoff_not_answering,  // a receipt-computer share or endpoint does not answer
};

// What staff can ask for, from keys or on-screen buttons.
enum class StaffAction {
  clear,            // Esc / Space / クリア: back to idle at once
  read_again,       // R / 再読取: forget the last QR so the same one is read again
  send_to_receipt,  // S / レセコンへ送信: only while a valid result is shown
  toggle_status,    // F1 / Tab / 状態: the status page, and back
  pin,              // P / 固定: hold the result on screen (no countdown); again to unpin
};

// Whether verdicts are recorded and hand-offs delivered, for the warnings and
// the status page (no personal data).
enum class RecordingDisplay { recording, delayed, not_recording };
struct HealthInfo {
  RecordingDisplay recording = RecordingDisplay::recording;
  std::int64_t rows_waiting = 0;  // audit rows safe in the queue, not yet in the database
  bool disk_low = false;          // the audit queue had to use its reserve
  bool handoff_enabled = false;
  std::size_t handoff_pending = 0;      // hand-offs some channel has yet to deliver
  bool handoff_not_answering = false;   // a share or endpoint call has not returned in time
  std::size_t handoff_quarantined = 0;  // damaged outbox entries set aside
  // The facts behind the hand-off row and strip (English as logged, no personal data).
  std::optional<crypto::UnixSeconds> handoff_last_sent;  // the latest delivery on any channel
  std::string handoff_last_error;                        // "post: HTTP 503", empty after success
  std::string handoff_stuck_channel;                     // "xml" while its share does not answer
  // The online check's counts since start (docs/online.md); a row only while it is on.
  bool online_enabled = false;
  std::uint64_t online_asked = 0;
  std::uint64_t online_answered = 0;
  std::uint64_t online_timed_out = 0;
  std::uint64_t online_refused_files = 0;
  std::uint64_t online_write_failures = 0;
  std::optional<crypto::UnixSeconds> online_last_answer;  // wall time the newest answer came
  bool operator==(const HealthInfo&) const = default;
};

// One list's header for the status page (no personal data in lists).
struct ListInfo {
  std::uint64_t sequence = 0;
  crypto::UnixSeconds issued_at = 0;
  crypto::UnixSeconds next_update = 0;
  crypto::UnixSeconds verification_stops = 0;  // next_update + the grace: no_trust_list after
  bool operator==(const ListInfo&) const = default;
};

// ---- The facts behind the status page's rows and the warning strips (issue 11) --
// Each carried from where it is measured; none changes every frame.

// The clock check's measurements (sync::ClockReport).
struct ClockFacts {
  std::optional<std::int64_t> offset_seconds;  // local minus the sync server; positive: ahead
  std::string offset_source;                   // the server whose Date gave it (host name)
  std::optional<bool> kernel_synchronised;     // NTP, as the kernel says; nullopt: not asked
  bool operator==(const ClockFacts&) const = default;
};

// The last sync round (sync::RoundReport), per list as sync::ListOutcome::Result.
enum class SyncResult { updated, unchanged, refused, failed, not_configured };
struct SyncFacts {
  bool configured = false;                        // some list has a URL to sync from
  std::optional<crypto::UnixSeconds> last_round;  // when the last round ended; nullopt: none yet
  SyncResult trust_list = SyncResult::not_configured;
  SyncResult revocations = SyncResult::not_configured;
  std::string error;  // the first failed or refused list's reason, English as logged
  bool operator==(const SyncFacts&) const = default;
};

enum class CaptureKind { camera, scanner };
struct StatusFacts {
  ClockFacts clock;
  SyncFacts sync;
  CaptureKind capture = CaptureKind::camera;
  std::string capture_reason;  // the source's own words ("no such device /dev/video0")
  bool operator==(const StatusFacts&) const = default;
};
// ---- end of the status facts --

struct StatusInfo {
  std::string version;
  std::string kiosk_id;
  std::optional<ListInfo> trust_list;
  std::optional<ListInfo> revocations;
  base::ClockState clock = base::ClockState::unknown;  // the clock check's own state
  bool held_list_rolled_back = false;  // an older list was put back in the state folder
  HealthInfo health;
  StatusFacts facts;
  bool operator==(const StatusInfo&) const = default;
};

// What became of the hand-off of the result on screen: the valid card says it,
// so staff never read "sent" for a hand-off that did not arrive.
enum class HandoffDisplay {
  not_sent,  // staff may press S (when the hand-off is by staff)
  // Held on the kiosk until the national system answers (or the online check
  // times out), so the receipt computer gets the authoritative answer with it.
  waiting_online,
  sending,  // safe in the kiosk's outbox, on its way to the receipt computer
  sent,     // every configured channel delivered it
  failed,   // it will not arrive (a channel failed or the outbox refused): type it in
};

struct ValidResult {
  crypto::VerifiedPresentation presentation;
  crypto::UnixSeconds checked_at = 0;
  HandoffDisplay handoff = HandoffDisplay::not_sent;
  // The オンライン資格確認 of this certificate (docs/online.md), shown beside the
  // offline verdict; nullopt when the kiosk does not ask online. It never changes
  // the offline verdict: a valid card stays a valid card, with the national
  // answer on it.
  std::optional<online::OnlineStatus> online = std::nullopt;
  bool operator==(const ValidResult&) const = default;
};

struct RefusedResult {
  crypto::Verdict verdict = crypto::Verdict::malformed;
  bool operator==(const RefusedResult&) const = default;
};

// How long the result on screen has left before it clears by itself (valid and
// refused screens only), for the countdown strip above the buttons. `remaining`
// is rounded up to what the strip shows (kCountdownStep for the draining bar,
// whole seconds while pinned), so the model changes, and the screen is drawn
// again, only when the strip would look different.
inline constexpr std::chrono::milliseconds kCountdownStep{100};
struct Countdown {
  std::chrono::milliseconds total{0};
  std::chrono::milliseconds remaining{0};
  // Staff pinned it (P / 固定): no countdown, but a ceiling so personal data never
  // stays all day; total and remaining are then to that ceiling.
  bool pinned = false;
  bool operator==(const Countdown&) const = default;
};

struct ScreenModel {
  ScreenKind screen = ScreenKind::idle;
  Language language = Language::japanese;
  crypto::UnixSeconds now = 0;  // the clock on screen (Japan time when drawn)

  std::optional<ValidResult> valid;      // only when screen == valid
  std::optional<RefusedResult> refused;  // only when screen == refused
  std::vector<Warning> warnings;         // in the order above
  std::optional<Countdown> countdown;    // only when screen is valid or refused

  // Today's results (Japan date), by verdict.
  std::array<int, crypto::kVerdictCount> counts{};

  frame::SourceState camera = frame::SourceState::starting;  // ended shows as offline
  double camera_fps = 0;  // to a tenth: what the status page shows
  // The detected QR's outline in frame pixels (clockwise), while it is fresh.
  std::vector<std::pair<int, int>> qr_corners;

  bool test_mode = false;
  bool handoff_enabled = false;  // show the send button on valid results
  StatusInfo status;

  // Every field compared: the loop draws again only when something on screen
  // changed (or a new camera frame came), and a field added later is compared
  // without anyone remembering to.
  bool operator==(const ScreenModel&) const = default;

  bool has_warning(Warning warning) const {
    for (Warning w : warnings) {
      if (w == warning) return true;
    }
    return false;
  }
};

}  // namespace kakunin::ui
