// Kakunin text catalogue: every string a person reads, in Japanese (the default,
// for reception staff) and English (logs, CLI, English-language kiosks). Screens
// never spell a word themselves; they ask here, so a translation is one file.
//
//   ui::VerdictWording say = ui::verdict_wording(crypto::Verdict::stale, language);  // headline...
//   std::string rate = ui::fill(ui::text(ui::Text::camera_running, language), {"30"});  // 動作中
//   30 fps std::string born = ui::format_date(cert.birth_date, language);  // 和暦 in Japanese
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/crypto/jhc1.h>
#include <kakunin/online/status.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::ui {

using config::Language;  // the [kiosk] language setting: one type (kakunin/config/config.h)

// A few words naming the verdict (title of the refused screen, status counts).
std::string_view verdict_label(crypto::Verdict verdict, Language language);

// What staff must do next, the verdicts grouped (issue 11): ok (valid); retry
// (the patient can fix it now: stale, clock_mismatch, credential_expired,
// malformed, not_jhc1); stop (this QR cannot prove entitlement: the signature,
// key, insurer, revocation and certificate verdicts); terminal (the kiosk cannot
// check now: no_trust_list, test_material).
enum class VerdictTier { ok, retry, stop, terminal };
VerdictTier verdict_tier(crypto::Verdict verdict);
std::string_view verdict_tier_name(VerdictTier tier);  // "ok", "retry", "stop", "terminal"

// What the result screen says, in the order staff act on it: the headline is
// what to do now (the tier's; for a retry, the verdict's own action), `instead`
// how eligibility is checked if that does not help, `reason` what happened (in
// smaller type, beside the machine code). `clock_in_doubt`: the kiosk's clock
// warning is up, so stale and clock_mismatch get `clock_note`, which says the
// kiosk's own clock may be the cause.
struct VerdictWording {
  std::string_view headline;
  std::string_view instead;
  std::string_view reason;
  std::string_view clock_note;  // empty unless clock_in_doubt and a timing verdict
};
VerdictWording verdict_wording(crypto::Verdict verdict, Language language,
                               bool clock_in_doubt = false);

// The whole message in one line for logs, the CLI and printed sheets: the reason,
// then the headline and what to do instead.
std::string verdict_message(crypto::Verdict verdict, Language language);

// ------------------------------------------------------ the online check --

// What the valid card says about the オンライン資格確認 of the certificate on it
// (kakunin/online/status.h, catalogue_online.cpp), beside the offline verdict and
// never instead of it. `headline`: the national answer in a few words (for
// unavailable with why in brackets: 「オンライン確認できませんでした（応答なし）」);
// `reason`: why, for not_entitled only (資格喪失); `action`: what staff do now,
// empty while pending and when confirmed.
struct OnlineWording {
  std::string headline;
  std::string reason;
  std::string action;
};
OnlineWording online_wording(const online::OnlineStatus& status, Language language);

// The name of a field the national answer may differ on: 負担割合, 有効期限, ...
std::string_view online_field_label(online::OnlineField field, Language language);

// The certificate's own value of that field, written the way the answer's
// `national` is (「3割」, 「2030-12-01」, 「本人」), so the two read side by side.
std::string certificate_value(online::OnlineField field, const crypto::Certificate& certificate,
                              Language language);

// A value of the national answer, as the file wrote it (online::OnlineDifference),
// in the form the card shows the certificate's: "020" -> 2割 / 20 %, yyyyMMdd ->
// 2027-03-31, "2" -> 家族 / dependant; anything else as written.
std::string national_value(online::OnlineField field, std::string_view raw, Language language);

// One line per difference, the national value first because it is the one to
// use: 「負担割合: 国の回答は 2割（資格確認書は 3割）」.
std::string online_difference(const online::OnlineDifference& difference,
                              const crypto::Certificate& certificate, Language language);

// The differences of a mismatch in at most `max_lines` lines (at least 1), one
// online_difference() each; when there are more, the last line only names the
// rest: 「ほかに違う項目: 氏名、生年月日」.
std::vector<std::string> online_difference_lines(const online::OnlineStatus& status,
                                                 const crypto::Certificate& certificate,
                                                 Language language, std::size_t max_lines);

