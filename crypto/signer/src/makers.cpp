// COSE, QR text, presentations of both profiles, trust and revocation lists.
#include <kakunin/signer/signer.h>

#include <kakunin/base/japan_time.h>

#include <openssl/rand.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace kakunin::signer {
namespace {

constexpr std::uint64_t kCoseSign1Tag = 18;
constexpr std::int64_t kIss = 1, kExp = 4, kNbf = 5, kIat = 6, kCti = 7, kCnf = 8;
constexpr std::int64_t kHic = -65537, kCred = -65538;

std::int64_t cose_alg(Algorithm alg) { return alg == Algorithm::es256 ? -7 : -8; }

Cbor optional_text(const std::optional<std::string>& value) { return Cbor::text(*value); }

}  // namespace

// ---------------------------------------------------------------- COSE -----

Cbor protected_header(Algorithm alg, std::optional<Kid> kid) {
  Cbor header = Cbor::map();
  header.set(1, Cbor::integer(cose_alg(alg)));
  if (kid) header.set(4, Cbor::bytes(*kid));
  return header;
}

Bytes sig_structure(ByteView protected_bytes, ByteView payload) {
  return Cbor::array({Cbor::text("Signature1"), Cbor::bytes(protected_bytes), Cbor::bytes({}),
                      Cbor::bytes(payload)})
      .encode();
}

Bytes assemble_sign1(const Sign1Parts& parts, ByteView signature, bool tagged) {
  Cbor array = Cbor::array({Cbor::bytes(parts.protected_map.encode()), parts.unprotected,
                            Cbor::bytes(parts.payload), Cbor::bytes(signature)});
  return tagged ? Cbor::tag(kCoseSign1Tag, std::move(array)).encode() : array.encode();
}

Bytes sign1(const Sign1Parts& parts, const SigningKey& key) {
  const Bytes protected_bytes = parts.protected_map.encode();
  return assemble_sign1(parts, key.sign(sig_structure(protected_bytes, parts.payload)));
}

Bytes zlib_compress(ByteView data) {
  uLongf size = compressBound(data.size());
  Bytes out(size);
  if (compress2(out.data(), &size, data.data(), data.size(), 9) != Z_OK) {
    throw std::runtime_error("signer: zlib compress failed");
  }
  out.resize(size);
  return out;
}

std::string base45_encode(ByteView data) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  std::string out;
  out.reserve(data.size() / 2 * 3 + 2);
  for (std::size_t i = 0; i < data.size(); i += 2) {
    if (i + 1 < data.size()) {
      unsigned value = data[i] * 256u + data[i + 1];
      for (int digit = 0; digit < 3; ++digit, value /= 45) out.push_back(kAlphabet[value % 45]);
    } else {
      unsigned value = data[i];
      for (int digit = 0; digit < 2; ++digit, value /= 45) out.push_back(kAlphabet[value % 45]);
    }
  }
  return out;
}

std::string to_qr_text(ByteView cose) { return "JHC1:" + base45_encode(zlib_compress(cose)); }

// -------------------------------------------------------- presentations ----

Certificate sample_certificate(std::string insurer_number) {
  Certificate cert;
  cert.insurer_number = std::move(insurer_number);
  cert.symbol = "見本記号";
  cert.number = "1234567";
  cert.branch = "01";
  cert.name = "見本 太郎";
  cert.name_kana = "ミホン タロウ";
  cert.birth_date = {1980, 4, 1};
  cert.sex = crypto::Sex::male;
  cert.relationship = crypto::Relationship::insured;
  cert.acquired = crypto::CalendarDate{2020, 4, 1};
  cert.issued = {2026, 4, 1};
  cert.valid_until = {2027, 3, 31};
  cert.ratio_tenths = 3;
  cert.category = crypto::IssueCategory::automatic;
  return cert;
}

