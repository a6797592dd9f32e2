// The trust channel as an attacker who controls the CDN, the proxy or the USB stick
// would try it (issue 10): list files that announce more than they hold, keys that
// let anyone sign, and each refusal's memory cost, measured in a child process.
#include "cbor_reader.h"
#include "memory_probe.h"
#include "test_world.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <limits>
#include <type_traits>

namespace kakunin::testing {
namespace {

using crypto::Bytes;
using crypto::HighWaterMark;
using crypto::ListError;
using crypto::Verdict;
using signer::Cbor;

constexpr std::int64_t kMiB = std::int64_t{1024} * 1024;
// Peak resident growth allowed for refusing any list up to the sync's max_bytes.
constexpr std::int64_t kMemoryBound = 64 * kMiB;

Bytes hex(std::string_view text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// A CBOR head announcing `count` items of an array (0x9b: eight-byte count).
void append_array_head(Bytes& out, std::uint64_t count) {
  out.push_back(0x9b);
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(count >> shift));
}

// `levels` nested arrays, each announcing as many items as bytes remain after its
// head, then zero bytes (each a one-byte item): the shape that drove the old reader
// to reserve a tree for every announced item at every level.
Bytes announcing_arrays(std::size_t total_size, int levels) {
  Bytes out;
  out.reserve(total_size);
  for (int level = 0; level < levels; ++level) {
    append_array_head(out, total_size - out.size() - 9);
  }
  out.resize(total_size, 0x00);
  return out;
}

// The same, as the payload of a COSE_Sign1 a list loader reads first: the outer
// array, its first member (the protected bstr) never reached.
Bytes unsigned_list_bomb(std::size_t total_size) {
  Bytes out = {0xd2};  // tag 18
  Bytes body = announcing_arrays(total_size - 1, 16);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::string outcome(const crypto::ListError* error) {
  return error ? std::string("refused: ") + error->message : std::string("loaded");
}

TEST(ListBombs, RevocationFileAnnouncingEveryByteLeftIsRefusedInLittleMemory) {
  const TestWorld world;
  const Bytes bomb = unsigned_list_bomb(1 * kMiB);
  const ChildRun run = run_in_child([&] {
    return outcome(
        crypto::RevocationList::load(bomb, world.pins, HighWaterMark::nothing_seen()).error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_EQ(run.answer.rfind("refused: ", 0), 0u) << run.answer;
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

TEST(ListBombs, TrustListFileAnnouncingEveryByteLeftIsRefusedInLittleMemory) {
  const TestWorld world;
  const Bytes bomb = unsigned_list_bomb(1 * kMiB);
  const ChildRun run = run_in_child([&] {
    return outcome(
        crypto::TrustList::load(bomb, world.pins, HighWaterMark::nothing_seen()).error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_EQ(run.answer.rfind("refused: ", 0), 0u) << run.answer;
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

// Sixty MiB is under the sync's default max_bytes (64 MiB): what a hostile CDN may
// send. The file itself is made before the measurement starts.
TEST(ListBombs, SixtyMebibyteBombUnderMaxBytesCostsLessThanItsOwnSize) {
  const TestWorld world;
  Bytes bomb = unsigned_list_bomb(60 * kMiB);
  const ChildRun run = run_in_child([&] {
    return outcome(
        crypto::RevocationList::load(std::move(bomb), world.pins, HighWaterMark::nothing_seen())
            .error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_EQ(run.answer.rfind("refused: ", 0), 0u) << run.answer;
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

TEST(ListBombs, ViewOfAnUnsignedFileIsNotCopiedBeforeItsSignatureIsChecked) {
  const TestWorld world;
  const Bytes bomb = unsigned_list_bomb(60 * kMiB);
  const ChildRun run = run_in_child([&] {
    return outcome(crypto::RevocationList::load(crypto::ByteView(bomb), world.pins,
                                                HighWaterMark::nothing_seen())
                       .error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

// The attacker who holds a signing key the kiosk pins (a test kiosk, or a leaked
// key) still cannot make the reader allocate beyond what the bytes hold.
TEST(ListBombs, SignedRevocationPayloadWithAnnouncingArraysIsRefusedInLittleMemory) {
  const TestWorld world;
  Cbor payload = signer::revocation_payload(world.revocation_spec.header, {});
  Bytes encoded = payload.encode();
  // One more pair, "x": <bomb>, appended after the six known ones.
  encoded[0] = 0xa7;
  const Bytes key = Cbor::text("x").encode();
  encoded.insert(encoded.end(), key.begin(), key.end());
  const Bytes bomb = announcing_arrays(8 * kMiB, 16);
  encoded.insert(encoded.end(), bomb.begin(), bomb.end());
  Bytes list = signer::sign_list_payload(encoded, world.list_key);
  const ChildRun run = run_in_child([&] {
    return outcome(
        crypto::RevocationList::load(std::move(list), world.pins, HighWaterMark::nothing_seen())
            .error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_EQ(run.answer.rfind("refused: ", 0), 0u) << run.answer;
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

TEST(ListBombs, SignedTrustListWithMillionsOfJsonValuesIsRefusedInLittleMemory) {
  const TestWorld world;
  std::string json = signer::trust_list_json(world.trust_spec);
  // An unknown member holding 30 million tiny values: "x":[0,0,...,0].
  std::string filler = "\"x\":[0";
  filler.reserve(60 * kMiB);
  while (filler.size() < 60 * kMiB) filler += ",0";
  filler += "],";
  json.insert(1, filler);
  const Bytes payload(json.begin(), json.end());
  const Bytes list = signer::sign_list_payload(payload, world.list_key);
  json.clear();
  json.shrink_to_fit();
  filler.clear();
  filler.shrink_to_fit();
  const ChildRun run = run_in_child([&] {
    return outcome(
        crypto::TrustList::load(list, world.pins, HighWaterMark::nothing_seen()).error());
  });
  ASSERT_TRUE(run.exited) << "killed by signal " << run.term_signal;
  EXPECT_EQ(run.answer, "refused: more JSON values than a trust list holds");
  EXPECT_LT(run.peak_growth_bytes, kMemoryBound);
}

TEST(ListBombs, DecoderRefusesMoreItemsThanAnyJhc1ObjectHolds) {
  Bytes many = {0x9a, 0x00, 0x01, 0x00, 0x01};  // an array of 65,537 zeros
  many.resize(many.size() + 65537, 0x00);
  crypto::cbor::DecodeError error;
  EXPECT_FALSE(crypto::cbor::decode(many, &error));
  EXPECT_EQ(error.message, "CBOR: more items than a JHC1 object holds");
  Bytes enough = {0x9a, 0x00, 0x00, 0xff, 0xff};  // 65,535 zeros and the array: 65,536 items
  enough.resize(enough.size() + 65535, 0x00);
  EXPECT_TRUE(crypto::cbor::decode(enough, &error));
}

// ---------------------------------------------------------------- keys --

// RFC 8410 SubjectPublicKeyInfo of a raw 32-byte Ed25519 key.
Bytes ed25519_spki(const Bytes& raw) {
  Bytes spki = hex("302a300506032b6570032100");
  spki.insert(spki.end(), raw.begin(), raw.end());
  return spki;
}

// The eight points of small order, in canonical encoding (computed independently
// with the curve equation in Python; the same list libsodium blocks).
const std::vector<std::string>& small_order_points() {
  static const std::vector<std::string> points = {
      "0100000000000000000000000000000000000000000000000000000000000000",  // identity
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // order 2
      "0000000000000000000000000000000000000000000000000000000000000000",  // order 4
      "0000000000000000000000000000000000000000000000000000000000000080",  // order 4
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  };
  return points;
}

// Why the check matters: OpenSSL alone verifies the all-zero-scalar forgery
// (R = identity, S = 0) under the identity key, for any message.
TEST(SmallOrderKeys, OpenSslAloneAcceptsAForgeryUnderTheIdentityKey) {
  const Bytes identity = hex(small_order_points()[0]);
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, identity.data(), 32);
  ASSERT_NE(pkey, nullptr);
  Bytes forgery = identity;  // R: the identity point
  forgery.resize(64, 0);     // S = 0
  const std::string message = "any trust list, any QR";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey), 1);
  EXPECT_EQ(
      EVP_DigestVerify(ctx, forgery.data(), forgery.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()),
      1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
}

TEST(SmallOrderKeys, NoSmallOrderEd25519KeyIsEverAPublicKey) {
  for (const auto& point : small_order_points()) {
    EXPECT_FALSE(crypto::PublicKey::from_spki_der(ed25519_spki(hex(point)))) << point;
  }
}

TEST(SmallOrderKeys, NonCanonicalAndOffCurveEd25519KeysAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"y = p + 1 (the identity again)",
       "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
      {"y = p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
      {"y = 2^255 - 1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
      {"x = -0 (the identity with its sign bit)",
       "0100000000000000000000000000000000000000000000000000000000000080"},
      {"y = 2: no x on the curve",
       "0200000000000000000000000000000000000000000000000000000000000000"},
  };
  for (const auto& [what, point] : cases) {
    EXPECT_FALSE(crypto::PublicKey::from_spki_der(ed25519_spki(hex(point)))) << what;
  }
}

TEST(SmallOrderKeys, OrdinaryAndMixedOrderEd25519KeysAreAccepted) {
  // The base point, and the base point plus a point of order 8: not of small order,
  // so the spec's rule keeps them (no signature forgeable without the secret).
  EXPECT_TRUE(crypto::PublicKey::from_spki_der(
      ed25519_spki(hex("5866666666666666666666666666666666666666666666666666666666666666"))));
  EXPECT_TRUE(crypto::PublicKey::from_spki_der(
      ed25519_spki(hex("98519eadf35b995233b51b5cd23e9cc5a28b639b5a4af0ec903cb960d81b7819"))));
  for (int i = 0; i < 20; ++i) {
    const auto key = signer::SigningKey::generate(crypto::Algorithm::ed25519);
    EXPECT_TRUE(crypto::PublicKey::from_spki_der(key.spki_der()));
  }
}

TEST(SmallOrderKeys, TrustListNamingTheIdentityKeyIsRefusedWhole) {
  TestWorld world;
  signer::TrustListKey forged;
  forged.spki_der = ed25519_spki(hex(small_order_points()[0]));
  forged.algorithm = crypto::Algorithm::ed25519;
  forged.not_before = kNow - 86400;
  forged.not_after = kNow + 86400;
  world.trust_spec.issuers.push_back({"01130012", "偽の健保", {forged}});
  const Bytes list = signer::make_trust_list(world.trust_spec, world.list_key);
  const auto loaded = crypto::TrustList::load(list, world.pins, HighWaterMark::nothing_seen());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error()->kind, ListError::Kind::invalid_content);
  EXPECT_EQ(loaded.error()->message,
            "issuer 01130012: key: spki is not a P-256 or Ed25519 public key");
  EXPECT_EQ(loaded.value(), nullptr);
}

TEST(SmallOrderKeys, SmallOrderKeyIsNeverPinned) {
  // PEM of the identity key, as an installer might paste it into the configuration.
  const std::string pem =
      "-----BEGIN PUBLIC KEY-----\n"
      "MCowBQYDK2VwAyEAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
      "-----END PUBLIC KEY-----\n";
  EXPECT_FALSE(crypto::PublicKey::from_pem(pem));
}

// -------------------------------------------------------- misuse-proof API --

TEST(MisuseProofApi, NoCodeOutsideTheVerifierCanMakeAResult) {
  static_assert(!std::is_constructible_v<crypto::VerifyResult, Verdict, std::string>);
  static_assert(!std::is_constructible_v<crypto::VerifyResult, Verdict, std::string,
                                         std::optional<crypto::Profile>>);
  static_assert(!std::is_constructible_v<crypto::VerifyResult, crypto::VerifiedPresentation>);
  static_assert(!std::is_default_constructible_v<crypto::VerifyResult>);
  SUCCEED();
}

TEST(MisuseProofApi, AntiRollbackCannotBeLeftOutByDefault) {
  static_assert(!std::is_default_constructible_v<HighWaterMark>);
  static_assert(!std::is_invocable_v<decltype(static_cast<crypto::Loaded<crypto::TrustList> (*)(
                                                  crypto::ByteView, const crypto::PinnedKeys&,
                                                  HighWaterMark)>(&crypto::TrustList::load)),
                                     crypto::ByteView, const crypto::PinnedKeys&>);
  EXPECT_TRUE(HighWaterMark::at(std::uint64_t{7}).refuses(6));
  EXPECT_FALSE(HighWaterMark::at(std::uint64_t{7}).refuses(7));
  EXPECT_FALSE(HighWaterMark::nothing_seen().refuses(0));
}

TEST(MisuseProofApi, LoadedListHasNoErrorAndARefusedOneHasNoValue) {
  const TestWorld world;
  const auto good =
      crypto::TrustList::load(signer::make_trust_list(world.trust_spec, world.list_key), world.pins,
                              HighWaterMark::nothing_seen());
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.error(), nullptr);
  const auto bad = crypto::TrustList::load(Bytes{0x00}, world.pins, HighWaterMark::nothing_seen());
  ASSERT_FALSE(bad.ok());
  ASSERT_NE(bad.error(), nullptr);
  EXPECT_EQ(bad.value(), nullptr);
}

TEST(MisuseProofApi, FreshnessPolicyOutsideItsBoundsDoesNotExist) {
  std::string problem;
  crypto::FreshnessPolicy::Settings negative_age;
  negative_age.max_age_seconds = -1;
  EXPECT_FALSE(crypto::FreshnessPolicy::from(negative_age, &problem));
  EXPECT_EQ(problem, "max_age_seconds must be within 0..3600");
  crypto::FreshnessPolicy::Settings huge_grace;
  huge_grace.list_grace_seconds = std::numeric_limits<std::int64_t>::max();
  EXPECT_FALSE(crypto::FreshnessPolicy::from(huge_grace, &problem));
  crypto::FreshnessPolicy::Settings negative_ahead;
  negative_ahead.max_ahead_seconds = -5;
  EXPECT_FALSE(crypto::FreshnessPolicy::from(negative_ahead, &problem));
  EXPECT_TRUE(crypto::FreshnessPolicy::from({}));
}

TEST(MisuseProofApi, ExtremeClockNeverTurnsAQrValid) {
  const TestWorld world;
  const crypto::Verifier verifier = world.verifier();
  const std::string qr = world.issuer_qr(crypto::Algorithm::es256);
  ASSERT_EQ(verifier.verify(qr, kNow).verdict(), Verdict::valid);
  // Far past: the lists are not yet issued but usable; the QR is from the future.
  EXPECT_EQ(verifier.verify(qr, std::numeric_limits<std::int64_t>::min()).verdict(),
            Verdict::clock_mismatch);
  // Far future: the lists are long past next_update + grace.
  EXPECT_EQ(verifier.verify(qr, std::numeric_limits<std::int64_t>::max()).verdict(),
            Verdict::no_trust_list);
  EXPECT_FALSE(crypto::list_within_grace(world.trust_list()->header(),
                                         std::numeric_limits<std::int64_t>::max(),
                                         crypto::FreshnessPolicy()));
}

}  // namespace
}  // namespace kakunin::testing
