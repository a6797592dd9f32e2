// Keys as the kiosk accepts them, and the signer's encodings that tests and tools
// rely on to make material other implementations would make.
#include "cbor_reader.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <kakunin/signer/signer.h>

namespace kakunin::signer {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes spki_of_generated(const char* type, const char* param) {
  EVP_PKEY* pkey = param ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                         : EVP_PKEY_Q_keygen(nullptr, nullptr, type, static_cast<size_t>(2048));
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(pkey, &der);
  Bytes out(der, der + length);
  OPENSSL_free(der);
  EVP_PKEY_free(pkey);
  return out;
}

TEST(PublicKeys, AcceptOnlyP256AndEd25519) {
  EXPECT_EQ(crypto::PublicKey::from_spki_der(spki_of_generated("EC", "P-256"))->algorithm(),
            Algorithm::es256);
  EXPECT_EQ(crypto::PublicKey::from_spki_der(spki_of_generated("ED25519", nullptr))->algorithm(),
            Algorithm::ed25519);
  EXPECT_FALSE(crypto::PublicKey::from_spki_der(spki_of_generated("EC", "P-384")));
  EXPECT_FALSE(crypto::PublicKey::from_spki_der(spki_of_generated("RSA", nullptr)));
  EXPECT_FALSE(crypto::PublicKey::from_spki_der(Bytes{}));
}

TEST(PublicKeys, RefuseDerWithTrailingBytes) {
  Bytes spki = SigningKey::generate(Algorithm::es256).spki_der();
  spki.push_back(0);
  EXPECT_FALSE(crypto::PublicKey::from_spki_der(spki));
}

TEST(PublicKeys, RefuseAP256PointOffTheCurve) {
  Bytes spki = SigningKey::generate(Algorithm::es256).spki_der();
  spki.back() ^= 0x01;
  EXPECT_FALSE(crypto::PublicKey::from_spki_der(spki));
}

TEST(PublicKeys, KidIsTheFirstEightBytesOfTheSpkiHash) {
  const SigningKey key = SigningKey::generate(Algorithm::es256);
  const Bytes spki = key.spki_der();
  unsigned char digest[32];
  unsigned int size = 0;
  EVP_Digest(spki.data(), spki.size(), digest, &size, EVP_sha256(), nullptr);
  const crypto::Kid kid = key.kid();
  EXPECT_TRUE(std::equal(kid.begin(), kid.end(), digest));
}

TEST(PublicKeys, ReadFromPemAsTheSignerWritesIt) {
  const SigningKey key = SigningKey::generate(Algorithm::ed25519);
  const auto read = crypto::PublicKey::from_pem(key.public_pem());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->kid(), key.kid());
  EXPECT_FALSE(
      crypto::PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
  EXPECT_FALSE(crypto::PublicKey::from_pem(key.private_pem()));
}

TEST(SigningKeys, RoundTripThroughPrivatePem) {
  const SigningKey key = SigningKey::generate(Algorithm::es256);
  const auto again = SigningKey::from_private_pem(key.private_pem());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kid(), key.kid());
  EXPECT_FALSE(SigningKey::from_private_pem("not a key"));
}

TEST(Signatures, Es256IsRawRAndSAndFailsWhenOneBitFlips) {
  const SigningKey key = SigningKey::generate(Algorithm::es256);
  const Bytes message = {1, 2, 3};
  Bytes signature = key.sign(message);
  ASSERT_EQ(signature.size(), 64u);
  const ByteView parts[] = {message};
  EXPECT_TRUE(key.public_key().verify_signature(parts, signature));
  signature[10] ^= 0x01;
  EXPECT_FALSE(key.public_key().verify_signature(parts, signature));
  EXPECT_FALSE(key.public_key().verify_signature(parts, key.sign_der(message)));
}

TEST(Signatures, VerifyOverMessagesSplitIntoParts) {
  for (const Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
    const SigningKey key = SigningKey::generate(alg);
    const Bytes whole = {1, 2, 3, 4, 5, 6, 7};
    const Bytes signature = key.sign(whole);
    const Bytes a = {1, 2}, b = {3, 4, 5}, c = {6, 7};
    const ByteView parts[] = {a, b, c};
    EXPECT_TRUE(key.public_key().verify_signature(parts, signature));
  }
}

