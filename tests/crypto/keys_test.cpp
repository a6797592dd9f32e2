// Which public keys the kiosk accepts (in a trust list, a pinned-key file, a cnf),
// and what a signature check over them answers. The strict part: one encoding per
// key, so a listed kid can always be recomputed from the listed bytes.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <kakunin/signer/signer.h>

#include <algorithm>
#include <memory>

namespace kakunin::crypto {
namespace {

using signer::SigningKey;

struct FreeKey {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;

Key generate(const char* type, const char* curve = nullptr) {
  return Key(curve ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, curve)
                   : EVP_PKEY_Q_keygen(nullptr, nullptr, type));
}

Bytes spki_of(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(pkey, &der);
  EXPECT_GT(length, 0);
  Bytes out(der, der + std::max(length, 0));
  OPENSSL_free(der);
  return out;
}

std::string pem_of(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, pkey);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return out;
}

Kid sha256_prefix(const Bytes& data) {
  unsigned char digest[32];
  EVP_Digest(data.data(), data.size(), digest, nullptr, EVP_sha256(), nullptr);
  Kid kid;
  std::copy_n(digest, kid.size(), kid.begin());
  return kid;
}

bool verifies(const PublicKey& key, const Bytes& message, const Bytes& signature) {
  const ByteView parts[] = {message};
  return key.verify_signature(parts, signature);
}

TEST(PublicKeyParsing, KeepsTheCanonicalSpkiAsGivenAndHashesItForTheKid) {
  for (const auto& pkey : {generate("EC", "P-256"), generate("ED25519")}) {
    const Bytes spki = spki_of(pkey.get());
    const auto key = PublicKey::from_spki_der(spki);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->spki_der(), spki);
    EXPECT_EQ(key->kid(), sha256_prefix(spki));
  }
}

TEST(PublicKeyParsing, RefusesOtherEncodingsOfTheSameP256Key) {
  const Key pkey = generate("EC", "P-256");
  ASSERT_TRUE(PublicKey::from_spki_der(spki_of(pkey.get())));

  const auto encoded_as = [&](const char* param, const char* value) {
    EXPECT_EQ(EVP_PKEY_set_utf8_string_param(pkey.get(), param, value), 1);
    Bytes spki = spki_of(pkey.get());
    EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   "uncompressed");
    EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_ENCODING, "named_curve");
    return spki;
  };
  const Bytes compressed = encoded_as(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed");
  const Bytes hybrid = encoded_as(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "hybrid");
  const Bytes explicit_curve = encoded_as(OSSL_PKEY_PARAM_EC_ENCODING, "explicit");
  // BER, not DER: the outer length written in long form (0x81 0x59 for 0x59).
  const Bytes canonical = spki_of(pkey.get());
  Bytes long_length = {0x30, 0x81};
  long_length.insert(long_length.end(), canonical.begin() + 1, canonical.end());

  EXPECT_EQ(compressed.size(), 59u);  // the encodings really are different ones
  EXPECT_FALSE(PublicKey::from_spki_der(compressed));
  EXPECT_FALSE(PublicKey::from_spki_der(hybrid));
  EXPECT_FALSE(PublicKey::from_spki_der(explicit_curve));
  EXPECT_FALSE(PublicKey::from_spki_der(long_length));
}

TEST(PublicKeyParsing, RefusesKeysOfOtherTypesEvenOfTheSameSize) {
  // X25519 SPKIs are 44 bytes like Ed25519; secp256k1 and SM2 are EC keys of 256 bits.
  const Key others[] = {generate("X25519"), generate("ED448"), generate("EC", "secp256k1"),
                        generate("EC", "SM2"), generate("EC", "P-384")};
  for (const auto& pkey : others) {
    ASSERT_TRUE(pkey);
    EXPECT_FALSE(PublicKey::from_spki_der(spki_of(pkey.get())));
    EXPECT_FALSE(PublicKey::from_pem(pem_of(pkey.get())));
  }
}

TEST(PublicKeyParsing, RefusesThePointAtZeroAndTruncatedKeys) {
  Bytes spki = spki_of(generate("EC", "P-256").get());
  Bytes zero = spki;
  std::fill(zero.begin() + 27, zero.end(), 0);
  EXPECT_FALSE(PublicKey::from_spki_der(zero));
  spki.pop_back();
  EXPECT_FALSE(PublicKey::from_spki_der(spki));
  Bytes ed = spki_of(generate("ED25519").get());
  ed.pop_back();
  EXPECT_FALSE(PublicKey::from_spki_der(ed));
}

