// Every verdict's message for reception staff (Japanese) and for logs, the CLI and
// English-language kiosks. Japanese messages say what happened, then what to do.
#include <kakunin/ui/catalogue.h>

#include <array>

namespace kakunin::ui {
namespace {

struct Message {
  std::string_view japanese;
  std::string_view english;
};

// Indexed by crypto::Verdict, in the spec's §10 order.
constexpr std::array<Message, crypto::kVerdictCount> kVerdictMessages = {{
    {"資格確認書のQRコードではありません。資格確認書【web】の画面を表示してもらってください。",
     "This is not a qualification-certificate QR code. Ask the member to show the web "
     "certificate page."},
    {"QRコードを読み取れませんでした。画面を再表示してもらい、もう一度かざしてください。続く場合は別の方法で確認してください。",
     "The QR code could not be read as a certificate. Ask the member to reload the page and "
     "scan again; if it persists, confirm entitlement another way."},
    {"信頼リストがないか期限切れのため確認できません。管理者に連絡し、その間は別の方法で資格を確認してください。",
     "No usable trust list or revocation list. Contact the administrator; meanwhile confirm "
     "entitlement another way."},
    {"テスト用のQRコードです。実際の受付には使えません。",
     "This is test material. It cannot be used at a real counter."},
    {"発行元の保険者を確認できません（偽造の可能性）。受け付けず、別の方法で資格を確認してください。",
     "The issuing key is unknown (possible forgery). Do not accept; confirm entitlement another "
     "way."},
    {"保険者の情報が一致しません（偽造の可能性）。受け付けず、別の方法で資格を確認してください。",
     "The key does not belong to the stated insurer (possible forgery). Do not accept; confirm "
     "entitlement another way."},
    {"保険者の鍵の有効期間外に発行されています。受け付けず、別の方法で資格を確認してください。",
     "Issued outside the insurer key's validity period. Do not accept; confirm entitlement "
     "another way."},
    {"保険者の署名が正しくありません（偽造の可能性）。受け付けず、別の方法で資格を確認してください。",
     "The insurer's signature does not verify (possible forgery). Do not accept; confirm "
     "entitlement another way."},
    {"スマートフォンの署名が正しくありません（コピーの可能性）。会員の方ご本人の端末で表示してもらってください。",
     "The phone's signature does not verify (possibly copied). Ask the member to show it on "
     "their own phone."},
    {"資格確認書【web】の表示期限が切れています。会員の方に再ログインして画面を更新してもらってください。",
     "The web certificate's display has expired. Ask the member to log in again and refresh "
     "the page."},
    {"画面のQRが古いか、スクリーンショットの可能性があります。会員の方に画面を更新してもらってください。",
     "The QR is too old, possibly a screenshot. Ask the member to refresh the page."},
    {"スマートフォンまたはこの端末の時計がずれています。画面を更新してもらい、続く場合は管理者に連絡してください。",
     "The phone's or this kiosk's clock is off. Ask the member to refresh; if it persists, "
     "contact the administrator."},
    {"この資格確認書は無効になっています。別の方法で資格を確認してください。",
     "This certificate has been revoked. Confirm entitlement another way."},
    {"資格確認書の有効期限が切れています（または有効期間前です）。別の方法で資格を確認してください。",
     "The certificate is out of date (expired or not yet valid). Confirm entitlement another "
     "way."},
    {"確認できました。", "Verified."},
}};

}  // namespace

std::string_view verdict_message(crypto::Verdict verdict, Language language) {
  const Message& message = kVerdictMessages[static_cast<std::size_t>(verdict)];
  return language == Language::japanese ? message.japanese : message.english;
}

}  // namespace kakunin::ui