TEST(PinnedKeys, HoldOneOrTwoDistinctKeys) {
  const auto a = SigningKey::generate(Algorithm::es256).public_key();
  const auto b = SigningKey::generate(Algorithm::ed25519).public_key();
  const auto c = SigningKey::generate(Algorithm::es256).public_key();
  EXPECT_FALSE(crypto::PinnedKeys::from_keys({}));
  EXPECT_TRUE(crypto::PinnedKeys::from_keys({a}));
  EXPECT_TRUE(crypto::PinnedKeys::from_keys({a, b}));
  EXPECT_FALSE(crypto::PinnedKeys::from_keys({a, a}));
  EXPECT_FALSE(crypto::PinnedKeys::from_keys({a, b, c}));
  EXPECT_NE(crypto::PinnedKeys::from_keys({a, b})->find(b.kid()), nullptr);
  EXPECT_EQ(crypto::PinnedKeys::from_keys({a})->find(b.kid()), nullptr);
}

TEST(SignerCbor, EncodesTheRfc8949Examples) {
  EXPECT_EQ(Cbor::integer(0).encode(), hex("00"));
  EXPECT_EQ(Cbor::integer(23).encode(), hex("17"));
  EXPECT_EQ(Cbor::integer(24).encode(), hex("1818"));
  EXPECT_EQ(Cbor::integer(1000000).encode(), hex("1a000f4240"));
  EXPECT_EQ(Cbor::integer(-1).encode(), hex("20"));
  EXPECT_EQ(Cbor::integer(-1000).encode(), hex("3903e7"));
  EXPECT_EQ(Cbor::negative(UINT64_MAX).encode(), hex("3bffffffffffffffff"));
  EXPECT_EQ(Cbor::bytes({}).encode(), hex("40"));
  EXPECT_EQ(Cbor::text("a").encode(), hex("6161"));
  EXPECT_EQ(Cbor::text("水").encode(), hex("63e6b0b4"));
  EXPECT_EQ(
      Cbor::array({Cbor::integer(1), Cbor::array({Cbor::integer(2), Cbor::integer(3)})}).encode(),
      hex("8201820203"));
  EXPECT_EQ(Cbor::map({{Cbor::integer(1), Cbor::integer(2)}}).encode(), hex("a10102"));
  EXPECT_EQ(Cbor::float64(1.1).encode(), hex("fb3ff199999999999a"));
  EXPECT_EQ(Cbor::tag(18, Cbor::null()).encode(), hex("d2f6"));
  EXPECT_EQ(Cbor::array({Cbor::integer(1)}).with_indefinite_length().encode(), hex("9f01ff"));
}

TEST(SignerCbor, WhatItWritesTheStrictReaderReadsBack) {
  Cbor map = Cbor::map();
  map.set(-65537, Cbor::text("見本")).set("k", Cbor::bytes(Bytes(300, 7)));
  const Bytes encoded = map.encode();
  const auto item = crypto::cbor::decode(encoded);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->find(-65537)->as_text(), "見本");
  EXPECT_EQ(item->find("k")->content.size(), 300u);
}

TEST(SignerBase45, EncodesTheRfcExamples) {
  const auto bytes = [](std::string_view s) { return Bytes(s.begin(), s.end()); };
  EXPECT_EQ(base45_encode(bytes("AB")), "BB8");
  EXPECT_EQ(base45_encode(bytes("Hello!!")), "%69 VD92EX0");
  EXPECT_EQ(base45_encode(bytes("ietf!")), "QED8WEX0");
}

TEST(SignerLists, TimestampsAreRfc3339Utc) {
  EXPECT_EQ(rfc3339_utc(1795132800), "2026-11-20T00:00:00Z");
  EXPECT_EQ(base64url(Bytes{0xfb, 0xff}), "-_8");
}

}  // namespace
}  // namespace kakunin::signer
