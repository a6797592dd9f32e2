// Kakunin JHC1 verification: the one public header of the crypto library.
//
// The QR format is ../shared/spec/jhc1.md (copied decisions in docs/verification.md).
// Use:
//   auto pins   = PinnedKeys::from_keys({*PublicKey::from_pem(pem)});  // config
//   auto trust  = TrustList::load(bytes, pins, HighWaterMark::at(highest_seen));
//   if (!trust.ok()) log(trust.error()->message);      // signature, pin, content, rollback
//   auto revoc  = RevocationList::load(bytes, pins, HighWaterMark::at(highest_seen_revoc));
//   auto policy = FreshnessPolicy::from(settings);     // nullopt: settings out of range
//   Verifier verifier(trust.value(), revoc.value(), Mode::production, *policy);
//   VerifyResult r = verifier.verify(qr_text, now);
//   if (const VerifiedPresentation* p = r.presentation()) show(p->certificate);
//
// Misuse is made hard on purpose (Tink's bar): a VerifyResult is made only by
// Verifier::verify, and it is `valid` exactly when it carries a presentation; a list
// is loaded only against an explicit HighWaterMark (anti-rollback cannot be left
// out by default); a FreshnessPolicy exists only within its bounds; results are
// [[nodiscard]].
//
// verify() runs the steps in the spec's §10 order and reports the first that fails:
//   1 not_jhc1            text does not start with "JHC1:"
//   2 malformed           Base45, zlib (<= 8192 bytes), strict CBOR, COSE_Sign1,
//                         CWT claims, profile, the credential inside it, `hic`
//   3 no_trust_list       no trust list or revocation list usable at `now`
//   4 test_material       a test list on a production kiosk
//   5 unknown_key         the insurer kid is not in the trust list
//   6 wrong_insurer       the key is listed under another insurer than `iss`
//   7 key_out_of_period   the (credential's) iat is outside the key's period
//   8 bad_signature       alg differs from the key's, or the signature fails
//   9 bad_holder_signature the §5.2 presentation's signature fails under cnf
//  10 credential_expired  §5.2 credential nbf/exp, §5.1 presentation exp
//  11 stale               iat older than now - max_age
//  12 clock_mismatch      iat later than now + max_ahead
//  13 revoked             cti on the revocation list
//  14 certificate_expired Japan-time today after `vu` or before `isd`
//  15 valid
//
// No function here throws across this header; failures are values.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using UnixSeconds = std::int64_t;

// ---------------------------------------------------------------- verdicts --

// The closed set of §10, in precedence order. verdict_name() gives the machine
// name used in every machine-readable output.
enum class Verdict {
  not_jhc1,
  malformed,
  no_trust_list,
  test_material,
  unknown_key,
  wrong_insurer,
  key_out_of_period,
  bad_signature,
  bad_holder_signature,
  credential_expired,
  stale,
  clock_mismatch,
  revoked,
  certificate_expired,
  valid,
};
inline constexpr int kVerdictCount = 15;

[[nodiscard]] std::string_view verdict_name(Verdict verdict);
[[nodiscard]] std::optional<Verdict> verdict_from_name(std::string_view name);

// ------------------------------------------------------------ certificate --

// A calendar date that exists (validated on construction).
struct CalendarDate {
  int year = 0;
  int month = 0;
  int day = 0;

  // YYYYMMDD as in `hic`; nullopt when the date does not exist.
  static std::optional<CalendarDate> from_yyyymmdd(std::int64_t value);
  // The date in Japan time (UTC+9, no DST) at the given instant.
  static CalendarDate japan_date_at(UnixSeconds instant);
  std::int64_t yyyymmdd() const { return year * 10000LL + month * 100LL + day; }
  auto operator<=>(const CalendarDate&) const = default;
};

enum class Sex { male = 1, female = 2, not_printed = 9 };
enum class Relationship { insured = 1, dependent = 2 };          // 本人 / 家族
enum class IssueCategory { automatic = 1, on_application = 2 };  // 交付対象者 ①/②

