#include "demo_world.h"

#include <kakunin/signer/signer.h>

#include <cmath>
#include <mutex>
#include <stdexcept>

namespace kakunin::demo {
namespace {

using crypto::Algorithm;
using crypto::UnixSeconds;
using signer::SigningKey;

constexpr std::int64_t kDay = 86400;
// Live member pages redraw their QR this often (JHC1 §5.1 recommendation).
constexpr std::int64_t kRedrawSeconds = 10;

// A phone draws one QR per redraw, and signatures are randomised (ECDSA), so the
// text is made once per redraw time and then shown unchanged, as a real page does.
std::function<std::string(UnixSeconds)> redrawn_every(
    std::int64_t period, const std::function<std::string(UnixSeconds drawn_at)>& draw) {
  struct Last {
    std::mutex mutex;
    std::optional<UnixSeconds> drawn_at;
    std::string text;
  };
  auto last = std::make_shared<Last>();
  return [=](UnixSeconds now) {
    const UnixSeconds drawn_at = now - (now % period);
    std::lock_guard lock(last->mutex);
    if (last->drawn_at != drawn_at) {
      last->text = draw(drawn_at);
      last->drawn_at = drawn_at;
    }
    return last->text;
  };
}

crypto::CalendarDate japan_date_plus_days(UnixSeconds now, std::int64_t days) {
  return crypto::CalendarDate::japan_date_at(now + days * kDay);
}

// A fictitious member whose certificate is current for a year around `start`, so
// the demo shows `valid` whatever day it runs.
crypto::Certificate member(const std::string& insurer, UnixSeconds start) {
  crypto::Certificate c = signer::sample_certificate(insurer);
  c.issued = japan_date_plus_days(start, -30);
  c.valid_until = japan_date_plus_days(start, 365);
  c.acquired = japan_date_plus_days(start, -400);
  return c;
}

template <typename List>
std::shared_ptr<const List> load_or_throw(crypto::Bytes bytes, const crypto::PinnedKeys& pins) {
  auto loaded = List::load(bytes, pins, crypto::HighWaterMark::nothing_seen());
  if (!loaded.ok()) throw std::logic_error("demo list refused: " + loaded.error()->message);
  return loaded.value();
}

}  // namespace

DemoWorld DemoWorld::create(UnixSeconds start) {
  const SigningKey list_key = SigningKey::generate(Algorithm::es256);
  const SigningKey kenpo = SigningKey::generate(Algorithm::es256);     // 健保組合, ES256
  const SigningKey kokuho = SigningKey::generate(Algorithm::ed25519);  // 国保, Ed25519
  const SigningKey phone = SigningKey::generate(Algorithm::es256);     // the member's phone
  const SigningKey forger = SigningKey::generate(Algorithm::es256);
  const crypto::ListHeader header{1, start - kDay, start + 7 * kDay, /*test=*/true};

  const signer::TrustListSpec trust{
      header,
      {{"06139992",
        "見本健康保険組合",
        {{kenpo.spki_der(), Algorithm::es256, start - 365 * kDay, start + 365 * kDay, {}, {}}}},
       {"138057",
        "見本市国民健康保険",
        {{kokuho.spki_der(),
          Algorithm::ed25519,
          start - 365 * kDay,
          start + 365 * kDay,
          {},
          {}}}}}};
  const crypto::Cti revoked_cti = signer::random_cti();
  auto pins = crypto::PinnedKeys::from_keys({list_key.public_key()});
  if (!pins) throw std::logic_error("cannot pin the demo list key");

  DemoWorld world;
  world.trust_list_ =
      load_or_throw<crypto::TrustList>(signer::make_trust_list(trust, list_key), *pins);
  world.revocations_ = load_or_throw<crypto::RevocationList>(
      signer::make_revocation_list({header, {revoked_cti}}, list_key), *pins);

  crypto::Certificate taro = member("06139992", start);
  crypto::Certificate hanako = member("138057", start);
  hanako.name = "見本 花子";
  hanako.name_kana = "ミホン ハナコ";
  hanako.sex = crypto::Sex::female;
  hanako.relationship = crypto::Relationship::dependent;
  hanako.birth_date = {2015, 7, 7};
  hanako.ratio_tenths = 3;
  hanako.symbol.reset();
  hanako.number = "98765";
  hanako.branch = "02";
  hanako.category = crypto::IssueCategory::on_application;
  hanako.reason = 1;
  world.roster_ = {{taro, "見本健康保険組合"}, {hanako, "見本市国民健康保険"}};
  crypto::Certificate expired = taro;
  expired.valid_until = japan_date_plus_days(start, -2);

  const auto issuer_qr = [](const crypto::Certificate& c, UnixSeconds iat, const SigningKey& key,
                            const crypto::Cti& cti) {
    return signer::to_qr_text(signer::make_issuer_presentation({c, iat, 300, cti}, key));
  };
  const crypto::Cti taro_cti = signer::random_cti();
  const crypto::Bytes credential =
      signer::make_credential({hanako, start - kDay, start - kDay, start + 30 * kDay,
                               signer::random_cti(), phone.public_key()},
                              kokuho);

  world.scenes_ = {
      {"valid-issuer-signed", "a member's live web page (issuer-signed, ES256)",
       crypto::Verdict::valid,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) { return issuer_qr(taro, at, kenpo, taro_cti); })},
      {"valid-holder-bound", "a dependant's phone (holder-bound, Ed25519 insurer)",
       crypto::Verdict::valid,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) {
                       return signer::to_qr_text(
                           signer::make_holder_presentation(credential, at, phone));
                     })},
      {"screenshot-a-minute-old", "a screenshot of the page replayed a minute later",
       crypto::Verdict::stale,
       // A photo of the page taken a minute before this minute began: 60-119 s old,
       // still inside the presentation's 300 s exp, so only freshness catches it.
       redrawn_every(
           60, [=](UnixSeconds minute) { return issuer_qr(taro, minute - 60, kenpo, taro_cti); })},
      {"forged-signature", "a home-made QR signed with an unlisted key",
       crypto::Verdict::unknown_key,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) { return issuer_qr(taro, at, forger, taro_cti); })},
      {"forged-with-insurers-kid", "a forgery that copies the insurer's key id",
       crypto::Verdict::bad_signature,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) {
                       const signer::IssuerPresentation p{taro, at, 300, taro_cti};
                       return signer::to_qr_text(
                           signer::sign1({signer::protected_header(Algorithm::es256, kenpo.kid()),
                                          signer::Cbor::map(), signer::issuer_claims(p).encode()},
                                         forger));
                     })},
      {"revoked", "a certificate the insurer has revoked", crypto::Verdict::revoked,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) { return issuer_qr(taro, at, kenpo, revoked_cti); })},
      {"certificate-out-of-date", "a certificate past its 有効期限",
       crypto::Verdict::certificate_expired,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) { return issuer_qr(expired, at, kenpo, taro_cti); })},
      {"url-qr", "a QR code that is just a web address", crypto::Verdict::not_jhc1,
       [](UnixSeconds) { return std::string("HTTPS://EXAMPLE.JP/MEMBER"); }},
      {"kiosk-without-lists", "a live page at a kiosk whose lists are gone",
       crypto::Verdict::no_trust_list,
       redrawn_every(kRedrawSeconds,
                     [=](UnixSeconds at) { return issuer_qr(taro, at, kenpo, taro_cti); }),
       /*lists_withheld=*/true},
  };
  return world;
}

DemoMoment DemoTimeline::at(double elapsed_seconds) const {
  DemoMoment moment;
  const double slot = show_ + gap_;
  if (scenes_->empty() || slot <= 0 || elapsed_seconds < 0) return moment;
  const auto slot_index = static_cast<std::uint64_t>(std::floor(elapsed_seconds / slot));
  moment.round = slot_index / scenes_->size();
  moment.index = static_cast<std::size_t>(slot_index % scenes_->size());
  const double into_slot = elapsed_seconds - static_cast<double>(slot_index) * slot;
  if (into_slot < show_) moment.scene = &(*scenes_)[moment.index];
  return moment;
}

}  // namespace kakunin::demo
