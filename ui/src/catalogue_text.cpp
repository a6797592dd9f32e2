// The fixed strings of the kiosk screens, Japanese and English side by side so a
// reviewer sees both at once. A switch without a default: a new Text id fails the
// build (-Wswitch, -Werror) until it has both strings here.
#include <kakunin/ui/catalogue.h>

namespace kakunin::ui {
namespace {

struct Pair {
  std::string_view japanese;
  std::string_view english;
};

Pair pair_for(Text id) {
  switch (id) {
    case Text::app_title:
      return {"資格確認", "Eligibility check"};
    case Text::idle_instruction:
      return {"資格確認書のQRコードをカメラにかざしてください",
              "Hold the certificate's QR code up to the camera"};
    case Text::waiting_for_camera:
      return {"カメラの映像を待っています", "Waiting for the camera"};
    case Text::reading:
      return {"確認しています…", "Checking…"};
    case Text::valid_title:
      return {"資格を確認できました", "Eligibility confirmed"};
    case Text::label_name:
      return {"氏名", "Name"};
    case Text::label_kana:
      return {"カナ", "Kana"};
    case Text::label_birth_date:
      return {"生年月日", "Date of birth"};
    case Text::label_sex:
      return {"性別", "Sex"};
    case Text::label_relationship:
      return {"本人・家族", "Insured/dependent"};
    case Text::label_insurer:
      return {"保険者番号", "Insurer"};
    case Text::label_insurer_name:
      return {"保険者名", "Insurer name"};
    case Text::label_symbol_number:
      return {"記号・番号・枝番", "Symbol · number · branch"};
    case Text::label_symbol:
      return {"記号", "Symbol"};
    case Text::label_number:
      return {"番号", "Number"};
    case Text::label_branch:
      return {"枝番", "Branch"};
    case Text::label_ratio:
      return {"負担割合", "Co-payment"};
    case Text::label_valid_until:
      return {"有効期限", "Valid until"};
    case Text::label_category:
      return {"交付対象者", "Issue category"};
    case Text::label_limit:
      return {"限度額適用区分", "Limit category"};
    case Text::label_checked_at:
      return {"確認時刻", "Checked at"};
    case Text::checked_at:
      return {"確認 {}・QR表示から{}", "Checked {} · QR {} old"};
    case Text::sex_male:
      return {"男", "Male"};
    case Text::sex_female:
      return {"女", "Female"};
    case Text::sex_not_printed:
      return {"記載なし", "Not printed"};
    case Text::relationship_insured:
      return {"本人", "Insured"};
    case Text::relationship_dependent:
      return {"家族", "Dependent"};
    case Text::category_automatic:
      return {"職権交付", "Issued by the insurer"};
    case Text::category_on_application:
      return {"申請交付", "Issued on application"};
    case Text::ratio_tenths:
      return {"{}割", "{}0 %"};
    case Text::ratio_absent:
      return {"高齢受給者証を確認", "See the elderly recipient card"};
    case Text::age_years:
      return {"{}歳", "age {}"};
    case Text::ratio_hint:
      return {"参考：この年齢では通常{}です。記載が優先です",
              "Note: usually {} at this age; the certificate prevails"};
    case Text::not_printed:
      return {"記載なし", "Not printed"};
    case Text::warning_trust_stale:
      return {"信頼リストの更新期限を過ぎています。管理者に連絡してください",
              "The trust list is past its update date. Contact the administrator"};
    case Text::warning_clock:
      return {"この端末の時計が合っていない可能性があります。管理者に連絡してください",
              "This kiosk's clock may be wrong. Contact the administrator"};
    case Text::warning_test_mode:
      return {"テストモード — 実際の受付には使えません", "Test mode — not for real patients"};
    case Text::warning_freshness_skipped:
      return {"テストモードのため、印刷サンプル用にQRの鮮度確認を省略しています",
              "QR freshness check skipped for printed samples (test mode)"};
    case Text::warning_test_material:
      return {"テスト用の資格確認書です", "Test certificate"};
    case Text::warning_audit_delayed:
      return {"確認結果の記録が遅れています。結果は端末に保存済みです。管理者に連絡してください",
              "Results are recorded late (kept safe on this kiosk). Contact the administrator"};
    case Text::warning_audit_not_recording:
      return {"確認結果が記録されていません。管理者に連絡してください",
              "Results are not being recorded. Contact the administrator"};
    case Text::warning_handoff_not_answering:
      return {
          "レセコンの送信先が応答しません。送信は端末に保存され、応答が戻ると送られます",
          "The receipt PC's folder does not answer. Hand-offs are kept and sent when it is back"};
    case Text::camera_offline_title:
      return {"カメラが接続されていません", "The camera is not connected"};
    case Text::camera_offline_detail:
      return {"ケーブルを確認してください。つながると自動で再開します",
              "Check the cable. Reading resumes by itself once it is connected"};
    case Text::camera_offline_meanwhile:
      return {"直らない場合は管理者に連絡し、その間は別の方法で資格を確認してください。",
              "If it stays off, tell the administrator; meanwhile confirm eligibility another "
              "way."};
    case Text::camera_starting:
      return {"カメラを起動しています", "Starting the camera"};
    case Text::button_clear:
      return {"クリア (Esc)", "Clear (Esc)"};
    case Text::button_read_again:
      return {"再読取 (R)", "Read again (R)"};
    case Text::button_send:
      return {"レセコンへ送信 (S)", "Send to receipt PC (S)"};
    case Text::button_status:
      return {"状態 (F1)", "Status (F1)"};
    case Text::button_back:
      return {"戻る (F1)", "Back (F1)"};
    case Text::handoff_sent:
      return {"✓ レセコンへ送信済み", "✓ Sent to the receipt PC"};
    case Text::handoff_sending:
      return {"レセコンへ送信中…", "Sending to the receipt PC…"};
    case Text::handoff_failed:
      return {"× レセコンへ送信できませんでした。手入力してください",
              "× Not sent to the receipt PC. Please type it in"};
    case Text::handoff_waiting_online:
      return {"国の回答を待って送信します", "Sent once the national answer arrives"};
    case Text::reason_code:
      return {"理由コード: {}", "Reason code: {}"};
    case Text::status_title:
      return {"端末の状態", "Kiosk status"};
    case Text::status_version:
      return {"バージョン", "Version"};
    case Text::status_kiosk_id:
      return {"端末名", "Kiosk"};
    case Text::status_trust_list:
      return {"信頼リスト", "Trust list"};
    case Text::status_revocations:
      return {"失効リスト", "Revocation list"};
    case Text::status_list_line:
      return {"第{}版・{}前に発行・次回更新 {}", "No. {} · issued {} ago · next update {}"};
    case Text::status_list_missing:
      return {"なし", "none"};
    case Text::status_held_rollback:
      return {"保存されていたリストが以前より古い版に戻されていたため、使っていません",
              "a held list was put back older than one this kiosk had held: not used"};
    case Text::status_clock:
      return {"時計", "Clock"};
    case Text::status_audit:
      return {"確認記録", "Audit log"};
    case Text::recording_ok:
      return {"記録中", "recording"};
    case Text::recording_delayed:
      return {"遅れています・{}件を端末に保存済み", "delayed ({} kept safe on this kiosk)"};
    case Text::recording_not:
      return {"記録できていません", "not recording"};
    case Text::recording_disk_low:
      return {"ディスクの空きがわずかです", "disk nearly full"};
    case Text::status_handoff:
      return {"レセコン送信", "Receipt PC"};
    case Text::handoff_idle:
      return {"送信待ちなし", "nothing waiting"};
    case Text::handoff_pending:
      return {"送信待ち {}件", "{} waiting"};
    case Text::handoff_share_stuck:
      return {"送信先が応答しません", "destination not answering"};
    case Text::handoff_quarantined:
      return {"破損して隔離 {}件", "{} damaged, set aside"};
    case Text::handoff_off:
      return {"使用しない", "off"};
    case Text::clock_synchronised:
      return {"同期済み", "synchronised"};
    case Text::clock_unsynchronised:
      return {"同期されていません", "not synchronised"};
    case Text::clock_unknown:
      return {"未確認", "not checked yet"};
    case Text::status_camera:
      return {"カメラ", "Camera"};
    case Text::camera_running:
      return {"動作中 {} fps", "running {} fps"};
    case Text::camera_offline:
      return {"未接続", "offline"};
    case Text::status_counts:
      return {"本日の件数", "Today"};
    case Text::status_counts_none:
      return {"まだありません", "none yet"};
    case Text::status_mode:
      return {"動作モード", "Mode"};
    case Text::mode_production:
      return {"本番", "production"};
    case Text::mode_test:
      return {"テスト", "test"};
    // ---- the status page's marks and facts, the strips that name the fact --
    case Text::status_mark_ok:
      return {"正常", "OK"};
    case Text::status_mark_warning:
      return {"注意", "Warning"};
    case Text::status_mark_fault:
      return {"異常", "Fault"};
    case Text::status_kiosk_line:
      return {"{}・バージョン {}", "{} · version {}"};
    case Text::status_list_stops:
      return {"確認停止 {}", "verification stops {}"};
    case Text::status_sync:
      return {"リスト同期", "List sync"};
    case Text::sync_not_configured:
      return {"同期しない設定", "not configured"};
    case Text::sync_no_round_yet:
      return {"まだ同期していません", "no round yet"};
    case Text::sync_updated:
      return {"更新", "updated"};
    case Text::sync_unchanged:
      return {"変更なし", "unchanged"};
    case Text::sync_refused:
      return {"不採用", "refused"};
    case Text::sync_failed:
      return {"失敗", "failed"};
    case Text::sync_no_url:
      return {"URLなし", "no URL"};
    case Text::sync_error:
      return {"原因 {}", "cause: {}"};
    case Text::clock_offset_from:
      return {"{}との差 {}秒", "differs from {} by {} s"};
    case Text::clock_offset_not_measured:
      return {"同期サーバーとの差は未測定", "offset from the sync server not measured"};
    case Text::clock_ntp_synchronised:
      return {"NTP同期中", "NTP synchronised"};
    case Text::clock_ntp_not_synchronised:
      return {"NTP未同期", "NTP not synchronised"};
    case Text::status_scanner:
      return {"スキャナー", "Scanner"};
    case Text::scanner_running:
      return {"接続中", "connected"};
    case Text::capture_reason:
      return {"原因 {}", "cause: {}"};
    case Text::handoff_last_sent:
      return {"最終送信 {}", "last sent {}"};
    case Text::handoff_never_sent:
      return {"送信実績なし", "nothing sent yet"};
    case Text::handoff_last_error:
      return {"直前の失敗 {}", "last error {}"};
    case Text::status_online:
      return {"オンライン資格確認", "Online check"};
    case Text::online_counts:
      return {"照会 {}件・回答 {}件", "{} asked, {} answered"};
    case Text::online_timeouts:
      return {"応答なし {}件", "{} not answered"};
    case Text::online_refused_files:
      return {"受け取らなかった回答ファイル {}件", "{} answer files refused"};
    case Text::online_write_failures:
      return {"照会を書けなかった {}件", "{} requests not written"};
    case Text::online_last_answer:
      return {"最終回答 {}", "last answer {}"};
    case Text::handoff_channel_stuck:
      return {"{} の送信先が応答しません", "{} destination not answering"};
    case Text::mode_freshness_skipped:
      return {"QRの鮮度確認を省略中", "QR freshness check skipped"};
    case Text::warning_trust_stale_until:
      return {"{}の更新期限切れ。{}に確認が止まります。管理者に連絡してください",
              "{} past its update date: verification stops {}. Contact the administrator"};
    case Text::warning_clock_offset:
      return {"この端末の時計が{}秒ずれています。管理者に連絡してください",
              "This kiosk's clock is off by {} s. Contact the administrator"};
    case Text::warning_clock_ntp:
      return {"この端末の時計がNTPで同期されていません。管理者に連絡してください",
              "This kiosk's clock is not synchronised by NTP. Contact the administrator"};
    case Text::warning_audit_delayed_rows:
      return {"確認結果の記録が遅れています。{}件を端末に保存済みです。管理者に連絡してください",
              "Results are recorded late: {} kept safe on this kiosk. Contact the administrator"};
    case Text::warning_audit_disk_full:
      return {"ディスクの空きがなく、確認結果が記録されていません。管理者に連絡してください",
              "Results are not being recorded: the disk is full. Contact the administrator"};
    case Text::warning_handoff_channel_stuck:
      return {
          "レセコンの送信先 {} が応答しません。{}件を端末に保存し、戻りしだい送ります",
          "The receipt PC's {} destination does not answer: {} kept here, sent when it is back"};
    // ---- end of the status block --
    case Text::days:
      return {"{}日", "{} days"};
    case Text::hours:
      return {"{}時間", "{} h"};
    case Text::minutes:
      return {"{}分", "{} min"};
    case Text::seconds:
      return {"{}秒", "{} s"};
    case Text::button_pin:
      return {"固定 (P)", "Pin (P)"};
    case Text::button_unpin:
      return {"固定を解除 (P)", "Unpin (P)"};
    case Text::countdown_seconds:
      return {"あと{}秒で消えます", "Clears in {} s"};
    case Text::countdown_pinned:
      return {"固定中", "Pinned"};
    case Text::countdown_ceiling:
      return {"{}後に自動で消えます", "Clears by itself in {}"};
  }
  return {"", ""};
}

}  // namespace

std::string_view text(Text id, Language language) {
  const Pair pair = pair_for(id);
  return language == Language::japanese ? pair.japanese : pair.english;
}

std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  auto next = args.begin();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        next != args.end()) {
      out += *next++;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace kakunin::ui