// §4 `hic`, validated: every required field present, every value in its set.
struct Certificate {
  std::string insurer_number;            // ins: 8 digits or 6 (国保), check digit ok
  std::optional<std::string> symbol;     // sym 記号
  std::string number;                    // num 番号
  std::string branch;                    // br 枝番, two digits
  std::string name;                      // nm 氏名
  std::optional<std::string> name_kana;  // nk
  CalendarDate birth_date;               // dob
  Sex sex = Sex::not_printed;
  Relationship relationship = Relationship::insured;
  std::optional<CalendarDate> acquired;       // acq 資格取得年月日
  CalendarDate issued;                        // isd 交付年月日
  CalendarDate valid_until;                   // vu 有効期限 (inclusive, Japan time)
  std::optional<int> ratio_tenths;            // ratio: 1, 2 or 3 (割)
  std::optional<std::string> limit_category;  // lim 限度額適用区分
  IssueCategory category = IssueCategory::automatic;
  std::optional<int> reason;  // rsn (1, 2, 3, 9), present iff category 2
  bool operator==(const Certificate&) const = default;
};

// True when the 保険者番号 has 8 or 6 ASCII digits and a correct check digit.
bool is_valid_insurer_number(std::string_view digits);

// ------------------------------------------------------------------- keys --

enum class Algorithm { es256, ed25519 };         // COSE -7, -8
std::string_view algorithm_name(Algorithm alg);  // "ES256", "EdDSA"

using Kid = std::array<std::uint8_t, 8>;
using Cti = std::array<std::uint8_t, 16>;

// A public key that has been parsed and checked (spec §6): a P-256 point on the
// curve, or an Ed25519 key in canonical encoding that is not of small order.
// Copies share the underlying OpenSSL key.
class PublicKey {
 public:
  struct Parsed;
  // DER SubjectPublicKeyInfo, exactly a named-curve uncompressed P-256 key or an
  // Ed25519 key; nullopt for any other key or encoding, and for a key no signature
  // should verify under (a point off the curve, a small-order Ed25519 point).
  [[nodiscard]] static std::optional<PublicKey> from_spki_der(ByteView spki);
  // PEM "PUBLIC KEY"; nullopt when unreadable, of another type or unusable as above.
  [[nodiscard]] static std::optional<PublicKey> from_pem(std::string_view pem);

  Algorithm algorithm() const;
  Kid kid() const;  // first 8 bytes of SHA-256 over the SPKI DER
  const Bytes& spki_der() const;

  // Verifies a raw COSE signature (r||s for ES256) over the concatenation of
  // `parts`. Returns false for any failure, including a wrong length.
  [[nodiscard]] bool verify_signature(std::span<const ByteView> parts, ByteView signature) const;

  std::shared_ptr<const Parsed> parsed() const { return parsed_; }

 private:
  explicit PublicKey(std::shared_ptr<const Parsed> parsed) : parsed_(std::move(parsed)) {}
  std::shared_ptr<const Parsed> parsed_;
};

// The one or two trust-list signing keys pinned in the kiosk's configuration.
// Only lists signed by one of them are ever loaded.
class PinnedKeys {
 public:
  [[nodiscard]] static std::optional<PinnedKeys> from_keys(
      std::vector<PublicKey> keys);  // 1..2 keys
  const PublicKey* find(const Kid& kid) const;
  std::size_t size() const { return keys_.size(); }
  std::vector<Kid> kids() const;

 private:
  explicit PinnedKeys(std::vector<PublicKey> keys) : keys_(std::move(keys)) {}
  std::vector<PublicKey> keys_;
};

// ------------------------------------------------------ trust material ----

// Why a trust list or revocation list was not loaded. English, for logs and the
// CLI; never personal data (lists hold none).
struct ListError {
  enum class Kind {
    unreadable,       // not a well-formed COSE_Sign1 / payload
    not_pinned,       // kid of no pinned key, or signature fails under it
    invalid_content,  // payload breaks §6/§7 (kid mismatch, unsorted ids, ...)
    rollback,         // lower sequence than the one held
  };
  Kind kind;
  std::string message;
};

// A list that loaded, or why not. Exactly one of value() and error() is set:
// value() is nullptr and error() names the reason when the list was refused.
template <typename T>
class [[nodiscard]] Loaded {
 public:
  Loaded(T value) : value_(std::make_shared<const T>(std::move(value))) {}
  Loaded(ListError error) : error_(std::move(error)) {}
  bool ok() const { return value_ != nullptr; }
  const std::shared_ptr<const T>& value() const { return value_; }
  const ListError* error() const { return error_ ? &*error_ : nullptr; }