Cbor hic_map(const Certificate& cert) {
  Cbor hic = Cbor::map();
  hic.set("v", Cbor::integer(1));
  hic.set("ins", Cbor::text(cert.insurer_number));
  if (cert.symbol) hic.set("sym", optional_text(cert.symbol));
  hic.set("num", Cbor::text(cert.number));
  hic.set("br", Cbor::text(cert.branch));
  hic.set("nm", Cbor::text(cert.name));
  if (cert.name_kana) hic.set("nk", optional_text(cert.name_kana));
  hic.set("dob", Cbor::integer(cert.birth_date.yyyymmdd()));
  hic.set("sex", Cbor::integer(static_cast<int>(cert.sex)));
  hic.set("rel", Cbor::integer(static_cast<int>(cert.relationship)));
  if (cert.acquired) hic.set("acq", Cbor::integer(cert.acquired->yyyymmdd()));
  hic.set("isd", Cbor::integer(cert.issued.yyyymmdd()));
  hic.set("vu", Cbor::integer(cert.valid_until.yyyymmdd()));
  if (cert.ratio_tenths) hic.set("ratio", Cbor::integer(*cert.ratio_tenths));
  if (cert.limit_category) hic.set("lim", optional_text(cert.limit_category));
  hic.set("cat", Cbor::integer(static_cast<int>(cert.category)));
  if (cert.reason) hic.set("rsn", Cbor::integer(*cert.reason));
  return hic;
}

Cbor issuer_claims(const IssuerPresentation& p) {
  Cbor claims = Cbor::map();
  claims.set(kIss, Cbor::text(p.certificate.insurer_number));
  claims.set(kIat, Cbor::integer(p.iat));
  claims.set(kExp, Cbor::integer(p.iat + p.lifetime_seconds));
  claims.set(kCti, Cbor::bytes(p.cti));
  claims.set(kHic, hic_map(p.certificate));
  return claims;
}

Bytes make_issuer_presentation(const IssuerPresentation& p, const SigningKey& insurer_key) {
  return sign1({protected_header(insurer_key.algorithm(), insurer_key.kid()), Cbor::map(),
                issuer_claims(p).encode()},
               insurer_key);
}

Cbor cose_ec2_key(const crypto::PublicKey& key) {
  // A canonical P-256 SPKI ends with the uncompressed point 04 || x || y.
  const Bytes& spki = key.spki_der();
  if (key.algorithm() != Algorithm::es256 || spki.size() != 91 || spki[26] != 0x04) {
    throw std::invalid_argument("cose_ec2_key: not a P-256 key");
  }
  const ByteView x(spki.data() + 27, 32), y(spki.data() + 59, 32);
  Cbor cose_key = Cbor::map();
  cose_key.set(1, Cbor::integer(2));
  cose_key.set(-1, Cbor::integer(1));
  cose_key.set(-2, Cbor::bytes(x));
  cose_key.set(-3, Cbor::bytes(y));
  return cose_key;
}

Cbor credential_claims(const Credential& c) {
  Cbor claims = Cbor::map();
  claims.set(kIss, Cbor::text(c.certificate.insurer_number));
  claims.set(kIat, Cbor::integer(c.iat));
  claims.set(kNbf, Cbor::integer(c.nbf));
  claims.set(kExp, Cbor::integer(c.exp));
  claims.set(kCti, Cbor::bytes(c.cti));
  claims.set(kCnf, Cbor::map({{Cbor::integer(1), cose_ec2_key(c.holder_key)}}));
  claims.set(kHic, hic_map(c.certificate));
  return claims;
}

Bytes make_credential(const Credential& c, const SigningKey& insurer_key) {
  return sign1({protected_header(insurer_key.algorithm(), insurer_key.kid()), Cbor::map(),
                credential_claims(c).encode()},
               insurer_key);
}

Cbor holder_claims(ByteView credential, UnixSeconds iat) {
  Cbor claims = Cbor::map();
  claims.set(kIat, Cbor::integer(iat));
  claims.set(kCred, Cbor::bytes(credential));
  return claims;
}

