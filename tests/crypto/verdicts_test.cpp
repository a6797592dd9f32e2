// Every §10 verdict, for both presentation profiles and both insurer algorithms,
// with the boundaries a reception desk meets: the freshness window's edges, the
// Japan-time end of 有効期限, list grace, test material, key periods.
#include "test_world.h"

#include <gtest/gtest.h>

namespace kakunin::testing {
namespace {

using crypto::HighWaterMark;
using crypto::Mode;
using crypto::Profile;
using crypto::Verdict;
using signer::SigningKey;

constexpr std::int64_t kDay = 86400;

struct Flavour {
  Profile profile;
  Algorithm algorithm;
};

std::string flavour_name(const ::testing::TestParamInfo<Flavour>& info) {
  return std::string(info.param.profile == Profile::issuer_signed ? "Issuer" : "Holder") +
         (info.param.algorithm == Algorithm::es256 ? "ES256" : "Ed25519");
}

// What one QR is made of; each test changes one thing.
struct QrRecipe {
  crypto::Certificate certificate;
  const SigningKey* insurer_key;
  const SigningKey* holder_key;
  UnixSeconds presented_at = kNow;
  UnixSeconds credential_nbf = kNow - kDay;  // §5.2 credential: iat = nbf
  UnixSeconds credential_exp = kNow + 30 * kDay;
  crypto::Cti cti = signer::random_cti();
  bool flip_insurer_signature = false;
};

class EveryFlavour : public ::testing::TestWithParam<Flavour> {
 protected:
  Profile profile() const { return GetParam().profile; }
  Algorithm algorithm() const { return GetParam().algorithm; }
  const Insurer& insurer() const { return world.insurer(algorithm()); }
  const Insurer& other_insurer() const {
    return world.insurer(algorithm() == Algorithm::es256 ? Algorithm::ed25519 : Algorithm::es256);
  }

  QrRecipe recipe() const {
    return {world.member_of(insurer()), &insurer().key, &world.holder_key};
  }

  static crypto::Bytes with_flipped_signature(crypto::Bytes cose) {
    cose.back() ^= 0x01;  // the signature is the last bstr
    return cose;
  }

  std::string make(const QrRecipe& r) const {
    if (profile() == Profile::issuer_signed) {
      auto cose = signer::make_issuer_presentation({r.certificate, r.presented_at, 300, r.cti},
                                                   *r.insurer_key);
      if (r.flip_insurer_signature) cose = with_flipped_signature(std::move(cose));
      return signer::to_qr_text(cose);
    }
    const signer::Credential credential{r.certificate,
                                        r.credential_nbf,
                                        r.credential_nbf,
                                        r.credential_exp,
                                        r.cti,
                                        world.holder_key.public_key()};
    auto cred = signer::make_credential(credential, *r.insurer_key);
    if (r.flip_insurer_signature) cred = with_flipped_signature(std::move(cred));
    return signer::to_qr_text(
        signer::make_holder_presentation(cred, r.presented_at, *r.holder_key));
  }

  Verdict verdict_of(const std::string& qr, UnixSeconds now = kNow, Mode mode = Mode::production,
                     crypto::FreshnessPolicy policy = {}) const {
    return world.verifier(mode, policy).verify(qr, now).verdict();
  }

