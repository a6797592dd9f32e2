// Writes the fuzz targets' seed corpora (tests/fuzz/corpus/): valid inputs of
// every kind, each with the mode byte its target expects. Run:
//   build/kakunin-fuzz-seeds tests/fuzz/corpus
#include "fuzz_world.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

namespace fs = std::filesystem;
using kakunin::crypto::Algorithm;
using kakunin::crypto::Bytes;
using kakunin::fuzzing::kFuzzNow;

void write(const fs::path& dir, const std::string& name, std::uint8_t mode, const Bytes& body) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(mode));
  out.write(reinterpret_cast<const char*>(body.data()), static_cast<std::streamsize>(body.size()));
}

Bytes bytes_of(const std::string& text) { return Bytes(text.begin(), text.end()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kakunin-fuzz-seeds CORPUS_DIR\n";
    return 2;
  }
  namespace signer = kakunin::signer;
  namespace crypto = kakunin::crypto;
  const kakunin::fuzzing::FuzzWorld w;
  const fs::path root = argv[1];
  constexpr std::int64_t kDay = 86400;

  // ---- fuzz_qr_verify: presentations reaching every verdict past malformed, as
  // QR text (mode 0) and as the COSE bytes inside it (mode 1).
  const fs::path qr = root / "fuzz_qr_verify";
  const auto issuer = [&](const signer::SigningKey& key, const crypto::Certificate& cert,
                          crypto::UnixSeconds iat, std::uint8_t fill) {
    return signer::make_issuer_presentation({cert, iat, 300, w.cti(fill)}, key);
  };
  const auto credential = [&](const signer::SigningKey& key, const char* insurer,
                              std::uint8_t fill) {
    return signer::make_credential({w.member(insurer), kFuzzNow - kDay, kFuzzNow - kDay,
                                    kFuzzNow + kDay, w.cti(fill), w.holder.public_key()},
                                   key);
  };
  const auto holder = [&](const signer::SigningKey& key, const char* insurer, std::uint8_t fill) {
    return signer::make_holder_presentation(credential(key, insurer, fill), kFuzzNow, w.holder);
  };
  // The plainest certificate: 本人, automatic issue, no optional field.
  crypto::Certificate plain = signer::sample_certificate("06139992");
  plain.symbol.reset();
  plain.name_kana.reset();
  plain.acquired.reset();
  plain.ratio_tenths.reset();
  plain.limit_category.reset();
  crypto::Certificate out_of_date = w.member("06139992");
  out_of_date.valid_until = {2025, 3, 31};

  const std::pair<std::string, Bytes> presentations[] = {
      // Valid: both profiles, both insurer algorithms, the 8- and 6-digit numbers.
      {"issuer_es256", issuer(w.es256_insurer, w.member("06139992"), kFuzzNow, 0x01)},
      {"issuer_ed25519", issuer(w.ed25519_insurer, w.member("138057"), kFuzzNow, 0x02)},
      {"holder_es256", holder(w.es256_insurer, "06139992", 0x03)},
      {"holder_ed25519", holder(w.ed25519_insurer, "138057", 0x04)},
      {"issuer_plain", issuer(w.es256_insurer, plain, kFuzzNow, 0x05)},
      // Refused after the signature checks, so every step before is reached.
      {"issuer_revoked", issuer(w.es256_insurer, w.member("06139992"), kFuzzNow, 0x11)},
      {"holder_revoked", holder(w.ed25519_insurer, "138057", 0x22)},
      {"issuer_stale", issuer(w.es256_insurer, w.member("06139992"), kFuzzNow - 60, 0x06)},
      {"issuer_ahead", issuer(w.ed25519_insurer, w.member("138057"), kFuzzNow + 60, 0x07)},
      {"issuer_out_of_date", issuer(w.es256_insurer, out_of_date, kFuzzNow, 0x08)},
      // Refused at the key steps.
      {"issuer_wrong_insurer", issuer(w.ed25519_insurer, w.member("06139992"), kFuzzNow, 0x09)},
      {"issuer_unknown_key", issuer(w.holder, w.member("06139992"), kFuzzNow, 0x0a)},
      {"holder_bad_holder_signature",
       signer::make_holder_presentation(credential(w.es256_insurer, "06139992", 0x0b), kFuzzNow,
                                        w.es256_insurer)},
      // A credential shown without a presentation around it (§5.2: refused).
      {"credential_alone", credential(w.es256_insurer, "06139992", 0x0c)},
  };
  for (const auto& [name, cose] : presentations) {
    write(qr, name + "_text", 0, bytes_of(signer::to_qr_text(cose)));
    write(qr, name + "_cose", 1, cose);
  }
  write(qr, "not_jhc1", 0, bytes_of("https://example.jp/"));
  write(qr, "prefix_only", 0, bytes_of("JHC1:"));

  // ---- fuzz_trust_list: JSON payloads (mode 0, signed by the target) and whole
  // signed lists (mode 1).
  const fs::path trust = root / "fuzz_trust_list";
  signer::TrustListSpec rich = w.trust_spec();
  rich.header = {7, kFuzzNow - kDay, kFuzzNow + 7 * kDay, false};
  // A retired key beside the current one, and a third insurer with two keys. Only
  // the list key must be fixed for a list seed to load, so these keys are new.
  const auto spki = [](crypto::Algorithm alg) {
    return signer::SigningKey::generate(alg).spki_der();
  };
  rich.issuers[0].keys.insert(rich.issuers[0].keys.begin(), {spki(crypto::Algorithm::es256),
                                                             crypto::Algorithm::es256,
                                                             kFuzzNow - 800 * kDay,
                                                             kFuzzNow - 365 * kDay,
                                                             {},
                                                             {}});
  rich.issuers.push_back({"33120015",
                          "見本共済組合",
                          {{spki(crypto::Algorithm::ed25519),
                            crypto::Algorithm::ed25519,
                            kFuzzNow,
                            kFuzzNow + kDay,
                            {},
                            {}},
                           {spki(crypto::Algorithm::es256),
                            crypto::Algorithm::es256,
                            kFuzzNow,
                            kFuzzNow + kDay,
                            {},
                            {}}}});
  signer::TrustListSpec empty{w.header(), {}};
  signer::TrustListSpec mismatched = w.trust_spec();
  mismatched.issuers[0].keys[0].kid_override = "AAAAAAAAAAA";
  signer::TrustListSpec other_alg = w.trust_spec();
  other_alg.issuers[1].keys[0].alg_override = "ES384";
  const std::pair<std::string, const signer::TrustListSpec*> lists[] = {
      {"trust_list", nullptr},
      {"trust_list_rich", &rich},
      {"trust_list_empty", &empty},
      {"trust_list_kid_mismatch", &mismatched},
      {"trust_list_unknown_alg", &other_alg},
  };
  const signer::TrustListSpec base = w.trust_spec();
  for (const auto& [name, spec] : lists) {
    const std::string json = signer::trust_list_json(spec ? *spec : base);
    write(trust, name + "_json", 0, bytes_of(json));
    write(trust, name + "_cose", 1, signer::sign_list_payload(bytes_of(json), w.list_key));
  }
  // Signed by a key that is not pinned.
  write(trust, "trust_list_unpinned_cose", 1, signer::make_trust_list(base, w.es256_insurer));

  // ---- fuzz_revocation_list: CBOR payloads (mode 0) and signed lists (mode 1).
  const fs::path revocations = root / "fuzz_revocation_list";
  std::vector<crypto::Cti> many;
  for (int i = 0; i < 64; ++i) many.push_back(w.cti(static_cast<std::uint8_t>(i * 4)));
  std::vector<crypto::Cti> unsorted = {w.cti(0x22), w.cti(0x11)};
  const std::pair<std::string, Bytes> payloads[] = {
      {"revocations", signer::revocation_payload(w.header(), {w.cti(0x11), w.cti(0x22)}).encode()},
      {"revocations_empty", signer::revocation_payload(w.header(), {}).encode()},
      {"revocations_many",
       signer::revocation_payload({9, kFuzzNow - kDay, kFuzzNow + kDay, false}, many).encode()},
      {"revocations_unsorted", signer::revocation_payload(w.header(), unsorted).encode()},
  };
  for (const auto& [name, payload] : payloads) {
    write(revocations, name + "_cbor", 0, payload);
    write(revocations, name + "_cose", 1, signer::sign_list_payload(payload, w.list_key));
  }
  std::cout << "seeds written under " << root << '\n';
  return 0;
}
