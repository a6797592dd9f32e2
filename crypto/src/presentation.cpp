// §3 and §5: claims of both presentation profiles.
#include "presentation.h"

#include <algorithm>

namespace kakunin::crypto {
namespace {

constexpr std::int64_t kIss = 1;
constexpr std::int64_t kExp = 4;
constexpr std::int64_t kNbf = 5;
constexpr std::int64_t kIat = 6;
constexpr std::int64_t kCti = 7;
constexpr std::int64_t kCnf = 8;
constexpr std::int64_t kHic = -65537;
constexpr std::int64_t kCred = -65538;

constexpr std::int64_t kMaxPresentationLifetime = 300;    // §5.1 exp - iat
constexpr std::int64_t kMaxCredentialLifetime = 3456000;  // §5.2 exp - nbf (40 days)

// DER prefix of a P-256 SubjectPublicKeyInfo with an uncompressed point: the
// COSE_Key's x and y follow it.
constexpr std::uint8_t kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};

class ClaimsReader {
 public:
  ClaimsReader(const cbor::Item& claims, std::string* error) : claims_(claims), error_(error) {}

  std::optional<UnixSeconds> time(std::int64_t label, const char* name) {
    const cbor::Item* item = claims_.find(label);
    if (!item) return fail(name, "missing"), std::nullopt;
    const auto value = item->as_int64();
    if (!value || *value < 0) return fail(name, "not a non-negative integer"), std::nullopt;
    return value;
  }

  std::optional<std::string> iss() {
    const cbor::Item* item = claims_.find(kIss);
    const auto text = item ? item->as_text() : std::nullopt;
    if (!text) return fail("iss", "missing or not text"), std::nullopt;
    return std::string(*text);
  }

  std::optional<Cti> cti() {
    const cbor::Item* item = claims_.find(kCti);
    const auto bytes = item ? item->as_bytes() : std::nullopt;
    if (!bytes || bytes->size() != 16) return fail("cti", "missing or not 16 bytes"), std::nullopt;
    Cti out;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
  }

  bool fail(const char* name, const char* why) {
    if (error_) *error_ = std::string("claims.") + name + ": " + why;
    return false;
  }

