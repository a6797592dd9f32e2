// Public keys through OpenSSL 3 EVP: parsing, kid, and COSE signature checks.
#include "openssl_ptr.h"
#include "public_key_parsed.h"

#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>

namespace kakunin::crypto {
namespace {

constexpr std::size_t kRawSignatureSize = 64;

std::optional<Algorithm> supported_algorithm(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return Algorithm::ed25519;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof group, &length) == 1 &&
        std::strcmp(group, "prime256v1") == 0) {
      return Algorithm::es256;
    }
  }
  return std::nullopt;
}

bool point_is_valid(EVP_PKEY* pkey) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

Kid kid_of(const Bytes& spki) {
  std::uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(spki.data(), spki.size(), digest);
  Kid kid;
  std::copy_n(digest, kid.size(), kid.begin());
  return kid;
}

// Builds the checked key from a decoded EVP_PKEY; nullptr when unsupported.
std::shared_ptr<const PublicKey::Parsed> checked(EvpPkeyPtr pkey) {
  if (!pkey) return nullptr;
  const auto alg = supported_algorithm(pkey.get());
  if (!alg || !point_is_valid(pkey.get())) return nullptr;
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(pkey.get(), &der);
  if (length <= 0) return nullptr;
  Bytes spki(der, der + length);
  OPENSSL_free(der);
  auto parsed = std::make_shared<PublicKey::Parsed>();
  parsed->kid = kid_of(spki);
  parsed->spki_der = std::move(spki);
  parsed->algorithm = *alg;
  parsed->pkey = std::move(pkey);
  return parsed;
}

// COSE carries r||s; OpenSSL verifies DER. Returns empty on failure.
Bytes raw_to_der(ByteView raw) {
  BignumPtr r(BN_bin2bn(raw.data(), 32, nullptr));
  BignumPtr s(BN_bin2bn(raw.data() + 32, 32, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return {};
  Bytes out(der, der + length);
  OPENSSL_free(der);
  return out;
}

bool verify_es256(EVP_PKEY* pkey, std::span<const ByteView> parts, ByteView signature) {
  const Bytes der = raw_to_der(signature);
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (der.empty() || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1) {
    return false;
  }
  for (const ByteView part : parts) {
    if (EVP_DigestVerifyUpdate(ctx.get(), part.data(), part.size()) != 1) return false;
  }
  return EVP_DigestVerifyFinal(ctx.get(), der.data(), der.size()) == 1;
}

bool verify_ed25519(EVP_PKEY* pkey, std::span<const ByteView> parts, ByteView signature) {
  // Pure EdDSA hashes the message twice, so it cannot stream: the parts are joined.
  Bytes message;
  for (const ByteView part : parts) message.insert(message.end(), part.begin(), part.end());
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) return false;
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

}  // namespace

std::string_view algorithm_name(Algorithm alg) {
  return alg == Algorithm::es256 ? "ES256" : "EdDSA";
}

std::optional<PublicKey> PublicKey::from_spki_der(ByteView spki) {
  const unsigned char* cursor = spki.data();
  EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(spki.size())));
  const bool whole = pkey && cursor == spki.data() + spki.size();
  auto parsed = whole ? checked(std::move(pkey)) : nullptr;
  ERR_clear_error();
  if (!parsed) return std::nullopt;
  return PublicKey(std::move(parsed));
}

std::optional<PublicKey> PublicKey::from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  auto parsed = checked(std::move(pkey));
  ERR_clear_error();
  if (!parsed) return std::nullopt;
  return PublicKey(std::move(parsed));
}

Algorithm PublicKey::algorithm() const { return parsed_->algorithm; }
Kid PublicKey::kid() const { return parsed_->kid; }
const Bytes& PublicKey::spki_der() const { return parsed_->spki_der; }

bool PublicKey::verify_signature(std::span<const ByteView> parts, ByteView signature) const {
  if (signature.size() != kRawSignatureSize) return false;
  const bool ok = parsed_->algorithm == Algorithm::es256
                      ? verify_es256(parsed_->pkey.get(), parts, signature)
                      : verify_ed25519(parsed_->pkey.get(), parts, signature);
  ERR_clear_error();
  return ok;
}

std::optional<PinnedKeys> PinnedKeys::from_keys(std::vector<PublicKey> keys) {
  if (keys.empty() || keys.size() > 2) return std::nullopt;
  if (keys.size() == 2 && keys[0].kid() == keys[1].kid()) return std::nullopt;
  return PinnedKeys(std::move(keys));
}

const PublicKey* PinnedKeys::find(const Kid& kid) const {
  for (const auto& key : keys_) {
    if (key.kid() == kid) return &key;
  }
  return nullptr;
}

}  // namespace kakunin::crypto
