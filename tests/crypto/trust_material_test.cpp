// Loading trust lists and revocation lists: only lists signed by a pinned key, with
// consistent content, and never an older sequence than the one held.
#include "test_world.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kakunin::testing {
namespace {

using crypto::Bytes;
using crypto::HighWaterMark;
using crypto::ListError;
using signer::SigningKey;

Bytes payload_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

class TrustListLoading : public ::testing::Test {
 protected:
  ListError::Kind refusal(const Bytes& cose) const {
    const auto loaded = crypto::TrustList::load(cose, world.pins, HighWaterMark::nothing_seen());
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? ListError::Kind::unreadable : loaded.error()->kind;
  }
  Bytes signed_json(const std::string& json) const {
    return signer::sign_list_payload(payload_bytes(json), world.list_key);
  }
  TestWorld world;
};

TEST_F(TrustListLoading, LoadsAGenuineListWithItsInsurersAndKeys) {
  const auto list = world.trust_list();
  EXPECT_EQ(list->header().sequence, 7u);
  ASSERT_EQ(list->issuers().size(), 2u);
  const auto match = list->find_key(world.ed25519_insurer.key.kid());
  ASSERT_TRUE(match);
  EXPECT_EQ(match->issuer->insurer_number, "138057");
  EXPECT_EQ(match->key->algorithm, Algorithm::ed25519);
  EXPECT_EQ(list->find_issuer("06139992")->name, "見本健康保険組合");
  EXPECT_FALSE(list->find_key(world.holder_key.kid()));
}

TEST_F(TrustListLoading, RefusesAListSignedByAKeyThatIsNotPinned) {
  const SigningKey stranger = SigningKey::generate(Algorithm::es256);
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, stranger)),
            ListError::Kind::not_pinned);
}

TEST_F(TrustListLoading, RefusesAListWhoseSignatureWasTamperedWith) {
  Bytes cose = signer::make_trust_list(world.trust_spec, world.list_key);
  cose.back() ^= 1;
  EXPECT_EQ(refusal(cose), ListError::Kind::not_pinned);
}

TEST_F(TrustListLoading, RefusesAListEditedAfterSigning) {
  Bytes cose = signer::make_trust_list(world.trust_spec, world.list_key);
  const std::string from = "\"sequence\": 7";
  auto it = std::search(cose.begin(), cose.end(), from.begin(), from.end());
  ASSERT_NE(it, cose.end());
  *(it + static_cast<std::ptrdiff_t>(from.size() - 1)) = '9';
  EXPECT_EQ(refusal(cose), ListError::Kind::not_pinned);
}

TEST_F(TrustListLoading, RefusesAListedKidThatDoesNotMatchItsKey) {
  world.trust_spec.issuers[0].keys[0].kid_override = signer::base64url(world.holder_key.kid());
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesAnAlgorithmThatDoesNotMatchTheKeyType) {
  world.trust_spec.issuers[1].keys[0].alg_override = "ES256";
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, ReadsEd25519AsAnotherNameForEdDsa) {
  world.trust_spec.issuers[1].keys[0].alg_override = "Ed25519";
  EXPECT_TRUE(crypto::TrustList::load(signer::make_trust_list(world.trust_spec, world.list_key),
                                      world.pins, HighWaterMark::nothing_seen())
                  .ok());
}