Bytes make_holder_presentation(ByteView credential, UnixSeconds iat, const SigningKey& holder_key) {
  if (holder_key.algorithm() != Algorithm::es256) {
    throw std::invalid_argument("make_holder_presentation: the holder key is P-256");
  }
  return sign1({protected_header(Algorithm::es256, std::nullopt), Cbor::map(),
                holder_claims(credential, iat).encode()},
               holder_key);
}

// --------------------------------------------------------- trust lists -----

std::string rfc3339_utc(UnixSeconds t) {
  // RFC 3339 has four-digit years; gmtime_r would fail or print a longer year for
  // times beyond them, silently making a list no verifier should read.
  constexpr UnixSeconds kFirst = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr UnixSeconds kLast = 253402300799;   // 9999-12-31T23:59:59Z
  if (t < kFirst || t > kLast) throw std::out_of_range("rfc3339_utc: year outside 0000-9999");
  return base::iso8601_utc(t);
}

std::string base64url(ByteView data) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::string trust_list_json(const TrustListSpec& spec) {
  nlohmann::ordered_json issuers = nlohmann::ordered_json::array();
  for (const auto& issuer : spec.issuers) {
    nlohmann::ordered_json keys = nlohmann::ordered_json::array();
    for (const auto& key : issuer.keys) {
      // An spki the kiosk would refuse (a hostile test's) has no kid: "" unless overridden.
      const auto public_key = crypto::PublicKey::from_spki_der(key.spki_der);
      const std::string kid = key.kid_override ? *key.kid_override
                              : public_key     ? base64url(public_key->kid())
                                               : std::string();
      keys.push_back(
          {{"kid", kid},
           {"alg", key.alg_override ? *key.alg_override
                                    : std::string(crypto::algorithm_name(key.algorithm))},
           {"spki", base64url(key.spki_der)},
           {"not_before", rfc3339_utc(key.not_before)},
           {"not_after", rfc3339_utc(key.not_after)}});
    }
    issuers.push_back({{"insurer", issuer.insurer_number}, {"name", issuer.name}, {"keys", keys}});
  }
  const nlohmann::ordered_json document = {{"format", "jhc1-trustlist"},
                                           {"sequence", spec.header.sequence},
                                           {"issued_at", rfc3339_utc(spec.header.issued_at)},
                                           {"next_update", rfc3339_utc(spec.header.next_update)},
                                           {"test", spec.header.test},
                                           {"issuers", issuers}};
  return document.dump(2);
}

Bytes sign_list_payload(ByteView payload, const SigningKey& list_key) {
  return sign1({protected_header(list_key.algorithm(), list_key.kid()), Cbor::map(),
                Bytes(payload.begin(), payload.end())},
               list_key);
}

Bytes make_trust_list(const TrustListSpec& spec, const SigningKey& list_key) {
  const std::string json = trust_list_json(spec);
  return sign_list_payload(Bytes(json.begin(), json.end()), list_key);
}

Cbor revocation_payload(const crypto::ListHeader& header, const std::vector<Cti>& ids) {
  Bytes block;
  block.reserve(ids.size() * 16);
  for (const auto& id : ids) block.insert(block.end(), id.begin(), id.end());
  Cbor payload = Cbor::map();
  payload.set("format", Cbor::text("jhc1-revocations"));
  payload.set("sequence", Cbor::uint(header.sequence));
  payload.set("issued_at", Cbor::integer(header.issued_at));
  payload.set("next_update", Cbor::integer(header.next_update));
  payload.set("test", Cbor::boolean(header.test));
  payload.set("ids", Cbor::bytes(block));
  return payload;
}

Bytes make_revocation_list(const RevocationSpec& spec, const SigningKey& list_key) {
  std::vector<Cti> ids = spec.ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return sign_list_payload(revocation_payload(spec.header, ids).encode(), list_key);
}

Cti random_cti() {
  Cti cti;
  if (RAND_bytes(cti.data(), static_cast<int>(cti.size())) != 1) {
    throw std::runtime_error("signer: RAND_bytes failed");
  }
  return cti;
}

}  // namespace kakunin::signer
