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
  const kakunin::fuzzing::FuzzWorld w;
  const fs::path root = argv[1];

  const fs::path qr = root / "fuzz_qr_verify";
  const auto issuer = [&](const signer::SigningKey& key, const char* insurer, std::uint8_t fill) {
    return signer::make_issuer_presentation({w.member(insurer), kFuzzNow, 300, w.cti(fill)}, key);
  };
  const auto holder = [&](const signer::SigningKey& key, const char* insurer, std::uint8_t fill) {
    const Bytes cred = signer::make_credential(
        {w.member(insurer), kFuzzNow - 86400, kFuzzNow - 86400, kFuzzNow + 86400, w.cti(fill),
         w.holder.public_key()},
        key);
    return signer::make_holder_presentation(cred, kFuzzNow, w.holder);
  };
  const std::pair<std::string, Bytes> presentations[] = {
      {"issuer_es256", issuer(w.es256_insurer, "06139992", 0x01)},
      {"issuer_ed25519", issuer(w.ed25519_insurer, "138057", 0x02)},
      {"holder_es256", holder(w.es256_insurer, "06139992", 0x03)},
      {"holder_ed25519", holder(w.ed25519_insurer, "138057", 0x04)},
      {"issuer_revoked", issuer(w.es256_insurer, "06139992", 0x11)},
  };
  for (const auto& [name, cose] : presentations) {
    write(qr, name + "_text", 0, bytes_of(signer::to_qr_text(cose)));
    write(qr, name + "_cose", 1, cose);
  }
  write(qr, "not_jhc1", 0, bytes_of("https://example.jp/"));

  const fs::path trust = root / "fuzz_trust_list";
  const std::string json = signer::trust_list_json(w.trust_spec());
  write(trust, "trust_list_json", 0, bytes_of(json));
  write(trust, "trust_list_cose", 1, signer::make_trust_list(w.trust_spec(), w.list_key));

  const fs::path revocations = root / "fuzz_revocation_list";
  const auto payload = signer::revocation_payload(w.header(), {w.cti(0x11), w.cti(0x22)}).encode();
  write(revocations, "revocations_cbor", 0, payload);
  write(revocations, "revocations_empty_cbor", 0,
        signer::revocation_payload(w.header(), {}).encode());
  write(revocations, "revocations_cose", 1, signer::sign_list_payload(payload, w.list_key));
  std::cout << "seeds written under " << root << '\n';
  return 0;
}
