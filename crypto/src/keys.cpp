// Public keys through OpenSSL 3 EVP: parsing, kid, and COSE signature checks.
#include "ed25519_point.h"
#include "openssl_ptr.h"
#include "public_key_parsed.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <climits>

namespace kakunin::crypto {
namespace {

constexpr std::size_t kRawSignatureSize = 64;

Kid kid_of(const Bytes& spki) {
  std::uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(spki.data(), spki.size(), digest);
  Kid kid;
  std::copy_n(digest, kid.size(), kid.begin());
  return kid;
}

// Exactly one SPKI encoding is accepted per key type: RFC 5480 id-ecPublicKey with
// the named curve prime256v1 and an uncompressed point (91 bytes), and RFC 8410
// Ed25519 without parameters (44 bytes). Both are fixed DER prefixes followed by
// the raw key, so the check is a prefix and a length, and the key is imported raw.
// Everything else is refused, even when it denotes a P-256 key: explicit curve
// parameters, compressed or hybrid points, BER lengths, stray bits, trailing bytes.
// Why: one key then has one SPKI and so one kid, a listed kid can always be
// recomputed from the listed bytes, and spki_der() is the caller's input. It also
// keeps OpenSSL's general DER decoder (hundreds of microseconds per key, and lenient
// about BER) off the per-QR path, where the holder key is rebuilt for every scan.
constexpr std::uint8_t kP256Prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr std::uint8_t kEd25519Prefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                           0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

bool has_prefix(ByteView spki, std::span<const std::uint8_t> prefix, std::size_t key_size) {
  return spki.size() == prefix.size() + key_size &&
         std::equal(prefix.begin(), prefix.end(), spki.begin());
}

EvpPkeyPtr import_p256_point(ByteView point) {
  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
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
    alg = Algorithm::es256;  // the import refuses a point off the curve (and 0,0)
  } else if (has_prefix(spki, kEd25519Prefix, 32)) {
    const ByteView raw = spki.subspan(sizeof kEd25519Prefix);
    // OpenSSL takes any 32 bytes; the identity or another small-order point as a
    // key would let anyone forge (spec §6), so such keys never become keys here.
    if (!is_usable_ed25519_public_key(raw)) return nullptr;
    pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
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
  static_cast<void>(r.release());  // owned by sig now
  static_cast<void>(s.release());
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
  // Pure EdDSA hashes the message twice (once for the nonce check, once with R and
  // A), so OpenSSL offers no streaming Ed25519 verify: several parts are joined into
  // one buffer here. One part, the usual case, is verified in place.
  Bytes joined;
  ByteView message;
  if (parts.size() == 1) {
    message = parts[0];
  } else {
    for (const ByteView part : parts) joined.insert(joined.end(), part.begin(), part.end());
    message = joined;
  }
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
  auto parsed = import_canonical(spki);
  ERR_clear_error();
  if (!parsed) return std::nullopt;
  return PublicKey(std::move(parsed));
}

std::optional<PublicKey> PublicKey::from_pem(std::string_view pem) {
  // A file holding two keys would otherwise pin only the first, silently.
  constexpr std::string_view kBegin = "-----BEGIN ";
  const auto first = pem.find(kBegin);
  if (pem.size() > INT_MAX || first == std::string_view::npos ||
      pem.find(kBegin, first + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  unsigned char* der = nullptr;
  const int length = pkey ? i2d_PUBKEY(pkey.get(), &der) : 0;
  ERR_clear_error();
  if (length <= 0) return std::nullopt;
  // Re-encoded by OpenSSL, then held to the same one-encoding rule as DER input.
  const Bytes spki(der, der + length);
  OPENSSL_free(der);
  return from_spki_der(spki);
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

std::vector<Kid> PinnedKeys::kids() const {
  std::vector<Kid> out;
  for (const auto& key : keys_) out.push_back(key.kid());
  return out;
}

const PublicKey* PinnedKeys::find(const Kid& kid) const {
  for (const auto& key : keys_) {
    if (key.kid() == kid) return &key;
  }
  return nullptr;
}

}  // namespace kakunin::crypto