  TestWorld world;
};

INSTANTIATE_TEST_SUITE_P(BothProfilesBothAlgorithms, EveryFlavour,
                         ::testing::Values(Flavour{Profile::issuer_signed, Algorithm::es256},
                                           Flavour{Profile::issuer_signed, Algorithm::ed25519},
                                           Flavour{Profile::holder_bound, Algorithm::es256},
                                           Flavour{Profile::holder_bound, Algorithm::ed25519}),
                         flavour_name);

TEST_P(EveryFlavour, AcceptsAFreshGenuineQrAndShowsTheCertificate) {
  const auto result = world.verifier().verify(make(recipe()), kNow);
  ASSERT_EQ(result.verdict(), Verdict::valid) << result.detail();
  const auto* p = result.presentation();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->profile, profile());
  EXPECT_EQ(p->certificate.name, "見本 太郎");
  EXPECT_EQ(p->certificate.symbol, "見本記号");
  EXPECT_EQ(p->certificate.insurer_number, insurer().number);
  EXPECT_EQ(p->certificate.ratio_tenths, 3);
  EXPECT_EQ(p->insurer_name, insurer().name);  // from the trust list, never the QR
  EXPECT_EQ(p->age_seconds, 0);
  EXPECT_FALSE(p->test_material);
}

TEST_P(EveryFlavour, RefusesAQrWithoutTheJhc1Prefix) {
  EXPECT_EQ(verdict_of("https://example.com/qr"), Verdict::not_jhc1);
  EXPECT_EQ(verdict_of("jhc1:" + make(recipe()).substr(5)), Verdict::not_jhc1);
}

TEST_P(EveryFlavour, RefusesATruncatedQrAsMalformed) {
  const std::string qr = make(recipe());
  EXPECT_EQ(verdict_of(qr.substr(0, qr.size() - 3)), Verdict::malformed);
}

TEST_P(EveryFlavour, MalformedWinsOverMissingTrustMaterial) {
  const crypto::Verifier bare(nullptr, nullptr, Mode::production);
  EXPECT_EQ(bare.verify("JHC1:!!", kNow).verdict(), Verdict::malformed);
  EXPECT_EQ(bare.verify(make(recipe()), kNow).verdict(), Verdict::no_trust_list);
}

TEST_P(EveryFlavour, RefusesWhenEitherListIsMissing) {
  const crypto::Verifier no_revocations(world.trust_list(), nullptr, Mode::production);
  const crypto::Verifier no_trust(nullptr, world.revocations(), Mode::production);
  EXPECT_EQ(no_revocations.verify(make(recipe()), kNow).verdict(), Verdict::no_trust_list);
  EXPECT_EQ(no_trust.verify(make(recipe()), kNow).verdict(), Verdict::no_trust_list);
}

TEST_P(EveryFlavour, ListsStayUsableForTheGraceAfterNextUpdateAndNotOneSecondMore) {
  const UnixSeconds last_usable = world.trust_spec.header.next_update + 7 * kDay;
  QrRecipe at_edge = recipe();
  at_edge.presented_at = last_usable;
  at_edge.credential_exp = last_usable + kDay;
  EXPECT_EQ(verdict_of(make(at_edge), last_usable), Verdict::valid);
  QrRecipe past = at_edge;
  past.presented_at = last_usable + 1;
  EXPECT_EQ(verdict_of(make(past), last_usable + 1), Verdict::no_trust_list);
}

TEST_P(EveryFlavour, AListThatNeverExpiresStaysUsable) {
  world.revocation_spec.header.next_update = INT64_MAX;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::valid);
}

TEST_P(EveryFlavour, AnOutdatedRevocationListAloneStopsVerification) {
  world.revocation_spec.header.next_update = kNow - 8 * kDay;
  world.revocation_spec.header.issued_at = kNow - 9 * kDay;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::no_trust_list);
}

TEST_P(EveryFlavour, ProductionKioskRefusesTestListsAndTestModeAcceptsThem) {
  world.trust_spec.header.test = true;
  world.revocation_spec.header.test = true;
  const std::string qr = make(recipe());
  EXPECT_EQ(verdict_of(qr, kNow, Mode::production), Verdict::test_material);
  const auto result = world.verifier(Mode::test).verify(qr, kNow);
  ASSERT_EQ(result.verdict(), Verdict::valid);
  EXPECT_TRUE(result.presentation()->test_material);
}

TEST_P(EveryFlavour, ATestRevocationListAloneMakesEveryQrTestMaterialInProduction) {
  world.revocation_spec.header.test = true;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::test_material);
}

TEST_P(EveryFlavour, TestMaterialWinsOverAnUnknownKey) {
  world.trust_spec.header.test = true;
  const SigningKey stranger = SigningKey::generate(algorithm());
  QrRecipe r = recipe();
  r.insurer_key = &stranger;
  EXPECT_EQ(verdict_of(make(r)), Verdict::test_material);
}

TEST_P(EveryFlavour, RefusesAKeyThatIsNotInTheTrustList) {
  const SigningKey stranger = SigningKey::generate(algorithm());
  QrRecipe r = recipe();
  r.insurer_key = &stranger;
  EXPECT_EQ(verdict_of(make(r)), Verdict::unknown_key);
}

TEST_P(EveryFlavour, RefusesAnotherInsurersKey) {
  QrRecipe r = recipe();
  r.insurer_key = &other_insurer().key;
  EXPECT_EQ(verdict_of(make(r)), Verdict::wrong_insurer);
}

TEST_P(EveryFlavour, RefusesAKeyUsedOutsideItsPeriod) {
  // The key's period ends before the credential's (and presentation's) iat.
  world.trust_spec.issuers[algorithm() == Algorithm::es256 ? 0 : 1].keys[0].not_after =
      kNow - kDay - 1;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::key_out_of_period);
}

TEST_P(EveryFlavour, KeyPeriodIncludesBothEnds) {
  auto& key = world.trust_spec.issuers[algorithm() == Algorithm::es256 ? 0 : 1].keys[0];
  const UnixSeconds insurer_iat = profile() == Profile::issuer_signed ? kNow : kNow - kDay;
  key.not_before = insurer_iat;
  key.not_after = insurer_iat;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::valid);
  key.not_before = insurer_iat + 1;
  key.not_after = insurer_iat + 10;
  EXPECT_EQ(verdict_of(make(recipe())), Verdict::key_out_of_period);
}