// Every other fixed string on the screens. Strings with `{}` take arguments
// through fill().
enum class Text {
  app_title,
  idle_instruction,
  waiting_for_camera,
  reading,
  valid_title,
  label_name,
  label_kana,
  label_birth_date,
  label_sex,
  label_relationship,
  label_insurer,
  label_insurer_name,
  label_symbol_number,
  label_symbol,
  label_number,
  label_branch,
  label_ratio,
  label_valid_until,
  label_category,
  label_limit,
  label_checked_at,
  checked_at,  // 確認 {time}・QR表示から{duration}
  sex_male,
  sex_female,
  sex_not_printed,
  relationship_insured,
  relationship_dependent,
  category_automatic,
  category_on_application,
  ratio_tenths,  // {n}割
  ratio_absent,
  age_years,   // {n}歳
  ratio_hint,  // the age-based expectation did not match
  not_printed,
  warning_trust_stale,
  warning_clock,
  warning_test_mode,
  warning_freshness_skipped,
  warning_test_material,
  warning_audit_delayed,
  warning_audit_not_recording,
  warning_handoff_not_answering,
  camera_offline_title,
  camera_offline_detail,
  camera_offline_meanwhile,
  camera_starting,
  button_clear,
  button_read_again,
  button_send,
  button_status,
  button_back,
  handoff_sent,
  handoff_sending,
  handoff_failed,
  handoff_waiting_online,  // held until the national answer arrives
  status_title,
  reason_code,  // 理由コード: {name}
  status_version,
  status_kiosk_id,
  status_trust_list,
  status_revocations,
  status_list_line,  // 第{seq}版・{age}前に発行・次回更新 {date}
  status_list_missing,
  status_held_rollback,  // a held list file older than the high-water mark was refused
  status_clock,
  status_audit,
  recording_ok,
  recording_delayed,  // 遅れています（{n}件を端末に保存済み）
  recording_not,
  recording_disk_low,
  status_handoff,
  handoff_idle,
  handoff_pending,  // 送信待ち {n}件
  handoff_share_stuck,
  handoff_quarantined,  // 破損して隔離 {n}件
  handoff_off,
  clock_synchronised,
  clock_unsynchronised,
  clock_unknown,
  status_camera,
  camera_running,  // 動作中 {fps} fps
  camera_offline,
  status_counts,
  status_counts_none,
  status_mode,
  mode_production,
  mode_test,
  // ---- the status page's marks and facts, the strips that name the fact (issue 11) --
  status_mark_ok,       // 正常: the row's ✓
  status_mark_warning,  // 注意: ⚠
  status_mark_fault,    // 異常: ✗
  status_kiosk_line,    // {kiosk}・バージョン {version}
  status_list_stops,    // 確認停止 {date}: next_update + the grace
  status_sync,
  sync_not_configured,
  sync_no_round_yet,
  sync_updated,
  sync_unchanged,
  sync_refused,
  sync_failed,
  sync_no_url,
  sync_error,         // 原因: {English reason}
  clock_offset_from,  // {server}との差 {+47}秒
  clock_offset_not_measured,
  clock_ntp_synchronised,
  clock_ntp_not_synchronised,
  status_scanner,
  scanner_running,
  capture_reason,     // 原因: {the source's words}
  handoff_last_sent,  // 最終送信 {date}
  handoff_never_sent,
  handoff_last_error,    // 直前の失敗 {channel: error}
  status_online,         // オンライン資格確認 (the status page's row; only while it is on)
  online_counts,         // 照会 {} 件・回答 {} 件
  online_timeouts,       // 応答なし {} 件
  online_refused_files,  // 受け取らなかったファイル {} 件
  online_write_failures,  // 照会を書けなかった {} 件
  online_last_answer,     // 最終回答 {date}
  handoff_channel_stuck,  // {channel} の送信先が応答しません
  mode_freshness_skipped,
  warning_trust_stale_until,   // {list}の更新期限切れ。{date}に確認が止まります…
  warning_clock_offset,        // この端末の時計が{+47}秒ずれています…
  warning_clock_ntp,           // the kernel says NTP is not synchronising
  warning_audit_delayed_rows,  // …{n}件を端末に保存済みです…
  warning_audit_disk_full,     // not recording because the disk is full
  warning_handoff_channel_stuck,  // レセコンの送信先 {channel} が応答しません。{n}件を…
  // ---- end of the status block --
  days,     // {n}日 (from two days: 「168時間前」 reads badly)
  hours,    // {n}時間
  minutes,  // {n}分
  seconds,  // {n}秒
  // The countdown, hold and pin of a result (issue 11 item 4).
  button_pin,         // 固定 (P)
  button_unpin,       // 固定を解除 (P)
  countdown_seconds,  // あと{n}秒で消えます
  countdown_pinned,   // 固定中
  countdown_ceiling,  // {m:ss}後に自動で消えます
};

std::string_view text(Text id, Language language);

// Replaces each `{}` in `pattern`, in order, with the next argument.
std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args);

// ------------------------------------------------------------------ dates --

// A Japanese era year, e.g. 昭和60年; 元年 for the first year.
struct EraYear {
  std::string_view era;  // 令和, 平成, 昭和, 大正, 明治 (romanised in English)
  int year = 0;
};
EraYear era_year(const crypto::CalendarDate& date, Language language);

// 「昭和60年4月1日 (1985-04-01)」 in Japanese, "1985-04-01 (Showa 60)" in English.
std::string format_date(const crypto::CalendarDate& date, Language language);

// Completed years on `today` (the birthday counts on the day itself).
int age_on(const crypto::CalendarDate& birth, const crypto::CalendarDate& today);

// The 一部負担金割合 a person of this age usually has (domain.md): 2割 before
// school, 3割 to 69, 2 or 3割 from 70 (from the month after the 70th birthday),
// 1, 2 or 3割 from 75. nullopt when the ratio fits (or is absent); otherwise the
// usual ratios, for a quiet hint — never a refusal.
std::optional<std::string> ratio_hint(const crypto::CalendarDate& birth,
                                      const crypto::CalendarDate& today,
                                      std::optional<int> ratio_tenths, Language language);

// "HH:MM" / "HH:MM:SS" in Japan time (UTC+9, no DST).
std::string format_clock(crypto::UnixSeconds instant, bool with_seconds);

// A duration for people: 「3時間」「12分」「40秒」.
std::string format_duration(std::int64_t seconds, Language language);

}  // namespace kakunin::ui