 private:
  std::shared_ptr<const T> value_;
  std::optional<ListError> error_;
};

// §6 anti-rollback: the highest sequence this kiosk has ever held for a list, kept
// across restarts (the sync library keeps it durably). A list whose sequence is
// lower is refused (ListError::Kind::rollback); an equal one loads. There is no
// default: a caller says either what it has seen, or that it has seen nothing.
class HighWaterMark {
 public:
  // A kiosk's first start, or a one-off check of files given by hand (kakunin
  // verify): any sequence loads.
  static HighWaterMark nothing_seen() { return HighWaterMark(std::nullopt); }
  static HighWaterMark at(std::uint64_t highest_seen) { return HighWaterMark(highest_seen); }
  static HighWaterMark at(std::optional<std::uint64_t> highest_seen) {
    return HighWaterMark(highest_seen);
  }
  std::optional<std::uint64_t> sequence() const { return sequence_; }
  // True when a list of this sequence may not be used (lower than seen).
  bool refuses(std::uint64_t sequence) const { return sequence_ && sequence < *sequence_; }

 private:
  explicit HighWaterMark(std::optional<std::uint64_t> sequence) : sequence_(sequence) {}
  std::optional<std::uint64_t> sequence_;
};

struct ListHeader {
  std::uint64_t sequence = 0;
  UnixSeconds issued_at = 0;
  UnixSeconds next_update = 0;
  bool test = false;
};

struct TrustedKey {
  PublicKey key;
  Kid kid;
  Algorithm algorithm;
  UnixSeconds not_before;
  UnixSeconds not_after;
};

struct TrustedIssuer {
  std::string insurer_number;
  std::string name;  // display name; the QR never supplies it
  std::vector<TrustedKey> keys;
};

// §6. Only constructible through load(), which checks the signature against the
// pinned keys, the content (every key usable, kids matching), and anti-rollback
// against `seen`. Memory stays proportional to the bytes (see docs/verification.md,
// "How memory is bounded"); nothing throws.
class TrustList {
 public:
  static Loaded<TrustList> load(ByteView cose_bytes, const PinnedKeys& pins, HighWaterMark seen);

  const ListHeader& header() const { return header_; }
  const std::vector<TrustedIssuer>& issuers() const { return issuers_; }
  // The key with this kid and the issuer it is listed under, or nullptr.
  struct Match {
    const TrustedIssuer* issuer;
    const TrustedKey* key;
  };
  std::optional<Match> find_key(const Kid& kid) const;
  const TrustedIssuer* find_issuer(std::string_view insurer_number) const;

 private:
  TrustList() = default;
  friend struct TrustListParser;
  ListHeader header_;
  std::vector<TrustedIssuer> issuers_;
};

// §7. Ids are kept as one sorted byte block; look-up is a binary search. Loading
// checks the signature, the content and anti-rollback against `seen`; nothing throws.
class RevocationList {
 public:
  static Loaded<RevocationList> load(ByteView cose_bytes, const PinnedKeys& pins,
                                     HighWaterMark seen);
  // Same, taking ownership of the buffer so a large list is not copied.
  static Loaded<RevocationList> load(Bytes&& cose_bytes, const PinnedKeys& pins,
                                     HighWaterMark seen);

  const ListHeader& header() const { return header_; }
  std::size_t size() const { return id_count_; }
  [[nodiscard]] bool contains(const Cti& cti) const;

 private:
  RevocationList() = default;
  friend struct RevocationListParser;
  ListHeader header_;
  Bytes storage_;               // the signed object, owned
  std::size_t ids_offset_ = 0;  // where the ids bstr starts inside storage_
  std::size_t id_count_ = 0;
};

// ----------------------------------------------------------- verification --

enum class Mode { production, test };

// §9, kiosk policy. The default-constructed policy is the spec's; any other comes
// from from(), which refuses values outside what a kiosk can mean, so a Verifier
// never holds a negative window or one that could overflow the time arithmetic.
class FreshnessPolicy {
 public:
  struct Settings {
    std::int64_t max_age_seconds = 30;                              // iat >= now - max_age
    std::int64_t max_ahead_seconds = 10;                            // iat <= now + max_ahead
    std::int64_t list_grace_seconds = std::int64_t{7} * 24 * 3600;  // past next_update
    // Test mode only: printed sample sheets cannot stay fresh. Ignored (treated
    // as false) in production mode.
    bool skip_freshness_in_test_mode = false;
  };
  static constexpr std::int64_t kMaxWindowSeconds = 3600;  // max_age, max_ahead
  static constexpr std::int64_t kMaxListGraceSeconds = std::int64_t{366} * 86400;  // list_grace

