// The signer makes every QR, key and list the other tests use, so its encodings
// are checked against the RFCs' own examples and against the spec's layouts here,
// without going through the verifier.
#include "base45.h"
#include "cbor_reader.h"
#include "zlib_inflate.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>

#include <kakunin/signer/signer.h>

#include <algorithm>
#include <stdexcept>

namespace kakunin::signer {
namespace {

namespace cbor = crypto::cbor;

Bytes hex(std::string_view text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::vector<std::string> text_keys(const cbor::Item& map) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < map.map_size(); ++i) keys.emplace_back(*map.map_key(i).as_text());
  return keys;
}

std::vector<std::int64_t> int_keys(const cbor::Item& map) {
  std::vector<std::int64_t> keys;
  for (std::size_t i = 0; i < map.map_size(); ++i) keys.push_back(*map.map_key(i).as_int64());
  return keys;
}

// A decoded COSE_Sign1 (the bytes stay owned by the caller).
struct Sign1View {
  cbor::Item top;
  const cbor::Item& array() const { return top.children.at(0); }
  ByteView protected_bytes() const { return array().children.at(0).content; }
  ByteView payload() const { return array().children.at(2).content; }
  ByteView signature() const { return array().children.at(3).content; }
};

Sign1View open_sign1(const Bytes& cose) {
  auto top = cbor::decode(cose);
  EXPECT_TRUE(top);
  EXPECT_EQ(top->type, cbor::Type::tag);
  EXPECT_EQ(top->value, 18u);
  EXPECT_EQ(top->children.at(0).children.size(), 4u);
  return {*top};
}

bool signed_by(const Sign1View& sign1, const SigningKey& key) {
  const Bytes tbs = sig_structure(sign1.protected_bytes(), sign1.payload());
  const ByteView parts[] = {tbs};
  return key.public_key().verify_signature(parts, sign1.signature());
}

// ------------------------------------------------------------------- CBOR --

TEST(SignerCborEncoding, WritesRfc8949IntegersInTheShortestHead) {
  EXPECT_EQ(Cbor::integer(10).encode(), hex("0a"));
  EXPECT_EQ(Cbor::integer(25).encode(), hex("1819"));
  EXPECT_EQ(Cbor::integer(100).encode(), hex("1864"));
  EXPECT_EQ(Cbor::integer(1000).encode(), hex("1903e8"));
  EXPECT_EQ(Cbor::integer(1000000000000).encode(), hex("1b000000e8d4a51000"));
  EXPECT_EQ(Cbor::uint(UINT64_MAX).encode(), hex("1bffffffffffffffff"));
  EXPECT_EQ(Cbor::integer(-10).encode(), hex("29"));
  EXPECT_EQ(Cbor::integer(-100).encode(), hex("3863"));
  EXPECT_EQ(Cbor::integer(INT64_MIN).encode(), hex("3b7fffffffffffffff"));
  // Each head size at both edges.
  EXPECT_EQ(Cbor::integer(255).encode(), hex("18ff"));
  EXPECT_EQ(Cbor::integer(256).encode(), hex("190100"));
  EXPECT_EQ(Cbor::integer(65535).encode(), hex("19ffff"));
  EXPECT_EQ(Cbor::integer(65536).encode(), hex("1a00010000"));
  EXPECT_EQ(Cbor::integer(4294967295).encode(), hex("1affffffff"));
  EXPECT_EQ(Cbor::integer(4294967296).encode(), hex("1b0000000100000000"));
}

TEST(SignerCborEncoding, WritesRfc8949StringsContainersAndSimpleValues) {
  EXPECT_EQ(Cbor::text("").encode(), hex("60"));
  EXPECT_EQ(Cbor::text("IETF").encode(), hex("6449455446"));
  EXPECT_EQ(Cbor::text("\"\\").encode(), hex("62225c"));
  EXPECT_EQ(Cbor::bytes(hex("01020304")).encode(), hex("4401020304"));
  EXPECT_EQ(Cbor::text(std::string(24, 'a')).encode().at(0), 0x78);
  EXPECT_EQ(Cbor::array().encode(), hex("80"));
  EXPECT_EQ(Cbor::map().encode(), hex("a0"));
  Cbor numbers = Cbor::array();
  for (int i = 1; i <= 25; ++i) numbers.push(Cbor::integer(i));
  EXPECT_EQ(numbers.encode(), hex("98190102030405060708090a0b0c0d0e0f101112131415161718181819"));
  EXPECT_EQ(Cbor::map({{Cbor::text("a"), Cbor::integer(1)},
                       {Cbor::text("b"), Cbor::array({Cbor::integer(2), Cbor::integer(3)})}})
                .encode(),
            hex("a26161016162820203"));
  EXPECT_EQ(
      Cbor::array({Cbor::text("a"), Cbor::map({{Cbor::text("b"), Cbor::text("c")}})}).encode(),
      hex("826161a161626163"));
  EXPECT_EQ(Cbor::boolean(false).encode(), hex("f4"));
  EXPECT_EQ(Cbor::boolean(true).encode(), hex("f5"));
  EXPECT_EQ(Cbor::null().encode(), hex("f6"));
  EXPECT_EQ(Cbor::simple(16).encode(), hex("f0"));
  EXPECT_EQ(Cbor::simple(255).encode(), hex("f8ff"));
  EXPECT_EQ(Cbor::tag(1, Cbor::integer(1363896240)).encode(), hex("c11a514b67b0"));
  EXPECT_EQ(Cbor::float64(1.0e+300).encode(), hex("fb7e37e43c8800759c"));
  EXPECT_EQ(Cbor::float64(-4.1).encode(), hex("fbc010666666666666"));
}

TEST(SignerCborEncoding, WritesIndefiniteLengthsAsOneChunkAndABreak) {
  EXPECT_EQ(Cbor::array().with_indefinite_length().encode(), hex("9fff"));
  EXPECT_EQ(Cbor::map().with_indefinite_length().encode(), hex("bfff"));
  EXPECT_EQ(Cbor::map({{Cbor::text("a"), Cbor::integer(1)}}).with_indefinite_length().encode(),
            hex("bf616101ff"));
  EXPECT_EQ(Cbor::bytes(hex("0102")).with_indefinite_length().encode(), hex("5f420102ff"));
  EXPECT_EQ(Cbor::text("ab").with_indefinite_length().encode(), hex("7f626162ff"));
  // Only the marked item is indefinite; its contents stay definite.
  EXPECT_EQ(Cbor::array({Cbor::integer(1), Cbor::array({Cbor::integer(2), Cbor::integer(3)})})
                .with_indefinite_length()
                .encode(),
            hex("9f01820203ff"));
  // The strict reader refuses them all, which is what hostile tests rely on.
  EXPECT_FALSE(cbor::decode(Cbor::array().with_indefinite_length().encode()));
}

TEST(SignerCborEncoding, MapsKeepInsertionOrderAndCanHoldDuplicateKeys) {
  Cbor map = Cbor::map();
  map.set(4, Cbor::integer(0)).set(1, Cbor::integer(2));
  EXPECT_EQ(map.encode(), hex("a204000102"));
  map.set(4, Cbor::integer(5));  // replaces in place
  EXPECT_EQ(map.encode(), hex("a204050102"));
  map.append(Cbor::integer(1), Cbor::integer(3));  // a duplicate, on purpose
  EXPECT_EQ(map.encode(), hex("a3040501020103"));
  EXPECT_FALSE(cbor::decode(map.encode()));
  map.erase(1);
  EXPECT_EQ(map.encode(), hex("a10405"));
}

// ------------------------------------------------------------------- COSE --

TEST(SignerCose, SigStructureIsTheRfc9052ArrayWithEmptyExternalData) {
  EXPECT_EQ(sig_structure(hex("a10126"), bytes_of("hi")), hex("846a5369676e61747572653143a101264042"
                                                              "6869"));
}

TEST(SignerCose, AnEmptyProtectedMapIsStillSentAsItsEncodedBytes) {
  const Bytes cose = assemble_sign1({Cbor::map(), Cbor::map(), bytes_of("x")}, Bytes(64, 1));
  const Sign1View view = open_sign1(cose);
  EXPECT_EQ(Bytes(view.protected_bytes().begin(), view.protected_bytes().end()), hex("a0"));
  EXPECT_EQ(Bytes(cose.begin(), cose.begin() + 4), hex("d28441a0"));
}

TEST(SignerCose, Sign1CarriesAlgAndKidAndASignatureOverTheSigStructure) {
  for (const Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
    const SigningKey key = SigningKey::generate(alg);
    const Bytes cose =
        sign1({protected_header(alg, key.kid()), Cbor::map(), bytes_of("payload")}, key);
    const Sign1View view = open_sign1(cose);
    const Kid kid = key.kid();  // by value: one copy for begin and end
    Bytes expected_header = hex(alg == Algorithm::es256 ? "a201260448" : "a201270448");
    expected_header.insert(expected_header.end(), kid.begin(), kid.end());
    EXPECT_EQ(Bytes(view.protected_bytes().begin(), view.protected_bytes().end()), expected_header);
    EXPECT_EQ(view.array().children.at(1).map_size(), 0u);
    EXPECT_EQ(view.signature().size(), 64u);
    EXPECT_TRUE(signed_by(view, key));
    EXPECT_FALSE(signed_by(view, SigningKey::generate(alg)));
  }
}

TEST(SignerCose, AssemblesForgedSignaturesAndUntaggedMessagesForHostileTests) {
  const Sign1Parts parts{protected_header(Algorithm::es256, std::nullopt), Cbor::map(), {}};
  const Bytes untagged = assemble_sign1(parts, Bytes(3, 9), false);
  EXPECT_EQ(untagged, hex("8443a10126a04043090909"));
}

TEST(SignerKeys, Es256SignaturesAreRAndSEachPaddedToThirtyTwoBytes) {
  // About one signature in 128 has an r or s below 2^248; find one and check it
  // still comes out as 64 bytes that verify.
  const SigningKey key = SigningKey::generate(Algorithm::es256);
  const Bytes message = bytes_of("padding");
  const ByteView parts[] = {message};
  bool seen_short_value = false;
  for (int attempt = 0; attempt < 5000 && !seen_short_value; ++attempt) {
    const Bytes signature = key.sign(message);
    ASSERT_EQ(signature.size(), 64u);
    seen_short_value = signature[0] == 0 || signature[32] == 0;
    if (seen_short_value) {
      EXPECT_TRUE(key.public_key().verify_signature(parts, signature));
    }
  }
  EXPECT_TRUE(seen_short_value);
  EXPECT_EQ(key.sign_der(message).at(0), 0x30);  // a DER SEQUENCE, for hostile tests
  EXPECT_THROW((void)SigningKey::generate(Algorithm::ed25519).sign_der(message), std::logic_error);
}

TEST(SignerKeys, WritePkcs8AndReadBackEd25519) {
  const SigningKey key = SigningKey::generate(Algorithm::ed25519);
  const std::string pem = key.private_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  const auto again = SigningKey::from_private_pem(pem);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->algorithm(), Algorithm::ed25519);
  EXPECT_EQ(again->spki_der(), key.spki_der());
  // A key read back signs as the original: its signature verifies under the original.
  const Bytes message = bytes_of("m");
  const ByteView parts[] = {message};
  EXPECT_TRUE(key.public_key().verify_signature(parts, again->sign(message)));
}