TEST_F(TrustListLoading, RefusesAnUnknownAlgorithm) {
  world.trust_spec.issuers[0].keys[0].alg_override = "ES384";
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesAnInsurerNumberWithAWrongCheckDigit) {
  world.trust_spec.issuers[0].insurer_number = "06139993";
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesTheSameKeyListedTwice) {
  world.trust_spec.issuers[1].keys.push_back(world.trust_spec.issuers[0].keys[0]);
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesTheSameInsurerListedTwice) {
  world.trust_spec.issuers.push_back({"06139992", "別名", {}});
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesAKeyPeriodThatEndsBeforeItStarts) {
  auto& key = world.trust_spec.issuers[0].keys[0];
  std::swap(key.not_before, key.not_after);
  EXPECT_EQ(refusal(signer::make_trust_list(world.trust_spec, world.list_key)),
            ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesDuplicateJsonKeys) {
  std::string json = signer::trust_list_json(world.trust_spec);
  json.insert(1, "\"sequence\": 99,");
  EXPECT_NE(refusal(signed_json(json)), ListError::Kind::not_pinned);
}

TEST_F(TrustListLoading, RefusesBrokenJson) {
  const std::string json = signer::trust_list_json(world.trust_spec);
  EXPECT_EQ(refusal(signed_json(json.substr(0, json.size() - 2))), ListError::Kind::unreadable);
  EXPECT_EQ(refusal(signed_json("")), ListError::Kind::unreadable);
}

TEST_F(TrustListLoading, RefusesJsonNestedDeeperThanSixteen) {
  std::string json = signer::trust_list_json(world.trust_spec);
  json.insert(1, "\"x\": " + std::string(17, '[') + std::string(17, ']') + ",");
  EXPECT_EQ(refusal(signed_json(json)), ListError::Kind::unreadable);
}

TEST_F(TrustListLoading, RefusesAnotherFormatOrMissingFields) {
  std::string json = signer::trust_list_json(world.trust_spec);
  const std::string other =
      std::string(json).replace(json.find("jhc1-trustlist"), 14, "jhc1-revocation");
  EXPECT_EQ(refusal(signed_json(other)), ListError::Kind::invalid_content);
  const std::string no_test = std::string(json).replace(json.find("\"test\""), 6, "\"tset\"");
  EXPECT_EQ(refusal(signed_json(no_test)), ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesATimestampThatIsNotRfc3339) {
  std::string json = signer::trust_list_json(world.trust_spec);
  const auto at = json.find("T", json.find("\"issued_at\": \"") + 14);
  json[at] = ' ';
  EXPECT_EQ(refusal(signed_json(json)), ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, RefusesASequenceThatIsNotAWholeNumber) {
  std::string json = signer::trust_list_json(world.trust_spec);
  json.replace(json.find("\"sequence\": 7"), 13, "\"sequence\": 7.5");
  EXPECT_EQ(refusal(signed_json(json)), ListError::Kind::invalid_content);
}

TEST_F(TrustListLoading, IgnoresUnknownMembers) {
  std::string json = signer::trust_list_json(world.trust_spec);
  json.insert(1, "\"publisher\": \"見本\",");
  EXPECT_TRUE(
      crypto::TrustList::load(signed_json(json), world.pins, HighWaterMark::nothing_seen()).ok());
}

TEST_F(TrustListLoading, AcceptsEitherOfTwoPinnedKeys) {
  const SigningKey next = SigningKey::generate(Algorithm::ed25519);
  const auto pins = crypto::PinnedKeys::from_keys({world.list_key.public_key(), next.public_key()});
  ASSERT_TRUE(pins);
  EXPECT_TRUE(crypto::TrustList::load(signer::make_trust_list(world.trust_spec, next), *pins,
                                      HighWaterMark::nothing_seen())
                  .ok());
  EXPECT_FALSE(crypto::TrustList::load(signer::make_trust_list(world.trust_spec, next), world.pins,
                                       HighWaterMark::nothing_seen())
                   .ok());
}

// ------------------------------------------------------------- revocations --

class RevocationListLoading : public ::testing::Test {
 protected:
  crypto::Loaded<crypto::RevocationList> load_payload(const signer::Cbor& payload) const {
    return crypto::RevocationList::load(signer::sign_list_payload(payload.encode(), world.list_key),
                                        world.pins, HighWaterMark::nothing_seen());
  }
  static crypto::Cti id(std::uint8_t first, std::uint8_t last = 0) {
    crypto::Cti cti{};
    cti.front() = first;
    cti.back() = last;
    return cti;
  }
  TestWorld world;
};

TEST_F(RevocationListLoading, FindsEveryListedIdAndNoNeighbour) {
  const std::vector<crypto::Cti> ids = {id(0x00, 0x01), id(0x10), id(0x20), id(0x7f, 0xff),
                                        id(0xff, 0xff)};
  world.revocation_spec.ids = ids;
  const auto list = world.revocations();
  EXPECT_EQ(list->size(), ids.size());
  for (const auto& listed : ids) EXPECT_TRUE(list->contains(listed));
  EXPECT_FALSE(list->contains(id(0x00, 0x00)));
  EXPECT_FALSE(list->contains(id(0x00, 0x02)));
  EXPECT_FALSE(list->contains(id(0x10, 0x01)));
  EXPECT_FALSE(list->contains(id(0xff, 0xfe)));
}

TEST_F(RevocationListLoading, AnEmptyListRevokesNothing) {
  world.revocation_spec.ids.clear();
  const auto list = world.revocations();
  EXPECT_EQ(list->size(), 0u);
  EXPECT_FALSE(list->contains(id(0)));
}

TEST_F(RevocationListLoading, RefusesIdsThatAreNotWhole16ByteIds) {
  signer::Cbor payload = signer::revocation_payload(world.revocation_spec.header, {id(1)});
  payload.set("ids", signer::Cbor::bytes(Bytes(17, 1)));
  EXPECT_EQ(load_payload(payload).error()->kind, ListError::Kind::invalid_content);
}

TEST_F(RevocationListLoading, RefusesUnsortedIds) {
  EXPECT_EQ(load_payload(signer::revocation_payload(world.revocation_spec.header, {id(2), id(1)}))
                .error()
                ->kind,
            ListError::Kind::invalid_content);
}

TEST_F(RevocationListLoading, RefusesDuplicatedIds) {
  EXPECT_EQ(load_payload(signer::revocation_payload(world.revocation_spec.header, {id(1), id(1)}))
                .error()
                ->kind,
            ListError::Kind::invalid_content);
}

TEST_F(RevocationListLoading, RefusesMissingOrMistypedFields) {
  signer::Cbor payload = signer::revocation_payload(world.revocation_spec.header, {});
  payload.erase("next_update");
  EXPECT_EQ(load_payload(payload).error()->kind, ListError::Kind::invalid_content);
  payload = signer::revocation_payload(world.revocation_spec.header, {});
  payload.set("test", signer::Cbor::integer(0));
  EXPECT_EQ(load_payload(payload).error()->kind, ListError::Kind::invalid_content);
  payload = signer::revocation_payload(world.revocation_spec.header, {});
  payload.set("format", signer::Cbor::text("jhc1-trustlist"));
  EXPECT_EQ(load_payload(payload).error()->kind, ListError::Kind::invalid_content);
}

TEST_F(RevocationListLoading, RefusesAListSignedByAnInsurerKey) {
  const auto cose = signer::make_revocation_list(world.revocation_spec, world.es256_insurer.key);
  EXPECT_EQ(
      crypto::RevocationList::load(cose, world.pins, HighWaterMark::nothing_seen()).error()->kind,
      ListError::Kind::not_pinned);
}

TEST_F(RevocationListLoading, RefusesAPayloadThatIsNotCbor) {
  const auto cose = signer::sign_list_payload(payload_bytes("{\"format\":1}"), world.list_key);
  EXPECT_EQ(
      crypto::RevocationList::load(cose, world.pins, HighWaterMark::nothing_seen()).error()->kind,
      ListError::Kind::unreadable);
}

}  // namespace
}  // namespace kakunin::testing