 private:
  const cbor::Item& claims_;
  std::string* error_;
};

bool fail(std::string* error, std::string reason) {
  if (error) *error = std::move(reason);
  return false;
}

std::optional<cbor::Item> decode_claims(ByteView payload, std::string* error) {
  cbor::DecodeError decode_error;
  auto claims = cbor::decode(payload, &decode_error);
  if (!claims) {
    fail(error, "claims: " + decode_error.message);
    return std::nullopt;
  }
  if (claims->type != cbor::Type::map) {
    fail(error, "claims: not a map");
    return std::nullopt;
  }
  if (claims->find(kHic) && claims->find(kCred)) {
    fail(error, "claims: both hic and cred");
    return std::nullopt;
  }
  return claims;
}

// cnf = {1: COSE_Key}, COSE_Key = {1: 2, -1: 1, -2: x, -3: y} (3: -7 allowed).
std::optional<PublicKey> parse_cnf(const cbor::Item* cnf, std::string* error) {
  if (!cnf || cnf->type != cbor::Type::map || cnf->map_size() != 1 || !cnf->find(1)) {
    fail(error, "claims.cnf: not {1: COSE_Key}");
    return std::nullopt;
  }
  const cbor::Item& key = *cnf->find(1);
  if (key.type != cbor::Type::map) {
    fail(error, "claims.cnf: COSE_Key is not a map");
    return std::nullopt;
  }
  std::optional<ByteView> x, y;
  bool kty = false, crv = false;
  for (std::size_t i = 0; i < key.map_size(); ++i) {
    const auto label = key.map_key(i).as_int64();
    const cbor::Item& value = key.map_value(i);
    if (label == 1) {
      kty = value.as_int64() == 2;
    } else if (label == -1) {
      crv = value.as_int64() == 1;
    } else if (label == -2) {
      x = value.as_bytes();
    } else if (label == -3) {
      y = value.as_bytes();
    } else if (label != 3 || value.as_int64() != -7) {
      fail(error, "claims.cnf: COSE_Key label not allowed");
      return std::nullopt;
    }
  }
  if (!kty || !crv || !x || !y || x->size() != 32 || y->size() != 32) {
    fail(error, "claims.cnf: not an EC2 P-256 key with 32-byte x and y");
    return std::nullopt;
  }
  Bytes spki(std::begin(kP256SpkiPrefix), std::end(kP256SpkiPrefix));
  spki.insert(spki.end(), x->begin(), x->end());
  spki.insert(spki.end(), y->begin(), y->end());
  auto public_key = PublicKey::from_spki_der(spki);
  if (!public_key) fail(error, "claims.cnf: point is not on P-256");
  return public_key;
}

// The certificate in `claims`, with iss equal to its insurer number.
bool read_certificate(const cbor::Item& claims, ClaimsReader& read, ParsedPresentation& out,
                      std::string* error) {
  auto iss = read.iss();
  if (!iss) return false;
  auto cert = parse_hic(*claims.find(kHic), error);
  if (!cert) return false;
  if (*iss != cert->insurer_number) return fail(error, "claims.iss differs from hic.ins");
  out.insurer = std::move(*iss);
  out.certificate = std::move(*cert);
  return true;
}

bool parse_issuer_signed(const cbor::Item& claims, ParsedPresentation& out, std::string* error) {
  if (!out.presentation.kid) return fail(error, "issuer-signed presentation without kid");
  if (claims.find(kCnf)) return fail(error, "a credential shown without a holder presentation");
  ClaimsReader read(claims, error);
  const auto iat = read.time(kIat, "iat");
  const auto exp = iat ? read.time(kExp, "exp") : std::nullopt;
  const auto cti = exp ? read.cti() : std::nullopt;
  if (!cti || !read_certificate(claims, read, out, error)) return false;
  if (*exp <= *iat || *exp - *iat > kMaxPresentationLifetime) {
    return fail(error, "claims: exp - iat not within (0, 300]");
  }
  out.profile = Profile::issuer_signed;
  out.insurer_signed = out.presentation;
  out.insurer_iat = *iat;
  out.presented_at = *iat;
  out.exp = *exp;
  out.cti = *cti;
  return true;
}

bool parse_holder_bound(const cbor::Item& claims, ParsedPresentation& out, std::string* error) {
  if (out.presentation.kid) return fail(error, "holder presentation with a kid");
  ClaimsReader read(claims, error);
  const auto presented_at = read.time(kIat, "iat");
  if (!presented_at) return false;
  const auto cred_bytes = claims.find(kCred)->as_bytes();
  if (!cred_bytes) return fail(error, "claims.cred: not a bstr");

  std::string cred_error;
  auto credential = parse_sign1(*cred_bytes, KidRule::required, &cred_error);
  if (!credential) return fail(error, "credential: " + cred_error);
  auto cred_claims = decode_claims(credential->payload, error);
  if (!cred_claims) return false;
  if (!cred_claims->find(kHic)) return fail(error, "credential: no hic");

  ClaimsReader read_cred(*cred_claims, error);
  const auto iat = read_cred.time(kIat, "iat");
  const auto nbf = iat ? read_cred.time(kNbf, "nbf") : std::nullopt;
  const auto exp = nbf ? read_cred.time(kExp, "exp") : std::nullopt;
  const auto cti = exp ? read_cred.cti() : std::nullopt;
  if (!cti) return false;
  auto holder_key = parse_cnf(cred_claims->find(kCnf), error);
  if (!holder_key || !read_certificate(*cred_claims, read_cred, out, error)) return false;
  if (*exp <= *nbf || *exp - *nbf > kMaxCredentialLifetime) {
    return fail(error, "credential: exp - nbf not within (0, 3456000]");
  }
  out.profile = Profile::holder_bound;
  out.insurer_signed = *credential;
  out.insurer_iat = *iat;
  out.presented_at = *presented_at;
  out.nbf = *nbf;
  out.exp = *exp;
  out.cti = *cti;
  out.holder_key = std::move(holder_key);
  return true;
}

}  // namespace

std::optional<ParsedPresentation> parse_presentation(ByteView cose, std::string* error) {
  auto outer = parse_sign1(cose, KidRule::either, error);
  if (!outer) return std::nullopt;
  auto claims = decode_claims(outer->payload, error);
  if (!claims) return std::nullopt;

  ParsedPresentation out{};
  out.presentation = *outer;
  bool ok;
  if (claims->find(kHic)) {
    ok = parse_issuer_signed(*claims, out, error);
  } else if (claims->find(kCred)) {
    ok = parse_holder_bound(*claims, out, error);
  } else {
    ok = fail(error, "claims: neither hic nor cred");
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace kakunin::crypto