TEST(SignerKeys, LoadsAP256PemWrittenWithExplicitCurveOrCompressedPoint) {
  // Other tools may write such PEMs; the signer re-encodes the key the one way the
  // kiosk accepts, so material it makes from them still verifies.
  const std::pair<const char*, const char*> encodings[] = {
      {OSSL_PKEY_PARAM_EC_ENCODING, "explicit"},
      {OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"}};
  for (const auto& [param, value] : encodings) {
    EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(pkey, param, value), 1);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    const auto key = SigningKey::from_private_pem(pem);
    ASSERT_TRUE(key) << value;
    EXPECT_EQ(key->spki_der().size(), 91u) << value;
    EXPECT_TRUE(crypto::PublicKey::from_spki_der(key->spki_der())) << value;
  }
}

// ---------------------------------------------------------------- QR text --

TEST(SignerQrText, IsJhc1ThenBase45OfMaximumLevelZlib) {
  const Bytes cose = assemble_sign1({Cbor::map(), Cbor::map(), Bytes(500, 'a')}, Bytes(64, 0));
  const Bytes compressed = zlib_compress(cose);
  EXPECT_EQ(compressed.at(0), 0x78);
  EXPECT_EQ(compressed.at(1), 0xda);  // FLEVEL 3: compressed with level 9
  const std::string text = to_qr_text(cose);
  ASSERT_EQ(text.rfind("JHC1:", 0), 0u);
  const std::string_view body = std::string_view(text).substr(5);
  EXPECT_EQ(body.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"),
            std::string_view::npos);
  const auto decoded = crypto::base45_decode(body);
  ASSERT_TRUE(decoded);
  std::string error;
  EXPECT_EQ(crypto::inflate_bounded(*decoded, crypto::kMaxInflatedSize, &error), cose) << error;
}

TEST(SignerQrText, Base45EncodesMoreRfc9285Examples) {
  EXPECT_EQ(base45_encode(bytes_of("base-45")), "UJCLQE7W581");
  EXPECT_EQ(base45_encode(Bytes{}), "");
  EXPECT_EQ(base45_encode(Bytes{0xff, 0xff}), "FGW");  // the largest group
  EXPECT_EQ(base45_encode(Bytes{0xff}), "U5");
}

// ---------------------------------------------------------- presentations --

Certificate full_certificate() {
  Certificate cert = sample_certificate("06139992");
  cert.limit_category = "ア";
  cert.category = crypto::IssueCategory::on_application;
  cert.reason = 2;
  return cert;
}

TEST(SignerPresentations, HicHasTheSpecKeysInSpecOrderWithDatesAsNumbers) {
  const Bytes full = hic_map(full_certificate()).encode();
  const auto hic = cbor::decode(full);
  ASSERT_TRUE(hic);
  EXPECT_EQ(text_keys(*hic),
            (std::vector<std::string>{"v", "ins", "sym", "num", "br", "nm", "nk", "dob", "sex",
                                      "rel", "acq", "isd", "vu", "ratio", "lim", "cat", "rsn"}));
  EXPECT_EQ(hic->find("v")->as_int64(), 1);
  EXPECT_EQ(hic->find("dob")->as_int64(), 19800401);
  EXPECT_EQ(hic->find("vu")->as_int64(), 20270331);
  EXPECT_EQ(hic->find("cat")->as_int64(), 2);
  EXPECT_EQ(hic->find("nm")->as_text(), "見本 太郎");

  Certificate bare = sample_certificate("138057");
  bare.symbol.reset();
  bare.name_kana.reset();
  bare.acquired.reset();
  bare.ratio_tenths.reset();
  const Bytes minimal = hic_map(bare).encode();
  EXPECT_EQ(text_keys(*cbor::decode(minimal)),
            (std::vector<std::string>{"v", "ins", "num", "br", "nm", "dob", "sex", "rel", "isd",
                                      "vu", "cat"}));
}

TEST(SignerPresentations, IssuerSignedPresentationHasItsFiveClaimsAndLivesFiveMinutes) {
  const SigningKey key = SigningKey::generate(Algorithm::ed25519);
  IssuerPresentation p{full_certificate(), 1795132800, 300, random_cti()};
  const Bytes cose = make_issuer_presentation(p, key);
  const Sign1View view = open_sign1(cose);
  EXPECT_TRUE(signed_by(view, key));
  const auto claims = cbor::decode(view.payload());
  ASSERT_TRUE(claims);
  EXPECT_EQ(int_keys(*claims), (std::vector<std::int64_t>{1, 6, 4, 7, -65537}));
  EXPECT_EQ(claims->find(1)->as_text(), "06139992");
  EXPECT_EQ(*claims->find(4)->as_int64() - *claims->find(6)->as_int64(), 300);
  const ByteView cti = *claims->find(7)->as_bytes();
  EXPECT_TRUE(std::equal(cti.begin(), cti.end(), p.cti.begin(), p.cti.end()));
}

TEST(SignerPresentations, CredentialBindsTheHolderKeyAsCoseEc2Coordinates) {
  const SigningKey insurer = SigningKey::generate(Algorithm::es256);
  const SigningKey holder = SigningKey::generate(Algorithm::es256);
  const Credential credential{full_certificate(), 1000,         1000,
                              1000 + 3456000,     random_cti(), holder.public_key()};
  const Bytes cose = make_credential(credential, insurer);
  const Sign1View view = open_sign1(cose);
  EXPECT_TRUE(signed_by(view, insurer));
  const auto claims = cbor::decode(view.payload());
  ASSERT_TRUE(claims);
  EXPECT_EQ(int_keys(*claims), (std::vector<std::int64_t>{1, 6, 5, 4, 7, 8, -65537}));
  const cbor::Item* cose_key = claims->find(8)->find(1);
  ASSERT_NE(cose_key, nullptr);
  EXPECT_EQ(int_keys(*cose_key), (std::vector<std::int64_t>{1, -1, -2, -3}));
  EXPECT_EQ(cose_key->find(1)->as_int64(), 2);   // EC2
  EXPECT_EQ(cose_key->find(-1)->as_int64(), 1);  // P-256
  // x and y rebuild the holder's very key.
  Bytes spki = hex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");
  for (const std::int64_t label : {-2, -3}) {
    const ByteView coordinate = *cose_key->find(label)->as_bytes();
    ASSERT_EQ(coordinate.size(), 32u);
    spki.insert(spki.end(), coordinate.begin(), coordinate.end());
  }
  EXPECT_EQ(spki, holder.spki_der());
  EXPECT_THROW((void)cose_ec2_key(SigningKey::generate(Algorithm::ed25519).public_key()),
               std::invalid_argument);
}

TEST(SignerPresentations, HolderPresentationNamesOnlyEs256AndWrapsTheCredential) {
  const SigningKey holder = SigningKey::generate(Algorithm::es256);
  const Bytes credential = hex("d28443a10126a0406140");  // any bytes: carried as they are
  const Bytes cose = make_holder_presentation(credential, 1795132800, holder);
  const Sign1View view = open_sign1(cose);
  EXPECT_EQ(Bytes(view.protected_bytes().begin(), view.protected_bytes().end()), hex("a10126"));
  EXPECT_TRUE(signed_by(view, holder));
  const auto claims = cbor::decode(view.payload());
  ASSERT_TRUE(claims);
  EXPECT_EQ(int_keys(*claims), (std::vector<std::int64_t>{6, -65538}));
  const ByteView carried = *claims->find(-65538)->as_bytes();
  EXPECT_TRUE(std::equal(carried.begin(), carried.end(), credential.begin(), credential.end()));
  EXPECT_THROW(
      (void)make_holder_presentation(credential, 0, SigningKey::generate(Algorithm::ed25519)),
      std::invalid_argument);
}

// ------------------------------------------------------------------ lists --

TrustListSpec one_insurer_spec(const SigningKey& insurer_key) {
  TrustListSpec spec;
  spec.header = {7, 1795132800, 1795737600, false};
  spec.issuers.push_back({"06139992",
                          "サンプル健康保険組合",
                          {{insurer_key.spki_der(), insurer_key.algorithm(), 1767225600, 1830297599,
                            std::nullopt, std::nullopt}}});
  return spec;
}

TEST(SignerLists, TrustListJsonHasTheSpecLayoutInAFixedOrder) {
  const SigningKey insurer = SigningKey::generate(Algorithm::ed25519);
  const auto json = nlohmann::ordered_json::parse(trust_list_json(one_insurer_spec(insurer)));
  std::vector<std::string> top;
  for (const auto& [name, value] : json.items()) top.push_back(name);
  EXPECT_EQ(top, (std::vector<std::string>{"format", "sequence", "issued_at", "next_update", "test",
                                           "issuers"}));
  EXPECT_EQ(json["format"], "jhc1-trustlist");
  EXPECT_EQ(json["sequence"], 7);
  EXPECT_EQ(json["issued_at"], "2026-11-20T00:00:00Z");
  EXPECT_EQ(json["test"], false);
  const auto& key = json["issuers"][0]["keys"][0];
  std::vector<std::string> key_members;
  for (const auto& [name, value] : key.items()) key_members.push_back(name);
  EXPECT_EQ(key_members,
            (std::vector<std::string>{"kid", "alg", "spki", "not_before", "not_after"}));
  EXPECT_EQ(key["kid"], base64url(insurer.kid()));
  EXPECT_EQ(key["alg"], "EdDSA");
  EXPECT_EQ(key["spki"], base64url(insurer.spki_der()));
  EXPECT_EQ(key["not_before"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(key["not_after"], "2027-12-31T23:59:59Z");
  EXPECT_EQ(json["issuers"][0]["name"], "サンプル健康保険組合");
}

TEST(SignerLists, TrustListOverridesReplaceTheComputedKidAndAlg) {
  const SigningKey insurer = SigningKey::generate(Algorithm::es256);
  TrustListSpec spec = one_insurer_spec(insurer);
  spec.issuers[0].keys[0].kid_override = "AAAAAAAAAAA";
  spec.issuers[0].keys[0].alg_override = "ES384";
  const auto json = nlohmann::json::parse(trust_list_json(spec));
  EXPECT_EQ(json["issuers"][0]["keys"][0]["kid"], "AAAAAAAAAAA");
  EXPECT_EQ(json["issuers"][0]["keys"][0]["alg"], "ES384");
}

TEST(SignerLists, TrustListIsSignedByTheListKeyNamingItsKid) {
  const SigningKey list_key = SigningKey::generate(Algorithm::es256);
  const TrustListSpec spec = one_insurer_spec(SigningKey::generate(Algorithm::es256));
  const Bytes cose = make_trust_list(spec, list_key);
  const Sign1View view = open_sign1(cose);
  EXPECT_TRUE(signed_by(view, list_key));
  const auto header = cbor::decode(view.protected_bytes());
  ASSERT_TRUE(header);
  const ByteView kid = *header->find(4)->as_bytes();
  const Kid expected = list_key.kid();
  EXPECT_TRUE(std::equal(kid.begin(), kid.end(), expected.begin(), expected.end()));
  EXPECT_EQ(std::string(view.payload().begin(), view.payload().end()), trust_list_json(spec));
}

TEST(SignerLists, RevocationListIdsAreSortedAndDeduplicated) {
  const SigningKey list_key = SigningKey::generate(Algorithm::ed25519);
  Cti low{}, high{};
  low[15] = 1;
  high[0] = 0x80;
  RevocationSpec spec{{3, 1795132800, 1795219200, true}, {high, low, high}};
  const Bytes cose = make_revocation_list(spec, list_key);
  const Sign1View view = open_sign1(cose);
  EXPECT_TRUE(signed_by(view, list_key));
  const auto payload = cbor::decode(view.payload());
  ASSERT_TRUE(payload);
  EXPECT_EQ(text_keys(*payload), (std::vector<std::string>{"format", "sequence", "issued_at",
                                                           "next_update", "test", "ids"}));
  EXPECT_EQ(payload->find("format")->as_text(), "jhc1-revocations");
  EXPECT_EQ(payload->find("sequence")->as_int64(), 3);
  EXPECT_EQ(payload->find("test")->as_bool(), true);
  const ByteView ids = *payload->find("ids")->as_bytes();
  Bytes expected(low.begin(), low.end());
  expected.insert(expected.end(), high.begin(), high.end());
  EXPECT_EQ(Bytes(ids.begin(), ids.end()), expected);
  // The bare payload keeps the order given, so tests can make an unsorted list.
  const Bytes unsorted = revocation_payload(spec.header, {high, low}).encode();
  const auto unsorted_map = cbor::decode(unsorted);
  ASSERT_TRUE(unsorted_map);
  EXPECT_EQ(unsorted_map->find("ids")->content.front(), 0x80);
}

TEST(SignerLists, TimestampsAreRfc3339WithFourDigitYearsOnly) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(1835440496), "2028-02-29T12:34:56Z");
  EXPECT_EQ(rfc3339_utc(-2203891200), "1900-03-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(-62167219200), "0000-01-01T00:00:00Z");
  EXPECT_THROW((void)rfc3339_utc(253402300800), std::out_of_range);
  EXPECT_THROW((void)rfc3339_utc(INT64_MAX), std::out_of_range);
  EXPECT_THROW((void)rfc3339_utc(INT64_MIN), std::out_of_range);
}

TEST(SignerLists, Base64UrlIsUnpaddedRfc4648) {
  EXPECT_EQ(base64url(bytes_of("")), "");
  EXPECT_EQ(base64url(bytes_of("f")), "Zg");
  EXPECT_EQ(base64url(bytes_of("fo")), "Zm8");
  EXPECT_EQ(base64url(bytes_of("foo")), "Zm9v");
  EXPECT_EQ(base64url(bytes_of("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64url(Bytes{0xfb, 0xef, 0xff}), "--__");
}

TEST(SignerLists, RandomCtisDoNotRepeat) {
  const Cti a = random_cti(), b = random_cti();
  EXPECT_NE(a, b);
  EXPECT_NE(a, Cti{});
}

}  // namespace
}  // namespace kakunin::signer
