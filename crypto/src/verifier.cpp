// The §10 verification order. Each step is a small function returning the verdict
// it refuses with, or nothing to go on.
#include "base45.h"
#include "presentation.h"
#include "zlib_inflate.h"

#include <limits>
#include <new>

namespace kakunin::crypto {

struct VerifyResultMaker {
  static VerifyResult refusal(Verdict verdict, std::string detail, std::optional<Profile> profile) {
    return VerifyResult(verdict, std::move(detail), profile);
  }
  static VerifyResult valid(VerifiedPresentation presentation) {
    return VerifyResult(std::move(presentation));
  }
};

namespace {

// `now` comes from the kiosk's clock or from `--now`: time arithmetic saturates
// instead of wrapping, so no `now` can turn a stale QR fresh or a dead list live.
UnixSeconds saturating_sub(UnixSeconds a, std::int64_t b) {
  UnixSeconds out;
  if (__builtin_sub_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<UnixSeconds>::min()
                 : std::numeric_limits<UnixSeconds>::max();
  }
  return out;
}

UnixSeconds saturating_add(UnixSeconds a, std::int64_t b) {
  UnixSeconds out;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<UnixSeconds>::max()
                 : std::numeric_limits<UnixSeconds>::min();
  }
  return out;
}

constexpr std::string_view kPrefix = "JHC1:";
// A version-40 QR holds at most 4,296 alphanumeric characters; longer text did not
// come from a QR and is not worth decoding.
constexpr std::size_t kMaxQrText = 4296;

using Step = std::optional<VerifyResult>;

VerifyResult refuse(Verdict verdict, std::string detail, std::optional<Profile> profile = {}) {
  return VerifyResultMaker::refusal(verdict, std::move(detail), profile);
}

std::optional<Bytes> decode_text(std::string_view qr_text, std::string* error) {
  if (qr_text.size() > kMaxQrText) {
    *error = "text longer than any QR code holds";
    return std::nullopt;
  }
  const auto compressed = base45_decode(qr_text.substr(kPrefix.size()));
  if (!compressed) {
    *error = "not valid Base45";
    return std::nullopt;
  }
  return inflate_bounded(*compressed, kMaxInflatedSize, error);
}

// Steps 5–8 for the insurer-signed object (§5.1 presentation, §5.2 credential).
Step check_insurer_signature(const ParsedPresentation& p, const TrustList& trust,
                             const TrustedIssuer** issuer_out) {
  const auto match = trust.find_key(*p.insurer_signed.kid);
  if (!match) return refuse(Verdict::unknown_key, "no trust-list key has this kid", p.profile);
  if (match->issuer->insurer_number != p.insurer) {
    return refuse(Verdict::wrong_insurer, "key is listed for another insurer than iss", p.profile);
  }
  const TrustedKey& key = *match->key;
  if (p.insurer_iat < key.not_before || p.insurer_iat > key.not_after) {
    return refuse(Verdict::key_out_of_period, "iat outside the key's validity period", p.profile);
  }
  if (p.insurer_signed.algorithm != key.algorithm) {
    return refuse(Verdict::bad_signature, "alg differs from the trust-list key's", p.profile);
  }
  if (!p.insurer_signed.signature_verifies(key.key)) {
    return refuse(Verdict::bad_signature, "insurer signature does not verify", p.profile);
  }
  *issuer_out = match->issuer;
  return std::nullopt;
}

Step check_holder_signature(const ParsedPresentation& p) {
  if (p.profile != Profile::holder_bound) return std::nullopt;
  // The cnf key is P-256: the only algorithm it can sign with is ES256.
  if (p.presentation.algorithm != Algorithm::es256) {
    return refuse(Verdict::bad_holder_signature, "holder presentation alg is not ES256", p.profile);
  }
  if (!p.presentation.signature_verifies(*p.holder_key)) {
    return refuse(Verdict::bad_holder_signature, "holder signature does not verify", p.profile);
  }
  return std::nullopt;
}

Step check_validity_window(const ParsedPresentation& p, UnixSeconds now, bool skip_freshness) {
  if (p.profile == Profile::holder_bound) {
    const auto within = [&](UnixSeconds t) { return *p.nbf <= t && t < p.exp; };
    if (!within(now))
      return refuse(Verdict::credential_expired, "now outside the credential's nbf/exp", p.profile);
    if (!within(p.presented_at)) {
      return refuse(Verdict::credential_expired, "presented outside the credential's nbf/exp",
                    p.profile);
    }
  } else if (!skip_freshness && now >= p.exp) {
    return refuse(Verdict::credential_expired, "presentation past its exp", p.profile);
  }
  return std::nullopt;
}

Step check_freshness(const ParsedPresentation& p, UnixSeconds now, const FreshnessPolicy& policy,
                     bool skip_freshness) {
  if (skip_freshness) return std::nullopt;
  if (p.presented_at < saturating_sub(now, policy.max_age_seconds())) {
    return refuse(Verdict::stale, "presentation older than the freshness window", p.profile);
  }
  if (p.presented_at > saturating_add(now, policy.max_ahead_seconds())) {
    return refuse(Verdict::clock_mismatch, "presentation ahead of the kiosk clock", p.profile);
  }
  return std::nullopt;
}

Step check_certificate_dates(const ParsedPresentation& p, UnixSeconds now) {
  const CalendarDate today = CalendarDate::japan_date_at(now);
  if (today > p.certificate.valid_until) {
    return refuse(Verdict::certificate_expired, "today (Japan time) is after vu", p.profile);
  }
  if (today < p.certificate.issued) {
    return refuse(Verdict::certificate_expired, "today (Japan time) is before isd", p.profile);
  }
  return std::nullopt;
}

}  // namespace

