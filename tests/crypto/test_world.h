// A complete, freshly made JHC1 world for tests: a pinned list key, insurers with
// ES256 and Ed25519 keys, signed lists, a sample member and holder key. Nothing is
// checked in: every key is generated when the world is made.
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <string>

namespace kakunin::testing {

using crypto::Algorithm;
using crypto::UnixSeconds;

// 2026-11-20T00:00:00Z (09:00 JST).
inline constexpr UnixSeconds kNow = 1795132800;

struct Insurer {
  std::string number;
  std::string name;
  signer::SigningKey key;
};

class TestWorld {
 public:
  explicit TestWorld(bool test_lists = false);

  // Trust material.
  signer::SigningKey list_key;
  crypto::PinnedKeys pins;
  Insurer es256_insurer;           // 8-digit 保険者番号, ES256 key
  Insurer ed25519_insurer;         // 6-digit 国保 number, Ed25519 key
  signer::SigningKey retired_key;  // es256_insurer's previous key: period ended kNow - 30 days
  signer::TrustListSpec trust_spec;
  signer::RevocationSpec revocation_spec;
  signer::SigningKey holder_key;  // the member's phone key (P-256)

  const Insurer& insurer(Algorithm alg) const {
    return alg == Algorithm::es256 ? es256_insurer : ed25519_insurer;
  }
  // A sample member of `insurer` (本人, 3割, 記号 in kanji).
  crypto::Certificate member_of(const Insurer& insurer) const;

  // Makes and loads the lists as currently specified (tests edit the specs first).
  std::shared_ptr<const crypto::TrustList> trust_list() const;
  std::shared_ptr<const crypto::RevocationList> revocations() const;
  crypto::Verifier verifier(crypto::Mode mode = crypto::Mode::production,
                            crypto::FreshnessPolicy policy = {}) const;

  // §5.1 presentation signed by the insurer, issued at `iat`.
  std::string issuer_qr(Algorithm alg, UnixSeconds iat = kNow) const;
  signer::IssuerPresentation issuer_presentation(Algorithm alg, UnixSeconds iat = kNow) const;
  // §5.2 credential (valid kNow - 1 day .. kNow + 30 days) and a presentation of it.
  signer::Credential credential(Algorithm alg) const;
  std::string holder_qr(Algorithm alg, UnixSeconds presented_at = kNow) const;
  std::string holder_qr(const signer::Credential& credential, Algorithm alg,
                        UnixSeconds presented_at) const;
};

}  // namespace kakunin::testing