  FreshnessPolicy() = default;
  // nullopt when a window is negative or over its bound (the reason in `problem`).
  [[nodiscard]] static std::optional<FreshnessPolicy> from(const Settings& settings,
                                                           std::string* problem = nullptr);

  std::int64_t max_age_seconds() const { return settings_.max_age_seconds; }
  std::int64_t max_ahead_seconds() const { return settings_.max_ahead_seconds; }
  std::int64_t list_grace_seconds() const { return settings_.list_grace_seconds; }
  bool skip_freshness_in_test_mode() const { return settings_.skip_freshness_in_test_mode; }
  const Settings& settings() const { return settings_; }

 private:
  explicit FreshnessPolicy(const Settings& settings) : settings_(settings) {}
  Settings settings_;
};

// Is a list with this next_update still usable at `now` (§9: next_update + grace)?
// The one rule the verifier and the status screens share; safe for any `now`.
[[nodiscard]] bool list_within_grace(const ListHeader& header, UnixSeconds now,
                                     const FreshnessPolicy& policy);

enum class Profile { issuer_signed, holder_bound };  // §5.1, §5.2
std::string_view profile_name(Profile profile);      // "issuer", "holder"

struct VerifiedPresentation {
  Profile profile;
  Certificate certificate;
  std::string insurer_name;  // from the trust list
  UnixSeconds presented_at;  // iat of the presentation
  std::int64_t age_seconds;  // now - iat (negative when slightly ahead)
  Cti cti;                   // the revocation key (credential's for §5.2)
  bool test_material;        // verified against test lists (test mode)
  bool freshness_skipped;    // test mode sheet setting was applied
  bool operator==(const VerifiedPresentation&) const = default;
};

// One verdict. Made only by Verifier::verify (and, for tests of code above the
// verifier, by a test-only accessor): `valid` always carries its presentation and
// a refusal never does.
class [[nodiscard]] VerifyResult {
 public:
  Verdict verdict() const { return verdict_; }
  bool is_valid() const { return verdict_ == Verdict::valid; }
  // Technical reason in English for logs: which check failed. No personal data.
  const std::string& detail() const { return detail_; }
  // Known once the QR parsed far enough to tell.
  std::optional<Profile> profile() const { return profile_; }
  // Present only when the verdict is valid.
  const VerifiedPresentation* presentation() const {
    return presentation_ ? &*presentation_ : nullptr;
  }

 private:
  friend struct VerifyResultMaker;       // the verifier's, in crypto/src/verifier.cpp
  friend struct VerifyResultForTesting;  // defined only in tests/support
  // A refusal: `verdict` is never valid (a valid verdict without its presentation
  // is turned into malformed, so no caller can be shown an empty certificate).
  VerifyResult(Verdict verdict, std::string detail, std::optional<Profile> profile);
  explicit VerifyResult(VerifiedPresentation presentation)
      : verdict_(Verdict::valid),
        profile_(presentation.profile),
        presentation_(std::move(presentation)) {}

  Verdict verdict_;
  std::string detail_;
  std::optional<Profile> profile_;
  std::optional<VerifiedPresentation> presentation_;
};

// Built from already-validated lists (either may be absent: then every QR that
// parses is no_trust_list). Thread-safe: verify() is const and allocates only
// locally.
class Verifier {
 public:
  Verifier(std::shared_ptr<const TrustList> trust_list,
           std::shared_ptr<const RevocationList> revocations, Mode mode,
           FreshnessPolicy policy = {});

  [[nodiscard]] VerifyResult verify(std::string_view qr_text, UnixSeconds now) const;

  Mode mode() const { return mode_; }
  const FreshnessPolicy& policy() const { return policy_; }

 private:
  std::shared_ptr<const TrustList> trust_list_;
  std::shared_ptr<const RevocationList> revocations_;
  Mode mode_;
  FreshnessPolicy policy_;
};

}  // namespace kakunin::crypto
