#include "test_world.h"

#include <stdexcept>

namespace kakunin::testing {
namespace {

constexpr std::int64_t kDay = 86400;

crypto::PinnedKeys pin(const signer::SigningKey& key) {
  auto pins = crypto::PinnedKeys::from_keys({key.public_key()});
  if (!pins) throw std::logic_error("cannot pin the list key");
  return *pins;
}

signer::TrustListKey listed(const signer::SigningKey& key, UnixSeconds from, UnixSeconds to) {
  return {key.spki_der(), key.algorithm(), from, to, std::nullopt, std::nullopt};
}

}  // namespace

TestWorld::TestWorld(bool test_lists)
    : list_key(signer::SigningKey::generate(Algorithm::es256)),
      pins(pin(list_key)),
      es256_insurer{"06139992", "見本健康保険組合", signer::SigningKey::generate(Algorithm::es256)},
      ed25519_insurer{"138057", "見本市国民健康保険",
                      signer::SigningKey::generate(Algorithm::ed25519)},
      retired_key(signer::SigningKey::generate(Algorithm::es256)),
      holder_key(signer::SigningKey::generate(Algorithm::es256)) {
  const crypto::ListHeader header{7, kNow - kDay, kNow + 6 * kDay, test_lists};
  trust_spec.header = header;
  trust_spec.issuers = {
      {es256_insurer.number,
       es256_insurer.name,
       {listed(es256_insurer.key, kNow - 365 * kDay, kNow + 365 * kDay),
        listed(retired_key, kNow - 730 * kDay, kNow - 30 * kDay)}},
      {ed25519_insurer.number,
       ed25519_insurer.name,
       {listed(ed25519_insurer.key, kNow - 365 * kDay, kNow + 365 * kDay)}},
  };
  revocation_spec.header = header;
  revocation_spec.ids = {signer::random_cti(), signer::random_cti()};
}

crypto::Certificate TestWorld::member_of(const Insurer& insurer) const {
  return signer::sample_certificate(insurer.number);
}

std::shared_ptr<const crypto::TrustList> TestWorld::trust_list() const {
  auto loaded = crypto::TrustList::load(signer::make_trust_list(trust_spec, list_key), pins,
                                        crypto::HighWaterMark::nothing_seen());
  if (!loaded.ok()) throw std::logic_error("test trust list refused: " + loaded.error()->message);
  return loaded.value();
}

std::shared_ptr<const crypto::RevocationList> TestWorld::revocations() const {
  auto loaded =
      crypto::RevocationList::load(signer::make_revocation_list(revocation_spec, list_key), pins,
                                   crypto::HighWaterMark::nothing_seen());
  if (!loaded.ok()) throw std::logic_error("test revocations refused: " + loaded.error()->message);
  return loaded.value();
}

crypto::Verifier TestWorld::verifier(crypto::Mode mode, crypto::FreshnessPolicy policy) const {
  return crypto::Verifier(trust_list(), revocations(), mode, policy);
}

signer::IssuerPresentation TestWorld::issuer_presentation(Algorithm alg, UnixSeconds iat) const {
  return {member_of(insurer(alg)), iat, 300, signer::random_cti()};
}

std::string TestWorld::issuer_qr(Algorithm alg, UnixSeconds iat) const {
  return signer::to_qr_text(
      signer::make_issuer_presentation(issuer_presentation(alg, iat), insurer(alg).key));
}

signer::Credential TestWorld::credential(Algorithm alg) const {
  return {member_of(insurer(alg)), kNow - kDay,          kNow - kDay,
          kNow + 30 * kDay,        signer::random_cti(), holder_key.public_key()};
}

std::string TestWorld::holder_qr(Algorithm alg, UnixSeconds presented_at) const {
  return holder_qr(credential(alg), alg, presented_at);
}

std::string TestWorld::holder_qr(const signer::Credential& c, Algorithm alg,
                                 UnixSeconds presented_at) const {
  const auto cred = signer::make_credential(c, insurer(alg).key);
  return signer::to_qr_text(signer::make_holder_presentation(cred, presented_at, holder_key));
}

}  // namespace kakunin::testing
