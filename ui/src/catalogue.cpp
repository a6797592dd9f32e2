// Every verdict's message for reception staff (Japanese) and for logs, the CLI and
// English-language kiosks. Japanese messages say what happened, then what to do.
#include <kakunin/ui/catalogue.h>

namespace kakunin::ui {
namespace {

struct Message {
  std::string_view japanese;
  std::string_view english;
};

// A switch without a default: adding a verdict to the spec's closed set fails the
// build (-Wswitch, -Werror) until it has its message here.
Message message_for(crypto::Verdict verdict) {
  using crypto::Verdict;
  switch (verdict) {
    case Verdict::not_jhc1:
      return {
          "資格確認書のQRコードではありません。資格確認書【web】の画面を表示してもらってください。",
          "This is not a qualification-certificate QR code. Ask the member to show the web "
          "certificate page."};
    case Verdict::malformed:
      return {
          "QRコードを読み取れませんでした。画面を再表示してもらい、もう一度かざしてください。"
          "続く場合は別の方法で資格を確認してください。",
          "The QR code could not be read as a certificate. Ask the member to reload the page "
          "and scan again; if it persists, confirm entitlement another way."};
    case Verdict::no_trust_list:
      return {
          "信頼リストがないか期限切れのため確認できません。管理者に連絡し、その間は別の方法で資格を"
          "確認してください。",
          "No usable trust list or revocation list (missing or out of date). Contact the "
          "administrator; meanwhile confirm entitlement another way."};
    case Verdict::test_material:
      return {"テスト用のQRコードです。実際の受付には使えません。",
              "This is a test QR code. It cannot be used at a real counter."};
    case Verdict::unknown_key:
      return {
          "保険者が発行したものか確認できません（偽造の可能性）。受け付けず、別の方法で資格を"
          "確認してください。",
          "Cannot confirm the insurer issued this: the signing key is unknown (possible "
          "forgery). Do not accept; confirm entitlement another way."};
    case Verdict::wrong_insurer:
      return {
          "保険者が発行したものか確認できません（保険者の情報が一致しません。偽造の可能性）。"
          "受け付けず、別の方法で資格を確認してください。",
          "Cannot confirm the insurer issued this: the key belongs to another insurer "
          "(possible forgery). Do not accept; confirm entitlement another way."};
    case Verdict::key_out_of_period:
      return {
          "保険者の鍵の有効期間外に発行されています。受け付けず、別の方法で資格を確認してください"
          "。",
          "Issued outside the insurer key's validity period. Do not accept; confirm "
          "entitlement another way."};
    case Verdict::bad_signature:
      return {
          "保険者が発行したものか確認できません（署名が正しくありません。偽造の可能性）。"
          "受け付けず、別の方法で資格を確認してください。",
          "Cannot confirm the insurer issued this: the signature does not verify (possible "
          "forgery). Do not accept; confirm entitlement another way."};
    case Verdict::bad_holder_signature:
      return {
          "会員の方ご本人のスマートフォンで表示されたものか確認できません（偽造・コピーの可能性）。"
          "受け付けず、別の方法で資格を確認してください。",
          "Cannot confirm this was shown on the member's own phone: the phone's signature "
          "does not verify (possible forgery or copy). Do not accept; confirm entitlement "
          "another way."};
    case Verdict::credential_expired:
      return {
          "資格確認書【web】の表示期限が切れています。会員の方に再ログインして画面を更新して"
          "もらってください。",
          "The web certificate's display has expired. Ask the member to log in again and "
          "refresh the page."};
    case Verdict::stale:
      return {
          "画面のQRが古いか、スクリーンショットの可能性があります。会員の方に画面を更新して"
          "もらってください。",
          "The QR on the screen is old, possibly a screenshot. Ask the member to refresh "
          "the page."};
    case Verdict::clock_mismatch:
      return {
          "スマートフォンまたはこの端末の時計がずれています。画面を更新してもらい、続く場合は"
          "管理者に連絡してください。",
          "The phone's or this kiosk's clock is off. Ask the member to refresh; if it "
          "persists, contact the administrator."};
    case Verdict::revoked:
      return {"この資格確認書は無効になっています。受け付けず、別の方法で資格を確認してください。",
              "This certificate has been revoked (invalidated). Do not accept; ask for another "
              "proof of entitlement."};
    case Verdict::certificate_expired:
      return {
          "資格確認書の有効期限切れです（または交付日より前です）。別の方法で資格を確認して"
          "ください。",
          "The certificate is out of date (past its expiry date, or before its issue "
          "date). Confirm entitlement another way."};
    case Verdict::valid:
      return {"確認できました。", "Verified."};
  }
  // Only reached for a value cast from outside the enum: refuse, never "valid".
  return {"確認できませんでした。別の方法で資格を確認してください。",
          "Could not verify. Confirm entitlement another way."};
}

// Short names for titles and the status page's counts; same closed-switch rule.
Message label_for(crypto::Verdict verdict) {
  using crypto::Verdict;
  switch (verdict) {
    case Verdict::not_jhc1:
      return {"資格確認書のQRではありません", "Not a certificate QR"};
    case Verdict::malformed:
      return {"QRを読み取れません", "Unreadable QR"};
    case Verdict::no_trust_list:
      return {"信頼リストがありません", "No trust list"};
    case Verdict::test_material:
      return {"テスト用のQRです", "Test QR"};
    case Verdict::unknown_key:
      return {"発行元を確認できません", "Unknown issuer key"};
    case Verdict::wrong_insurer:
      return {"保険者が一致しません", "Wrong insurer"};
    case Verdict::key_out_of_period:
      return {"鍵の有効期間外です", "Key out of period"};
    case Verdict::bad_signature:
      return {"署名が正しくありません", "Bad signature"};
    case Verdict::bad_holder_signature:
      return {"本人の端末か確認できません", "Bad phone signature"};
    case Verdict::credential_expired:
      return {"表示期限切れです", "Display expired"};
    case Verdict::stale:
      return {"QRが古いです", "Old QR"};
    case Verdict::clock_mismatch:
      return {"時計がずれています", "Clock mismatch"};
    case Verdict::revoked:
      return {"無効になっています", "Revoked"};
    case Verdict::certificate_expired:
      return {"有効期限切れです", "Certificate expired"};
    case Verdict::valid:
      return {"有効", "Valid"};
  }
  return {"確認できません", "Not verified"};
}

}  // namespace

std::string_view verdict_label(crypto::Verdict verdict, Language language) {
  const Message message = label_for(verdict);
  return language == Language::japanese ? message.japanese : message.english;
}

VerdictTier verdict_tier(crypto::Verdict verdict) {
  using V = crypto::Verdict;
  switch (verdict) {
    case V::valid:
      return VerdictTier::ok;
    case V::stale:
    case V::clock_mismatch:
    case V::credential_expired:
    case V::malformed:
    case V::not_jhc1:
      return VerdictTier::retry;
    case V::bad_signature:
    case V::bad_holder_signature:
    case V::unknown_key:
    case V::wrong_insurer:
    case V::key_out_of_period:
    case V::revoked:
    case V::certificate_expired:
      return VerdictTier::stop;
    case V::no_trust_list:
    case V::test_material:
      return VerdictTier::terminal;
  }
  return VerdictTier::terminal;
}

std::string_view verdict_tier_name(VerdictTier tier) {
  switch (tier) {
    case VerdictTier::ok:
      return "ok";
    case VerdictTier::retry:
      return "retry";
    case VerdictTier::stop:
      return "stop";
    case VerdictTier::terminal:
      return "terminal";
  }
  return "terminal";
}

std::string_view verdict_message(crypto::Verdict verdict, Language language) {
  const Message message = message_for(verdict);
  return language == Language::japanese ? message.japanese : message.english;
}

}  // namespace kakunin::ui
