// kakunin-make-sample DIR: a TEST world for the demo — a pinned list key, two
// fictitious insurers, test trust and revocation lists, and QR texts of the cases
// the demo plays, with the verdict each must get (qr/expected.txt). Every name is
// a sample name; every list is marked test, so none of it passes in production.
#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

namespace fs = std::filesystem;
using kakunin::crypto::Algorithm;
using kakunin::crypto::Bytes;
using kakunin::crypto::UnixSeconds;
using kakunin::signer::SigningKey;
namespace signer = kakunin::signer;

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
void write_bytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

kakunin::crypto::Certificate member(const std::string& insurer, const std::string& name,
                                    kakunin::crypto::Relationship relationship) {
  kakunin::crypto::Certificate c = signer::sample_certificate(insurer);
  c.name = name;
  c.name_kana.reset();
  c.relationship = relationship;
  c.sex = kakunin::crypto::Sex::not_printed;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kakunin-make-sample DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir / "qr");
  const UnixSeconds now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
  constexpr std::int64_t kDay = 86400;

  const SigningKey list_key = SigningKey::generate(Algorithm::es256);
  const SigningKey kenpo = SigningKey::generate(Algorithm::es256);
  const SigningKey kokuho = SigningKey::generate(Algorithm::ed25519);
  const SigningKey phone = SigningKey::generate(Algorithm::es256);
  const kakunin::crypto::ListHeader header{1, now - kDay, now + 7 * kDay, true};
  signer::TrustListSpec trust{header,
                              {{"06139992", "見本健康保険組合",
                                {{kenpo.spki_der(), Algorithm::es256, now - 365 * kDay, now + 365 * kDay, {}, {}}}},
                               {"138057", "見本市国民健康保険",
                                {{kokuho.spki_der(), Algorithm::ed25519, now - 365 * kDay, now + 365 * kDay, {}, {}}}}}};
  const auto revoked_cti = signer::random_cti();
  write_bytes(dir / "trustlist.cose", signer::make_trust_list(trust, list_key));
  write_bytes(dir / "revocations.cose", signer::make_revocation_list({header, {revoked_cti}}, list_key));
  write_text(dir / "trustlist-signing.pub.pem", list_key.public_pem());
  write_text(dir / "now", std::to_string(now));

  const auto taro = member("06139992", "見本 太郎", kakunin::crypto::Relationship::insured);
  const auto hanako = member("138057", "見本 花子", kakunin::crypto::Relationship::dependent);
  const auto issuer_qr = [&](const kakunin::crypto::Certificate& c, UnixSeconds iat, const SigningKey& key,
                             kakunin::crypto::Cti cti) {
    return signer::to_qr_text(signer::make_issuer_presentation({c, iat, 300, cti}, key));
  };
  const Bytes credential = signer::make_credential(
      {hanako, now - kDay, now - kDay, now + 30 * kDay, signer::random_cti(), phone.public_key()}, kokuho);
  auto expired = taro;
  expired.valid_until = {2025, 3, 31};
  const SigningKey forger = SigningKey::generate(Algorithm::es256);
  // A forger who copies the insurer's kid into a QR signed with their own key.
  const auto forged_with_kid = [&] {
    const signer::IssuerPresentation p{taro, now, 300, signer::random_cti()};
    return signer::to_qr_text(signer::sign1(
        {signer::protected_header(Algorithm::es256, kenpo.kid()), kakunin::signer::Cbor::map(),
         signer::issuer_claims(p).encode()},
        forger));
  };

  const std::pair<std::string, std::pair<std::string, std::string>> cases[] = {
      {"valid-issuer-signed", {issuer_qr(taro, now, kenpo, signer::random_cti()), "valid"}},
      {"valid-holder-bound", {signer::to_qr_text(signer::make_holder_presentation(credential, now, phone)), "valid"}},
      {"screenshot-a-minute-old", {issuer_qr(taro, now - 60, kenpo, signer::random_cti()), "stale"}},
      {"forged-signature", {issuer_qr(taro, now, forger, signer::random_cti()), "unknown_key"}},
      {"forged-with-insurers-kid", {forged_with_kid(), "bad_signature"}},
      {"revoked", {issuer_qr(taro, now, kenpo, revoked_cti), "revoked"}},
      {"certificate-out-of-date", {issuer_qr(expired, now, kenpo, signer::random_cti()), "certificate_expired"}},
      {"another-insurers-key", {issuer_qr(taro, now, kokuho, signer::random_cti()), "wrong_insurer"}},
      {"url-qr", {"https://example.jp/", "not_jhc1"}},
  };
  std::ofstream expected(dir / "qr" / "expected.txt");
  for (const auto& [name, qr_and_verdict] : cases) {
    write_text(dir / "qr" / (name + ".txt"), qr_and_verdict.first);
    expected << name << '|' << qr_and_verdict.second << '\n';
  }
  std::cout << "sample world written to " << dir << '\n';
  return 0;
}
