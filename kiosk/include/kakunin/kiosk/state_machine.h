// The kiosk's behaviour at the counter, without SDL, camera or network: inputs
// (a QR text and its verification, staff keys, camera/trust/clock status, the
// passing of time) go in; a ScreenModel to draw and hand-off requests come out.
//
//   idle ──QR seen──▶ reading ──verified──▶ valid / refused ──result time or
//     ▲                                                 clear (Esc/Space)──┐
//     └────────────────────────────────────────────────────────────────────┘
//   no_trust_list / camera_offline replace idle while they hold; the status
//   page (F1) overlays everything until closed or a new QR arrives.
//
// One QR text is verified (and so announced: tone, audit, hand-off) once:
// qr_seen() says false for the same text seen again, while its result is shown
// or after it was cleared, until a different QR is seen or staff press "read
// again" (R). Printed sample sheets and a phone held still therefore do not
// beep every frame.
//
// A result counts down (result_time) and then clears. The member's phone
// redraws its QR every 10 s with a new iat, so the same certificate comes back
// as a new text: verified() then holds the result on screen (its countdown
// starts again) and says `held`, so the caller does not announce it again (no
// tone, no second hand-off); a different certificate replaces it and is
// announced. "The same certificate" is the strict reading of docs/screens.md:
// for a valid result, every field of the verified presentation but its iat and
// age; for a refusal, which carries no certificate, the same verdict. Staff
// can pin a result (P) so it stays while they type: no countdown, no QR read
// until they unpin or clear, and cleared at pin_limit all the same.
//
// Time comes from an injected Clock so tests drive every timeout. Not
// thread-safe: the kiosk's main loop owns it (scrcpy style: other threads hand
// over frames and texts; all decisions happen on one thread).
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/ui/screen_model.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kakunin::kiosk {

// Time comes through base's clock seam (kakunin/base/clock.h); these are its
// names here, so kiosk code and tests write kiosk::Clock.
using base::Clock;
using base::SteadyTime;
using base::SystemClock;

struct StateMachineSettings {
  ui::Language language = ui::Language::japanese;
  bool test_mode = false;
  bool freshness_skipped = false;  // test mode with skip_for_printed_sheets
  std::chrono::milliseconds result_time{std::chrono::seconds(20)};
  // A pinned result clears at this ceiling: personal data never stays all day.
  std::chrono::milliseconds pin_limit{std::chrono::minutes(5)};
  std::chrono::milliseconds status_time{std::chrono::seconds(60)};
  // A reading that never gets its verification back returns to idle.
  std::chrono::milliseconds reading_timeout{std::chrono::seconds(3)};
  // A detected QR's outline stays drawn this long after its last sighting.
  std::chrono::milliseconds outline_time{std::chrono::milliseconds(500)};
  bool handoff_enabled = false;
  bool handoff_automatic = false;  // else staff press S
  // オンライン資格確認 (docs/online.md): each valid result is asked about once, and
  // its hand-off waits for the national answer.
  bool online_enabled = false;
  std::string version;
  std::string kiosk_id;
};

using ui::StaffAction;

// From the trust-list sync: whether the lists can verify now, and their headers.
struct TrustStatus {
  bool usable = false;  // both lists loaded and within next_update + grace
  bool stale = false;   // past next_update (still inside the grace period)
  std::optional<ui::ListInfo> trust_list;
  std::optional<ui::ListInfo> revocations;
  // A held list file was refused at load for a sequence below the high-water mark
  // (an older list put back): the status page says so until a newer list is held.
  bool held_list_rolled_back = false;
};

// A valid result on screen to hand to the receipt computer: staff pressed S,
// or the hand-off is automatic. At most once per result.
struct HandoffRequest {
  std::uint64_t id = 0;  // numbers this request, for handoff_progress()
  std::shared_ptr<const crypto::VerifiedPresentation>
      presentation;                                    // the personal data the hand-off needs
  std::shared_ptr<const crypto::VerifyResult> result;  // the valid result it came from
  crypto::UnixSeconds checked_at = 0;                  // the check time shown on screen
  std::uint64_t online_request = 0;  // the online check of the same result (0: none)
};

// A valid result to ask the national system about (online_enabled): once per
// result announced, never for a result held on screen again.
struct OnlineRequest {
  std::uint64_t id = 0;  // for online_progress()
  std::shared_ptr<const crypto::VerifiedPresentation> presentation;
  crypto::UnixSeconds checked_at = 0;
};

class StateMachine {
 public:
  StateMachine(StateMachineSettings settings, const Clock& clock);

  // A decoded QR text (corners in frame pixels, may be empty). True when the
  // caller should verify it and call verified(); false for a repeat.
  bool qr_seen(std::string_view text, std::vector<std::pair<int, int>> corners = {});
  // What verified() did with a result, for the caller's announcement (tone).
  enum class Shown {
    announced,  // a new result on screen: announce it
    held,       // the same certificate as the result on screen: countdown restarted, not
                // announced again
    dropped,    // a late or stray answer: nothing on screen changed
  };
  // The verification of the text last accepted by qr_seen(). A result for any
  // other text (a late answer) is dropped.
  Shown verified(std::string_view text, const crypto::VerifyResult& result);

  // A QR outline from the detector, decoded or not (draws the box on the preview).
  void qr_outline(std::vector<std::pair<int, int>> corners);

  void staff(StaffAction action);
  void camera_state(frame::SourceState state);
  void camera_fps(double fps);
  void trust_status(const TrustStatus& status);
  void clock_state(base::ClockState state);
  // Whether verdicts are recorded and hand-offs delivered (warnings, status page).
  void health(const ui::HealthInfo& health);
  // The measured facts the status page's rows and the warning strips name.
  void status_facts(const ui::StatusFacts& facts);
  // What became of hand-off request `request_id`; shown on the valid card while
  // that result is on screen, ignored for a result no longer shown.
  void handoff_progress(std::uint64_t request_id, ui::HandoffDisplay progress);
  // What the national system said about online request `request_id`; shown on the
  // valid card while that result is on screen, ignored otherwise.
  void online_progress(std::uint64_t request_id, const online::OnlineStatus& status);

  // Applies timeouts; call every frame (or at least a few times a second).
  void tick();

  ui::ScreenModel model() const;
  // Hand-off requests since the last call, oldest first.
  std::vector<HandoffRequest> take_handoff_requests();
  // Online requests since the last call, oldest first.
  std::vector<OnlineRequest> take_online_requests();

 private:
  enum class Phase { idle, reading, result };

  void show_result(const crypto::VerifyResult& result);
  void ask_online();
  bool is_shown_again(const crypto::VerifyResult& result) const;
  void clear_result();
  void toggle_pin();
  // Whether the result phase is still on screen at `now` (countdown or pin ceiling).
  bool result_on_screen(SteadyTime now) const;
  ui::Countdown countdown(SteadyTime now) const;
  void count(crypto::Verdict verdict);

  StateMachineSettings settings_;
  const Clock& clock_;

  Phase phase_ = Phase::idle;
  SteadyTime phase_since_{};
  std::string current_text_;                    // being read, or whose result is shown
  std::optional<std::string> suppressed_text_;  // announced already; ignored until R
  std::optional<ui::ValidResult> valid_;
  std::shared_ptr<const crypto::VerifyResult> valid_result_;  // while valid_ is shown
  std::uint64_t valid_request_ = 0;  // the hand-off request of the result shown (0: none)
  std::uint64_t last_request_ = 0;
  std::optional<ui::RefusedResult> refused_;
  bool pinned_ = false;        // staff pinned the result on screen
  SteadyTime pinned_since_{};  // when, for pin_limit

  bool status_open_ = false;
  SteadyTime status_since_{};

  std::vector<std::pair<int, int>> corners_;
  SteadyTime corners_seen_{};

  frame::SourceState camera_ = frame::SourceState::starting;
  double fps_ = 0;
  TrustStatus trust_;
  base::ClockState clock_state_ = base::ClockState::unknown;
  ui::HealthInfo health_;
  ui::StatusFacts facts_;

  crypto::CalendarDate counts_day_{};
  std::array<int, crypto::kVerdictCount> counts_{};

  std::vector<HandoffRequest> handoff_requests_;
  std::uint64_t valid_online_ = 0;  // the online request of the result shown (0: none)
  std::uint64_t last_online_ = 0;
  std::vector<OnlineRequest> online_requests_;
};

}  // namespace kakunin::kiosk
