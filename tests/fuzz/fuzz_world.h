// The fixed world every fuzz target and its seed generator share, so checked-in
// seeds carry signatures that verify and the fuzzer starts from valid inputs.
// These keys are fuzzing material only: they are listed in no trust list
// anywhere, and the lists they sign are marked test.
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <memory>

namespace kakunin::fuzzing {

inline constexpr crypto::UnixSeconds kFuzzNow = 1795132800;  // 2026-11-20T00:00:00Z

inline constexpr const char* kListKeyPem = R"(
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIK3tsLyGJYS400Y9I1qMCLwYUEAypuntQ96Wghca7dH3
-----END PRIVATE KEY-----
)";
inline constexpr const char* kEd25519InsurerPem = R"(
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICF9F4S/JwU0B6d8wyp0XqJUM/XoWaRBXus4F1cE/ix3
-----END PRIVATE KEY-----
)";
inline constexpr const char* kEs256InsurerPem = R"(
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHa00y8HEY0eHLNiK
JoaLgcFSr8g5Mq5Fxj2l8wxWFGShRANCAAQOIU/QnZhMDCj8u6drwutTBFvObq6E
iPHm4SjCZcYF4GF7e5WXi5i/VTbUJId+95IlGaTUdR5GZXD8nFptowHO
-----END PRIVATE KEY-----
)";
inline constexpr const char* kHolderPem = R"(
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRWq8mSureOC9MmGh
MjhlQWKhM6dwMHeRyiFsHnDHSfqhRANCAATQkhFv4oSAbVw+XSY77seBS6BakVqj
QFYMBxQ0Fqz89QFVIBdy68XvFHbznUtOYZllKWHLPPpltmPSLr7amoRF
-----END PRIVATE KEY-----
)";

struct FuzzWorld {
  signer::SigningKey list_key = *signer::SigningKey::from_private_pem(kListKeyPem);
  signer::SigningKey es256_insurer = *signer::SigningKey::from_private_pem(kEs256InsurerPem);
  signer::SigningKey ed25519_insurer = *signer::SigningKey::from_private_pem(kEd25519InsurerPem);
  signer::SigningKey holder = *signer::SigningKey::from_private_pem(kHolderPem);
  crypto::PinnedKeys pins = *crypto::PinnedKeys::from_keys({list_key.public_key()});

  crypto::ListHeader header() const { return {1, kFuzzNow - 86400, kFuzzNow + 86400, true}; }

  signer::TrustListSpec trust_spec() const {
    const crypto::UnixSeconds from = kFuzzNow - 365L * 86400, to = kFuzzNow + 365L * 86400;
    return {header(),
            {{"06139992",
              "見本健康保険組合",
              {{es256_insurer.spki_der(), crypto::Algorithm::es256, from, to, {}, {}}}},
             {"138057",
              "見本市国民健康保険",
              {{ed25519_insurer.spki_der(), crypto::Algorithm::ed25519, from, to, {}, {}}}}}};
  }

  // A 家族 member issued on application, so the optional fields are all present.
  crypto::Certificate member(const char* insurer_number) const {
    crypto::Certificate cert = signer::sample_certificate(insurer_number);
    cert.relationship = crypto::Relationship::dependent;
    cert.limit_category = "ア";
    cert.category = crypto::IssueCategory::on_application;
    cert.reason = 1;
    return cert;
  }

  crypto::Cti cti(std::uint8_t fill) const {
    crypto::Cti id;
    id.fill(fill);
    return id;
  }

  std::unique_ptr<crypto::Verifier> verifier() const {
    auto trust = crypto::TrustList::load(signer::make_trust_list(trust_spec(), list_key), pins,
                                         crypto::HighWaterMark::nothing_seen());
    auto revocations = crypto::RevocationList::load(
        signer::make_revocation_list({header(), {cti(0x11), cti(0x22)}}, list_key), pins,
        crypto::HighWaterMark::nothing_seen());
    return std::make_unique<crypto::Verifier>(trust.value(), revocations.value(),
                                              crypto::Mode::test);
  }
};

// One world per fuzzing process, made on first use and never destroyed.
inline const FuzzWorld& shared_world() {
  static const auto* instance = new FuzzWorld();
  return *instance;
}

// The list fuzzers' input: first byte even, the rest is a payload that is signed
// here with the pinned key so the content parser is reached; odd, the rest is
// given as raw COSE bytes.
inline crypto::Bytes list_bytes(const std::uint8_t* data, std::size_t size) {
  const crypto::ByteView rest(data + 1, size - 1);
  if (data[0] & 1) return crypto::Bytes(rest.begin(), rest.end());
  return signer::sign_list_payload(rest, shared_world().list_key);
}

}  // namespace kakunin::fuzzing
