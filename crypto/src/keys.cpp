// Public keys through OpenSSL 3 EVP: parsing, kid, and COSE signature checks.
#include "openssl_ptr.h"
#include "public_key_parsed.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
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
  return ctx && EVP_PKEY_public_check_quick(ctx.get()) == 1;
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

// OpenSSL 3's DER decoder and encoder cost hundreds of microseconds per key, more
// than a signature check, and a holder key is decoded for every QR. The two
// canonical SPKI shapes JHC1 uses are therefore recognised by their fixed DER
// prefix and imported from the raw key; anything else takes the decoder path.
constexpr std::uint8_t kP256Prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr std::uint8_t kEd25519Prefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
                                           0x70, 0x03, 0x21, 0x00};

bool has_prefix(ByteView spki, std::span<const std::uint8_t> prefix, std::size_t key_size) {
  return spki.size() == prefix.size() + key_size &&
         std::equal(prefix.begin(), prefix.end(), spki.begin());
}

EvpPkeyPtr import_p256_point(ByteView point) {
  using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
  using ParamPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return EvpPkeyPtr(pkey);
}

std::shared_ptr<const PublicKey::Parsed> import_canonical(ByteView spki) {
  EvpPkeyPtr pkey;
  Algorithm alg;
  if (has_prefix(spki, kP256Prefix, 65) && spki[sizeof kP256Prefix] == 0x04) {
    pkey = import_p256_point(spki.subspan(sizeof kP256Prefix));
    alg = Algorithm::es256;  // the import itself refuses a point off the curve
  } else if (has_prefix(spki, kEd25519Prefix, 32)) {
    pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                           spki.data() + sizeof kEd25519Prefix, 32));
    alg = Algorithm::ed25519;
  } else {
    return nullptr;
  }
  if (!pkey) return nullptr;
  auto parsed = std::make_shared<PublicKey::Parsed>();
  parsed->spki_der.assign(spki.begin(), spki.end());
  parsed->kid = kid_of(parsed->spki_der);
  parsed->algorithm = alg;
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
  if (auto canonical = import_canonical(spki)) return PublicKey(std::move(canonical));
  ERR_clear_error();
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