TEST_P(EveryFlavour, RefusesAForgedInsurerSignature) {
  QrRecipe r = recipe();
  r.flip_insurer_signature = true;
  EXPECT_EQ(verdict_of(make(r)), Verdict::bad_signature);
}

TEST_P(EveryFlavour, ABadSignatureOnARevokedIdIsReportedAsBadSignature) {
  QrRecipe r = recipe();
  r.flip_insurer_signature = true;
  world.revocation_spec.ids.push_back(r.cti);
  EXPECT_EQ(verdict_of(make(r)), Verdict::bad_signature);
}

TEST_P(EveryFlavour, RefusesARevokedCertificate) {
  QrRecipe r = recipe();
  world.revocation_spec.ids.push_back(r.cti);
  EXPECT_EQ(verdict_of(make(r)), Verdict::revoked);
}

TEST_P(EveryFlavour, AStaleQrThatIsAlsoRevokedIsReportedStale) {
  QrRecipe r = recipe();
  r.presented_at = kNow - 31;
  world.revocation_spec.ids.push_back(r.cti);
  EXPECT_EQ(verdict_of(make(r)), Verdict::stale);
}

TEST_P(EveryFlavour, FreshnessWindowIncludesItsEdgesAndNotOneSecondMore) {
  QrRecipe r = recipe();
  r.presented_at = kNow - 30;
  EXPECT_EQ(verdict_of(make(r)), Verdict::valid);
  r.presented_at = kNow - 31;
  EXPECT_EQ(verdict_of(make(r)), Verdict::stale);
  r.presented_at = kNow + 10;
  EXPECT_EQ(verdict_of(make(r)), Verdict::valid);
  r.presented_at = kNow + 11;
  EXPECT_EQ(verdict_of(make(r)), Verdict::clock_mismatch);
}

TEST_P(EveryFlavour, RefusesAScreenshotReplayedAMinuteLater) {
  const std::string screenshot = make(recipe());
  EXPECT_EQ(verdict_of(screenshot, kNow), Verdict::valid);
  EXPECT_EQ(verdict_of(screenshot, kNow + 60), Verdict::stale);
}

TEST_P(EveryFlavour, ConfiguredFreshnessWindowIsHonoured) {
  const auto strict = *crypto::FreshnessPolicy::from({.max_age_seconds = 5});
  QrRecipe r = recipe();
  r.presented_at = kNow - 6;
  EXPECT_EQ(verdict_of(make(r), kNow, Mode::production, strict), Verdict::stale);
}

TEST_P(EveryFlavour, SheetSettingSkipsFreshnessOnlyInTestMode) {
  const auto sheets = *crypto::FreshnessPolicy::from({.skip_freshness_in_test_mode = true});
  world.trust_spec.header.test = true;
  world.revocation_spec.header.test = true;
  QrRecipe r = recipe();
  r.presented_at = kNow - 3600;  // a printed sheet, an hour old
  const auto result = world.verifier(Mode::test, sheets).verify(make(r), kNow);
  ASSERT_EQ(result.verdict(), Verdict::valid) << result.detail();
  EXPECT_TRUE(result.presentation()->freshness_skipped);
  EXPECT_EQ(verdict_of(make(r), kNow, Mode::test),
            profile() == Profile::issuer_signed ? Verdict::credential_expired : Verdict::stale);
}

TEST_P(EveryFlavour, SheetSettingIsIgnoredInProduction) {
  const auto sheets = *crypto::FreshnessPolicy::from({.skip_freshness_in_test_mode = true});
  QrRecipe r = recipe();
  r.presented_at = kNow - 31;
  EXPECT_EQ(verdict_of(make(r), kNow, Mode::production, sheets), Verdict::stale);
}

TEST_P(EveryFlavour, CertificateIsValidThroughTheLastDayInJapanTime) {
  QrRecipe r = recipe();
  r.certificate.valid_until = {2026, 11, 20};
  const UnixSeconds last_second_jst = kNow + 15L * 3600 - 1;  // 2026-11-20T23:59:59+09:00
  r.presented_at = last_second_jst;
  EXPECT_EQ(verdict_of(make(r), last_second_jst), Verdict::valid);
  r.presented_at = last_second_jst + 1;
  EXPECT_EQ(verdict_of(make(r), last_second_jst + 1), Verdict::certificate_expired);
}

TEST_P(EveryFlavour, RefusesACertificateIssuedInTheFuture) {
  QrRecipe r = recipe();
  r.certificate.issued = {2026, 11, 21};  // tomorrow in Japan
  EXPECT_EQ(verdict_of(make(r)), Verdict::certificate_expired);
  r.certificate.issued = {2026, 11, 20};  // today in Japan
  EXPECT_EQ(verdict_of(make(r)), Verdict::valid);
}