VerifyResult::VerifyResult(Verdict verdict, std::string detail, std::optional<Profile> profile)
    : verdict_(verdict == Verdict::valid ? Verdict::malformed : verdict),
      detail_(verdict == Verdict::valid ? "valid without a presentation (internal error)"
                                        : std::move(detail)),
      profile_(profile) {}

std::optional<FreshnessPolicy> FreshnessPolicy::from(const Settings& settings,
                                                     std::string* problem) {
  const auto refuse_with = [&](const char* reason) {
    if (problem) *problem = reason;
    return std::nullopt;
  };
  if (settings.max_age_seconds < 0 || settings.max_age_seconds > kMaxWindowSeconds) {
    return refuse_with("max_age_seconds must be within 0..3600");
  }
  if (settings.max_ahead_seconds < 0 || settings.max_ahead_seconds > kMaxWindowSeconds) {
    return refuse_with("max_ahead_seconds must be within 0..3600");
  }
  if (settings.list_grace_seconds < 0 || settings.list_grace_seconds > kMaxListGraceSeconds) {
    return refuse_with("list_grace_seconds must be within 0..366 days");
  }
  return FreshnessPolicy(settings);
}

bool list_within_grace(const ListHeader& header, UnixSeconds now, const FreshnessPolicy& policy) {
  return saturating_sub(now, policy.list_grace_seconds()) <= header.next_update;
}

Verifier::Verifier(std::shared_ptr<const TrustList> trust_list,
                   std::shared_ptr<const RevocationList> revocations, Mode mode,
                   FreshnessPolicy policy)
    : trust_list_(std::move(trust_list)),
      revocations_(std::move(revocations)),
      mode_(mode),
      policy_(policy) {}

VerifyResult Verifier::verify(std::string_view qr_text, UnixSeconds now) const {
  if (!qr_text.starts_with(kPrefix))
    return refuse(Verdict::not_jhc1, "text does not start with JHC1:");

  std::string error;
  const auto cose = decode_text(qr_text, &error);
  if (!cose) return refuse(Verdict::malformed, error);
  const auto parsed = parse_presentation(*cose, &error);
  if (!parsed) return refuse(Verdict::malformed, error);
  const ParsedPresentation& p = *parsed;

  if (!trust_list_ || !revocations_) {
    return refuse(Verdict::no_trust_list, "no trust list or revocation list held", p.profile);
  }
  if (!list_within_grace(trust_list_->header(), now, policy_) ||
      !list_within_grace(revocations_->header(), now, policy_)) {
    return refuse(Verdict::no_trust_list, "trust or revocation list past next_update + grace",
                  p.profile);
  }
  const bool test_lists = trust_list_->header().test || revocations_->header().test;
  if (mode_ == Mode::production && test_lists) {
    return refuse(Verdict::test_material, "test lists on a production kiosk", p.profile);
  }

  const bool skip_freshness = mode_ == Mode::test && policy_.skip_freshness_in_test_mode();
  const TrustedIssuer* issuer = nullptr;
  if (auto refused = check_insurer_signature(p, *trust_list_, &issuer)) return *refused;
  if (auto refused = check_holder_signature(p)) return *refused;
  if (auto refused = check_validity_window(p, now, skip_freshness)) return *refused;
  if (auto refused = check_freshness(p, now, policy_, skip_freshness)) return *refused;
  if (revocations_->contains(p.cti))
    return refuse(Verdict::revoked, "cti is on the revocation list", p.profile);
  if (auto refused = check_certificate_dates(p, now)) return *refused;

  return VerifyResultMaker::valid(
      VerifiedPresentation{p.profile, p.certificate, issuer->name, p.presented_at,
                           saturating_sub(now, p.presented_at), p.cti, test_lists, skip_freshness});
}

}  // namespace kakunin::crypto
