// What the national system said about a certificate the kiosk verified, as plain
// values: the online check (online.h) produces them, the valid card
// (kakunin/ui/screen_model.h) shows them beside the offline verdict, the hand-off
// carries the answer. Nothing here does I/O. docs/online.md explains each state.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string>
#include <vector>

namespace kakunin::online {

enum class OnlineState {
  pending,       // the request is in the terminal's `req` folder; no answer yet
  confirmed,     // 資格有効性 1 有効, and every field compared agrees with the certificate
  mismatch,      // 有効, but the national answer differs on a field (differences)
  not_entitled,  // 無効 / 新しい資格あり / 該当資格なし: a stop staff cannot miss
  unavailable,   // no usable answer: the offline verdict stands alone (reason)
};

// Why, for not_entitled and unavailable.
enum class OnlineReason {
  none,
  // not_entitled (資格有効性, OQSCD006):
  lost,       // 2 無効: the qualification has ended
  replaced,   // 3 無効（新しい資格あり）: a newer qualification exists
  not_found,  // 4 該当資格なし
  // unavailable:
  several_found,  // 5 複数該当: the national system cannot tell which
  error_answer,  // 処理結果状況 2 エラー / 処理結果区分 9 異常終了 (code in `code`)
  timed_out,     // no readable answer within online.timeout_seconds
  request_failed,  // the request could not be written into `req` (share down, full, refused)
  not_asked,       // the certificate cannot be asked about (e.g. a field CP932 cannot hold)
};

// A field on which the national answer differs from the signed certificate.
enum class OnlineField {
  ratio,         // 負担割合 (InsuredPartialContributionRatio)
  valid_until,   // 有効期限 (InsuredCardExpirationDate)
  relationship,  // 本人/家族 (PersonalFamilyClassification)
  name,          // 氏名 (Name), compared ignoring spaces
  birth_date,    // 生年月日 (Birthdate)
  branch,        // 枝番 (InsuredBranchNumber)
};

struct OnlineDifference {
  OnlineField field = OnlineField::ratio;
  // What the national system says, exactly as its file wrote it ("020" for 2割,
  // "20270331", "2" for 家族; spaces around it trimmed): the screen formats it in
  // its language (ui::national_value), the hand-off's JSON carries it as is.
  // Empty when the answer leaves the field out.
  std::string national;
  bool operator==(const OnlineDifference&) const = default;
};

// What the valid card shows for the online check of the certificate on screen.
struct OnlineStatus {
  OnlineState state = OnlineState::pending;
  OnlineReason reason = OnlineReason::none;
  std::vector<OnlineDifference> differences;  // mismatch only, in the enum's order
  // The national system's own code for an error answer (ProcessingResultCode or
  // ErrorCode, e.g. "EOQS0000"), for the vendor; empty otherwise.
  std::string code;
  bool final() const { return state != OnlineState::pending; }
  bool operator==(const OnlineStatus&) const = default;
};

// Short English names for logs and the headless line: "pending", "confirmed", ...
std::string_view online_state_name(OnlineState state);
std::string_view online_reason_name(OnlineReason reason);

}  // namespace kakunin::online