TEST_P(EveryFlavour, RefusedResultsNeverCarryTheCertificate) {
  QrRecipe r = recipe();
  r.flip_insurer_signature = true;
  const auto result = world.verifier().verify(make(r), kNow);
  EXPECT_EQ(result.verdict(), Verdict::bad_signature);
  EXPECT_EQ(result.presentation(), nullptr);
  EXPECT_EQ(result.detail().find("見本"), std::string::npos);
}

// --------------------------------------------------------------- profiles --

class IssuerSigned : public EveryFlavour {};
INSTANTIATE_TEST_SUITE_P(BothAlgorithms, IssuerSigned,
                         ::testing::Values(Flavour{Profile::issuer_signed, Algorithm::es256},
                                           Flavour{Profile::issuer_signed, Algorithm::ed25519}),
                         flavour_name);

TEST_P(IssuerSigned, PresentationExpiresAtItsExp) {
  // exp = iat + 300; at now == exp it has expired. A wide freshness window lets
  // exp alone decide.
  const auto wide = *crypto::FreshnessPolicy::from({.max_age_seconds = 1000});
  QrRecipe r = recipe();
  r.presented_at = kNow - 300;
  EXPECT_EQ(verdict_of(make(r), kNow, Mode::production, wide), Verdict::credential_expired);
  r.presented_at = kNow - 299;
  EXPECT_EQ(verdict_of(make(r), kNow, Mode::production, wide), Verdict::valid);
}

class HolderBound : public EveryFlavour {};
INSTANTIATE_TEST_SUITE_P(BothAlgorithms, HolderBound,
                         ::testing::Values(Flavour{Profile::holder_bound, Algorithm::es256},
                                           Flavour{Profile::holder_bound, Algorithm::ed25519}),
                         flavour_name);

TEST_P(HolderBound, RefusesAPresentationSignedByAnotherPhone) {
  const SigningKey other_phone = SigningKey::generate(Algorithm::es256);
  QrRecipe r = recipe();
  r.holder_key = &other_phone;
  EXPECT_EQ(verdict_of(make(r)), Verdict::bad_holder_signature);
}

TEST_P(HolderBound, CredentialIsUsableFromNbfUntilJustBeforeExp) {
  QrRecipe r = recipe();
  r.credential_nbf = kNow - kDay;
  r.credential_exp = kNow + 1;
  EXPECT_EQ(verdict_of(make(r)), Verdict::valid);
  r.credential_exp = kNow;
  EXPECT_EQ(verdict_of(make(r)), Verdict::credential_expired);
  r.credential_nbf = kNow + 1;
  r.credential_exp = kNow + kDay;
  world.trust_spec.issuers[algorithm() == Algorithm::es256 ? 0 : 1].keys[0].not_after =
      kNow + 365 * kDay;
  EXPECT_EQ(verdict_of(make(r)), Verdict::credential_expired);
}

TEST_P(HolderBound, ExpiredCredentialIsReportedBeforeStaleness) {
  QrRecipe r = recipe();
  r.credential_exp = kNow - 100;
  r.presented_at = kNow - 200;
  EXPECT_EQ(verdict_of(make(r)), Verdict::credential_expired);
}

// ---------------------------------------------------------- anti-rollback --

TEST(TrustListRollback, RefusesAnOlderListAndTakesAnEqualOrNewerOne) {
  TestWorld world;
  const auto bytes = signer::make_trust_list(world.trust_spec, world.list_key);
  const std::uint64_t held = world.trust_spec.header.sequence;
  EXPECT_EQ(crypto::TrustList::load(bytes, world.pins, HighWaterMark::at(held + 1)).error()->kind,
            crypto::ListError::Kind::rollback);
  EXPECT_TRUE(crypto::TrustList::load(bytes, world.pins, HighWaterMark::at(held)).ok());
  EXPECT_TRUE(crypto::TrustList::load(bytes, world.pins, HighWaterMark::at(held - 1)).ok());
}

TEST(RevocationListRollback, RefusesAnOlderList) {
  TestWorld world;
  const auto bytes = signer::make_revocation_list(world.revocation_spec, world.list_key);
  const std::uint64_t held = world.revocation_spec.header.sequence;
  EXPECT_EQ(
      crypto::RevocationList::load(bytes, world.pins, HighWaterMark::at(held + 1)).error()->kind,
      crypto::ListError::Kind::rollback);
  EXPECT_TRUE(crypto::RevocationList::load(bytes, world.pins, HighWaterMark::at(held)).ok());
}

}  // namespace
}  // namespace kakunin::testing