TEST(PublicKeyParsing, ReadsAPemFileOnlyWhenItHoldsExactlyOneKey) {
  const SigningKey a = SigningKey::generate(Algorithm::es256);
  const SigningKey b = SigningKey::generate(Algorithm::ed25519);
  ASSERT_TRUE(PublicKey::from_pem(a.public_pem()));
  EXPECT_EQ(PublicKey::from_pem(a.public_pem())->kid(), a.kid());
  // Two keys in one pinned-key file would otherwise pin only the first.
  EXPECT_FALSE(PublicKey::from_pem(a.public_pem() + b.public_pem()));
  EXPECT_FALSE(PublicKey::from_pem(""));
}

TEST(KeySignatures, FailForEveryLengthButSixtyFourBytes) {
  const Bytes message = {'j', 'h', 'c', '1'};
  for (const Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
    const SigningKey key = SigningKey::generate(alg);
    const Bytes good = key.sign(message);
    ASSERT_TRUE(verifies(key.public_key(), message, good));
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_FALSE(verifies(key.public_key(), message, longer));
    EXPECT_FALSE(verifies(key.public_key(), message, Bytes(good.begin(), good.end() - 1)));
    EXPECT_FALSE(verifies(key.public_key(), message, Bytes{}));
    EXPECT_FALSE(verifies(key.public_key(), message, Bytes(64, 0)));
    EXPECT_FALSE(verifies(key.public_key(), message, Bytes(64, 0xff)));
  }
}

TEST(KeySignatures, FailUnderAnotherKeyOrAnotherAlgorithm) {
  const Bytes message = {1, 2, 3, 4};
  const SigningKey p256 = SigningKey::generate(Algorithm::es256);
  const SigningKey ed25519 = SigningKey::generate(Algorithm::ed25519);
  EXPECT_FALSE(
      verifies(SigningKey::generate(Algorithm::es256).public_key(), message, p256.sign(message)));
  // Both signatures are 64 bytes; only the key decides how they are read.
  EXPECT_FALSE(verifies(p256.public_key(), message, ed25519.sign(message)));
  EXPECT_FALSE(verifies(ed25519.public_key(), message, p256.sign(message)));
}

TEST(KeySignatures, Ed25519FailsWhenOneMessageBitFlipsWholeOrInParts) {
  const SigningKey key = SigningKey::generate(Algorithm::ed25519);
  Bytes first = {1, 2, 3}, second = {4, 5, 6};
  Bytes whole = first;
  whole.insert(whole.end(), second.begin(), second.end());
  const Bytes signature = key.sign(whole);
  ASSERT_TRUE(verifies(key.public_key(), whole, signature));
  second[2] ^= 0x80;
  const ByteView parts[] = {first, second};
  EXPECT_FALSE(key.public_key().verify_signature(parts, signature));
  whole[5] ^= 0x80;
  EXPECT_FALSE(verifies(key.public_key(), whole, signature));
}

TEST(KeySignatures, Es256ChecksALargeListPayloadStreamedInParts) {
  // The shape of a revocation list check: the Sig_structure head, then the payload
  // where it lies. A 16 MiB payload is hashed in place.
  const SigningKey key = SigningKey::generate(Algorithm::es256);
  const Bytes head = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
  Bytes payload(std::size_t{16} * 1024 * 1024, 0x5a);
  Bytes whole = head;
  whole.insert(whole.end(), payload.begin(), payload.end());
  const Bytes signature = key.sign(whole);
  const ByteView parts[] = {head, payload};
  EXPECT_TRUE(key.public_key().verify_signature(parts, signature));
  payload.back() ^= 0x01;
  EXPECT_FALSE(key.public_key().verify_signature(parts, signature));
}

TEST(PinnedKeyConfig, RefusesTheSameKeyPinnedTwiceAndFindsEachPinnedKey) {
  const SigningKey a = SigningKey::generate(Algorithm::es256);
  const SigningKey b = SigningKey::generate(Algorithm::ed25519);
  // The same key read twice is two objects with one kid.
  EXPECT_FALSE(PinnedKeys::from_keys({a.public_key(), *PublicKey::from_pem(a.public_pem())}));
  const auto pins = PinnedKeys::from_keys({a.public_key(), b.public_key()});
  ASSERT_TRUE(pins);
  EXPECT_EQ(pins->size(), 2u);
  ASSERT_NE(pins->find(a.kid()), nullptr);
  EXPECT_EQ(pins->find(a.kid())->spki_der(), a.spki_der());
  EXPECT_EQ(pins->find(b.kid())->algorithm(), Algorithm::ed25519);
  EXPECT_EQ(pins->find(SigningKey::generate(Algorithm::es256).kid()), nullptr);
}

}  // namespace
}  // namespace kakunin::crypto
