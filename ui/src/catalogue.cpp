// Every verdict's message for reception staff (Japanese) and for logs, the CLI and
// English-language kiosks. Japanese messages say what happened, then what to do.
#include <kakunin/ui/catalogue.h>

namespace kakunin::ui {
namespace {

struct Message {
  std::string_view japanese;
  std::string_view english;
};

// What happened, per verdict, in the smaller type under the headline. Plain
// statements to staff, with the patient called 患者さん; no sentence inside brackets.
// A switch without a default: adding a verdict to the spec's closed set fails the
// build (-Wswitch, -Werror) until it has its words here.
Message reason_for(crypto::Verdict verdict) {
  using crypto::Verdict;
  switch (verdict) {
    case Verdict::not_jhc1:
      return {"資格確認書のQRコードではありません。",
              "This is not a qualification-certificate QR code."};
    case Verdict::malformed:
      return {"QRコードを読み取れませんでした。",
              "The QR code could not be read as a certificate."};
    case Verdict::no_trust_list:
      return {"信頼リストか失効リストがないか、期限が切れています。",
              "No usable trust list or revocation list: missing or out of date."};
    case Verdict::test_material:
      return {"テスト用のQRコードです。本番の端末では使えません。",
              "This is a test QR code; a production kiosk does not accept it."};
    case Verdict::unknown_key:
      return {"署名した鍵がこの端末の信頼リストにありません。偽造の可能性があります。",
              "The signing key is not in this kiosk's trust list: possibly a forgery."};
    case Verdict::wrong_insurer:
      return {"署名した鍵が別の保険者のものです。偽造の可能性があります。",
              "The signing key belongs to another insurer: possibly a forgery."};
    case Verdict::key_out_of_period:
      return {"保険者の鍵の有効期間外に発行されています。",
              "Issued outside the insurer key's validity period."};
    case Verdict::bad_signature:
      return {"保険者の署名が正しくありません。偽造の可能性があります。",
              "The insurer's signature does not verify: possibly a forgery."};
    case Verdict::bad_holder_signature:
      return {
          "患者さんのスマートフォンで表示されたものか確認できません。コピーの可能性があります。",
          "Not shown on the patient's own phone: the phone's signature does not verify, "
          "possibly a copy."};
    case Verdict::credential_expired:
      return {"資格確認書【web】の表示期限が切れています。",
              "The web certificate's display has expired."};
    case Verdict::stale:
      return {"画面のQRが古いです。スクリーンショットの可能性があります。",
              "The QR on the screen is old, possibly a screenshot."};
    case Verdict::clock_mismatch:
      return {"スマートフォンか、この端末の時計がずれています。",
              "The phone's clock or this kiosk's clock is off."};
    case Verdict::revoked:
      return {"この資格確認書は保険者によって無効にされています。",
              "The insurer has revoked this certificate."};
    case Verdict::certificate_expired:
      return {"資格確認書の有効期限が切れているか、まだ交付日前です。",
              "The certificate is past its expiry date, or before its issue date."};
    case Verdict::valid:
      return {"確認できました。", "Verified."};
  }
  // Only reached for a value cast from outside the enum: refuse, never "valid".
  return {"確認できませんでした。", "Could not verify."};
}

// The headline of a retry: what the patient does now, so staff can say it aloud.
Message retry_action_for(crypto::Verdict verdict) {
  switch (verdict) {
    case crypto::Verdict::not_jhc1:
      return {"資格確認書【web】の画面を表示して、かざしてください",
              "Ask for the web certificate page, then scan it"};
    case crypto::Verdict::credential_expired:
      return {"もう一度ログインして画面を表示し、かざしてください",
              "Ask the patient to log in again and scan the new page"};
    default:
      return {"画面を更新して、もう一度かざしてください",
              "Ask the patient to refresh the page and scan again"};
  }
}

// Per tier: the headline (stop, terminal) and how eligibility is checked
// meanwhile. Never "not accepted": the patient is seen, eligibility is then
// checked another way (issue 11).
Message tier_headline(VerdictTier tier) {
  switch (tier) {
    case VerdictTier::ok:
      return {"資格を確認できました", "Eligibility confirmed"};
    case VerdictTier::retry:
      break;  // per verdict: retry_action_for()
    case VerdictTier::stop:
      return {"このQRでは資格を確認できません", "This QR cannot confirm eligibility"};
    case VerdictTier::terminal:
      return {"この端末では現在確認できません", "This kiosk cannot check right now"};
  }
  return {"", ""};
}

Message tier_instead(VerdictTier tier) {
  switch (tier) {
    case VerdictTier::ok:
      break;
    case VerdictTier::retry:
      return {"続く場合は、マイナ保険証や資格確認書の原本など別の方法で確認してください。",
              "If it persists, confirm eligibility another way: マイナ保険証 or a paper "
              "certificate."};
    case VerdictTier::stop:
      return {"マイナ保険証や資格確認書の原本など、別の方法で資格を確認してください。",
              "Confirm eligibility another way: マイナ保険証 or a paper certificate."};
    case VerdictTier::terminal:
      return {"管理者に連絡してください。その間は、別の方法で資格を確認してください。",
              "Tell the administrator. Meanwhile, confirm eligibility another way."};
  }
  return {"", ""};
}

// While the kiosk's own clock is in doubt, a QR judged old or off in time may
// be the kiosk's fault: staff must not blame the patient (issue 11, item 5).
constexpr Message kClockInDoubt{
    "この端末の時計がずれている可能性があります。管理者に連絡してください。",
    "This kiosk's own clock may be wrong. Tell the administrator."};

std::string_view in(const Message& message, Language language) {
  return language == Language::japanese ? message.japanese : message.english;
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

VerdictWording verdict_wording(crypto::Verdict verdict, Language language, bool clock_in_doubt) {
  const VerdictTier tier = verdict_tier(verdict);
  VerdictWording out;
  out.headline =
      in(tier == VerdictTier::retry ? retry_action_for(verdict) : tier_headline(tier), language);
  out.instead = in(tier_instead(tier), language);
  out.reason = in(reason_for(verdict), language);
  const bool timing =
      verdict == crypto::Verdict::stale || verdict == crypto::Verdict::clock_mismatch;
  if (clock_in_doubt && timing) out.clock_note = in(kClockInDoubt, language);
  return out;
}

std::string verdict_message(crypto::Verdict verdict, Language language) {
  const VerdictWording w = verdict_wording(verdict, language);
  if (verdict == crypto::Verdict::valid) return std::string(w.reason);
  // Reason first: the sample sheets and the CLI quote its first sentence.
  const std::string_view stop = language == Language::japanese ? "。" : ". ";
  std::string out(w.reason);
  if (language == Language::english) out += ' ';
  out += w.headline;
  out += stop;
  out += w.instead;
  return out;
}

}  // namespace kakunin::ui
