// Private keys for the signer, through OpenSSL 3 EVP.
#include <kakunin/signer/signer.h>

#include "openssl_ptr.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace kakunin::signer {
namespace {

using PkeyPtr = crypto::EvpPkeyPtr;
using MdCtxPtr = crypto::EvpMdCtxPtr;
using SigPtr = crypto::EcdsaSigPtr;
using crypto::BioPtr;

// The signer is a tool for tests and sample material: a failure inside OpenSSL
// here is a broken installation, not bad input, so it throws.
[[noreturn]] void openssl_failure(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(std::string("signer: OpenSSL failure: ") + what);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Bytes der_signature(EVP_PKEY* pkey, bool ecdsa, ByteView message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, ecdsa ? EVP_sha256() : nullptr, nullptr, pkey) != 1) {
    openssl_failure("sign init");
  }
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) != 1) {
    openssl_failure("sign size");
  }
  Bytes out(length);
  if (EVP_DigestSign(ctx.get(), out.data(), &length, message.data(), message.size()) != 1) {
    openssl_failure("sign");
  }
  out.resize(length);
  return out;
}

Bytes der_to_raw(const Bytes& der) {
  const unsigned char* cursor = der.data();
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!sig) openssl_failure("parse ECDSA signature");
  Bytes raw(64);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + 32, 32) != 32) {
    openssl_failure("ECDSA signature to r||s");
  }
  return raw;
}

}  // namespace

struct SigningKey::Impl {
  PkeyPtr pkey;
  Algorithm algorithm;
  crypto::PublicKey public_key;
};

namespace {

std::shared_ptr<const SigningKey::Impl> make_impl(PkeyPtr pkey) {
  // A PEM may carry a P-256 key with explicit curve parameters or a compressed
  // point; the kiosk accepts only the named-curve, uncompressed SPKI, so the key is
  // re-encoded that way (as a freshly generated key already is).
  if (EVP_PKEY_is_a(pkey.get(), "EC") &&
      (EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                      OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) != 1 ||
       EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_ENCODING,
                                      OSSL_PKEY_EC_ENCODING_GROUP) != 1)) {
    openssl_failure("set EC key encoding");
  }
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(pkey.get(), &der);
  if (length <= 0) openssl_failure("encode public key");
  const Bytes spki(der, der + length);
  OPENSSL_free(der);
  auto public_key = crypto::PublicKey::from_spki_der(spki);
  if (!public_key) return nullptr;  // not P-256 or Ed25519
  const Algorithm alg = public_key->algorithm();
  return std::make_shared<const SigningKey::Impl>(
      SigningKey::Impl{std::move(pkey), alg, std::move(*public_key)});
}

}  // namespace

SigningKey SigningKey::generate(Algorithm alg) {
  PkeyPtr pkey(alg == Algorithm::es256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) openssl_failure("generate key");
  auto impl = make_impl(std::move(pkey));
  if (!impl) openssl_failure("generated key unusable");
  return SigningKey(std::move(impl));
}

std::optional<SigningKey> SigningKey::from_private_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (!pkey) return std::nullopt;
  auto impl = make_impl(std::move(pkey));
  if (!impl) return std::nullopt;
  return SigningKey(std::move(impl));
}

Algorithm SigningKey::algorithm() const { return impl_->algorithm; }

std::string SigningKey::private_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0,
                                            nullptr, nullptr) != 1) {
    openssl_failure("write private key");
  }
  return bio_text(bio.get());
}

std::string SigningKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->pkey.get()) != 1) {
    openssl_failure("write public key");
  }
  return bio_text(bio.get());
}

Bytes SigningKey::spki_der() const { return impl_->public_key.spki_der(); }
Kid SigningKey::kid() const { return impl_->public_key.kid(); }
crypto::PublicKey SigningKey::public_key() const { return impl_->public_key; }

Bytes SigningKey::sign(ByteView message) const {
  const bool ecdsa = impl_->algorithm == Algorithm::es256;
  Bytes signature = der_signature(impl_->pkey.get(), ecdsa, message);
  return ecdsa ? der_to_raw(signature) : signature;
}

Bytes SigningKey::sign_der(ByteView message) const {
  if (impl_->algorithm != Algorithm::es256) throw std::logic_error("sign_der: ES256 keys only");
  return der_signature(impl_->pkey.get(), true, message);
}

}  // namespace kakunin::signer
