// The generic COSE_Sign1 layer against the COSE working group's own vectors:
// Sig_structure bytes, ES256 r||s and Ed25519 signatures made by someone else.
// JHC1 then refuses the same messages, because its rules are narrower than COSE's.
#include "cbor_reader.h"
#include "test_world.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace kakunin::testing {
namespace {

using crypto::Bytes;
using crypto::ByteView;

Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

Bytes from_base64url(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    buffer = (buffer << 6) | static_cast<std::uint32_t>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(buffer >> bits));
    }
  }
  return out;
}

struct Vector {
  nlohmann::json json;
  Bytes message;
  crypto::cbor::Item top;

  explicit Vector(const std::string& file) {
    std::ifstream in(std::string(KAKUNIN_TEST_DATA) + "/cose-wg/" + file);
    json = nlohmann::json::parse(in);
    message = from_hex(json["output"]["cbor"]);
    top = *crypto::cbor::decode(message);
  }
  const crypto::cbor::Item& array() const {
    return top.type == crypto::cbor::Type::tag ? top.children[0] : top;
  }
  ByteView protected_bytes() const { return array().children[0].content; }
  ByteView payload() const { return array().children[2].content; }
  ByteView signature() const { return array().children[3].content; }

  // The signer's key as SPKI: P-256 from x/y, Ed25519 from x_hex.
  crypto::PublicKey key() const {
    const auto& jwk = json["input"]["sign0"]["key"];
    Bytes spki;
    if (jwk["kty"] == "EC") {
      spki = from_hex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");
      const Bytes x = from_base64url(jwk["x"]), y = from_base64url(jwk["y"]);
      spki.insert(spki.end(), x.begin(), x.end());
      spki.insert(spki.end(), y.begin(), y.end());
    } else {
      spki = from_hex("302a300506032b6570032100" + jwk["x_hex"].get<std::string>());
    }
    return *crypto::PublicKey::from_spki_der(spki);
  }
  bool signature_verifies() const {
    const Bytes tbs = signer::sig_structure(protected_bytes(), payload());
    const ByteView parts[] = {tbs};
    return key().verify_signature(parts, signature());
  }
};

TEST(CoseWorkingGroupVectors, SigStructureMatchesTheirToBeSignedBytes) {
  for (const char* file : {"ecdsa-sig-01.json", "eddsa-sig-01.json"}) {
    const Vector v(file);
    EXPECT_EQ(signer::sig_structure(v.protected_bytes(), v.payload()),
              from_hex(v.json["intermediates"]["ToBeSign_hex"]))
        << file;
  }
}

TEST(CoseWorkingGroupVectors, TheirEs256AndEd25519SignaturesVerify) {
  EXPECT_TRUE(Vector("ecdsa-sig-01.json").signature_verifies());
  EXPECT_TRUE(Vector("eddsa-sig-01.json").signature_verifies());
}

TEST(CoseWorkingGroupVectors, TheirChangedSignatureFails) {
  EXPECT_FALSE(Vector("sign-fail-02.json").signature_verifies());
}

TEST(CoseWorkingGroupVectors, JhcRefusesGenericCoseMessagesAsMalformed) {
  // ctyp in the protected header and kid in the unprotected header are fine in
  // COSE and malformed in JHC1; a wrong tag is malformed in both.
  const TestWorld world;
  const auto verifier = world.verifier();
  for (const char* file : {"ecdsa-sig-01.json", "eddsa-sig-01.json", "sign-fail-01.json"}) {
    const Vector v(file);
    EXPECT_EQ(verifier.verify(signer::to_qr_text(v.message), kNow).verdict(),
              crypto::Verdict::malformed)
        << file;
  }
}

}  // namespace
}  // namespace kakunin::testing
