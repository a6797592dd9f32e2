// Kakunin signer: makes JHC1 keys, trust lists, revocation lists and presentations
// of both profiles, for tests, the sample toolkit and field-test tools. Never linked
// into the kiosk's verifying path.
//
// High-level makers produce spec-conforming objects. The low-level pieces (Cbor,
// sign1, to_qr_text) let tests build exactly the hostile variants they need
// (duplicate keys, indefinite lengths, extra headers, wrong lengths, ...).
//
//   const signer::SigningKey insurer = signer::SigningKey::generate(crypto::Algorithm::es256);
//   const crypto::Bytes cose = signer::make_issuer_presentation(
//       {signer::sample_certificate("06139999"), now, 300, signer::random_cti()}, insurer);
//   const std::string qr_text = signer::to_qr_text(cose);  // "JHC1:...", for a QR code
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kakunin::signer {

using crypto::Algorithm;
using crypto::Bytes;
using crypto::ByteView;
using crypto::Certificate;
using crypto::Cti;
using crypto::Kid;
using crypto::UnixSeconds;

// ------------------------------------------------------------------- keys --

class SigningKey {
 public:
  struct Impl;
  static SigningKey generate(Algorithm alg);
  // PKCS#8 "PRIVATE KEY" PEM of a P-256 or Ed25519 key.
  static std::optional<SigningKey> from_private_pem(std::string_view pem);

  Algorithm algorithm() const;
  std::string private_pem() const;  // PKCS#8
  std::string public_pem() const;   // SubjectPublicKeyInfo "PUBLIC KEY"
  Bytes spki_der() const;
  Kid kid() const;
  crypto::PublicKey public_key() const;
  // Raw COSE signature over `message`: r||s (64 bytes) for ES256, 64 bytes Ed25519.
  Bytes sign(ByteView message) const;
  // The same signature DER-encoded (ES256 only), for hostile tests.
  Bytes sign_der(ByteView message) const;

 private:
  explicit SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// ------------------------------------------------------------------- CBOR --

// A CBOR value to encode. Maps keep insertion order and may hold duplicate keys;
// `indefinite` encodes arrays, maps, byte and text strings with indefinite length.
// Encoding is otherwise deterministic (shortest heads).
class Cbor {
 public:
  enum class Type { unsigned_int, negative_int, bytes, text, array, map, tag, simple, float64 };

  static Cbor integer(std::int64_t value);
  static Cbor uint(std::uint64_t value);
  // Negative integer -1 - n (covers the whole CBOR range down to -2^64).
  static Cbor negative(std::uint64_t n);
  static Cbor bytes(ByteView value);
  static Cbor text(std::string_view value);
  static Cbor array(std::vector<Cbor> items = {});
  static Cbor map(std::vector<std::pair<Cbor, Cbor>> entries = {});
  static Cbor tag(std::uint64_t tag, Cbor content);
  static Cbor boolean(bool value);
  static Cbor null();
  static Cbor simple(std::uint8_t value);
  static Cbor float64(double value);

  Type type() const { return type_; }
  // Map editing: set replaces the first entry with an equal key or appends.
  Cbor& set(Cbor key, Cbor value);
  Cbor& set(std::int64_t key, Cbor value) { return set(integer(key), std::move(value)); }
  Cbor& set(std::string_view key, Cbor value) { return set(text(key), std::move(value)); }
  // Appends without checking for an equal key (for duplicate-key tests).
  Cbor& append(Cbor key, Cbor value);
  // Removes every entry whose key equals `key`.
  Cbor& erase(const Cbor& key);
  Cbor& erase(std::int64_t key) { return erase(integer(key)); }
  Cbor& erase(std::string_view key) { return erase(text(key)); }
  Cbor& push(Cbor item);  // array append
  Cbor& with_indefinite_length(bool on = true);

  Bytes encode() const;
  bool operator==(const Cbor& other) const;

  // Content access, also for tests that edit a built tree.
  std::vector<Cbor>& items() { return items_; }
  const std::vector<Cbor>& items() const { return items_; }
  std::vector<std::pair<Cbor, Cbor>>& entries() { return entries_; }
  const std::vector<std::pair<Cbor, Cbor>>& entries() const { return entries_; }
  std::uint64_t number() const { return number_; }
  double float_value() const { return float_; }
  const Bytes& data() const { return data_; }
  bool encode_indefinite() const { return indefinite_; }

 private:
  Type type_ = Type::simple;
  std::uint64_t number_ = 22;  // uint / negative n / tag / simple (22 = null)
  double float_ = 0;
  Bytes data_;               // bytes and text
  std::vector<Cbor> items_;  // array items, or the tag's one content
  std::vector<std::pair<Cbor, Cbor>> entries_;
  bool indefinite_ = false;
};

// --------------------------------------------------------------- COSE -----

// Protected header map {1: alg, 4: kid} (kid omitted when nullopt).
Cbor protected_header(Algorithm alg, std::optional<Kid> kid);

struct Sign1Parts {
  Cbor protected_map = Cbor::map();
  Cbor unprotected = Cbor::map();
  Bytes payload;
};

// Sig_structure ["Signature1", protected, h'', payload], deterministically encoded.
Bytes sig_structure(ByteView protected_bytes, ByteView payload);

// Encodes 18([bstr(protected), unprotected, bstr(payload), bstr(signature)]) with
// the signature made by `key` over the Sig_structure.
Bytes sign1(const Sign1Parts& parts, const SigningKey& key);
// Same, but the caller supplies the signature bytes (forged, DER, wrong length).
Bytes assemble_sign1(const Sign1Parts& parts, ByteView signature, bool tagged = true);

// "JHC1:" + Base45(zlib(cose)).
std::string to_qr_text(ByteView cose);
Bytes zlib_compress(ByteView data);
std::string base45_encode(ByteView data);

// ------------------------------------------------------ presentations ------

// A fictitious member of `insurer_number` whose name says it is a sample: 見本 太郎,
// 本人, 3割, a kanji 記号, valid 2026-04-01 to 2027-03-31. For tests, benchmarks
// and sample material; callers change what their case needs.
Certificate sample_certificate(std::string insurer_number);

// The `hic` map (text keys) for a certificate, ready to be edited by tests.
Cbor hic_map(const Certificate& cert);

struct IssuerPresentation {
  Certificate certificate;
  UnixSeconds iat = 0;
  std::int64_t lifetime_seconds = 300;  // exp = iat + lifetime (spec max 300)
  Cti cti{};
};
// Claims {1: iss, 6: iat, 4: exp, 7: cti, -65537: hic}.
Cbor issuer_claims(const IssuerPresentation& p);
// §5.1: the COSE_Sign1 bytes, signed by the insurer key (kid in protected header).
Bytes make_issuer_presentation(const IssuerPresentation& p, const SigningKey& insurer_key);

struct Credential {
  Certificate certificate;
  UnixSeconds iat = 0;
  UnixSeconds nbf = 0;
  UnixSeconds exp = 0;  // exp - nbf <= 3,456,000
  Cti cti{};
  crypto::PublicKey holder_key;  // P-256
};
// COSE_Key {1:2, -1:1, -2:x, -3:y} of a P-256 public key.
Cbor cose_ec2_key(const crypto::PublicKey& key);
// Claims {1, 6, 5, 4, 7, 8: {1: COSE_Key}, -65537: hic}.
Cbor credential_claims(const Credential& c);
// §5.2 credential: COSE_Sign1 bytes signed by the insurer key.
Bytes make_credential(const Credential& c, const SigningKey& insurer_key);
// §5.2 presentation {6: iat, -65538: cred}, signed by the holder key, alg -7, no kid.
Cbor holder_claims(ByteView credential, UnixSeconds iat);
Bytes make_holder_presentation(ByteView credential, UnixSeconds iat, const SigningKey& holder_key);

// ------------------------------------------------------- trust lists -------

struct TrustListKey {
  Bytes spki_der;
  Algorithm algorithm = Algorithm::es256;
  UnixSeconds not_before = 0;
  UnixSeconds not_after = 0;
  std::optional<std::string> kid_override;  // base64url; for mismatch tests
  std::optional<std::string> alg_override;  // e.g. "ES384"; for hostile tests
};
struct TrustListIssuer {
  std::string insurer_number;
  std::string name;
  std::vector<TrustListKey> keys;
};
struct TrustListSpec {
  crypto::ListHeader header;
  std::vector<TrustListIssuer> issuers;
};

// RFC 3339 "YYYY-MM-DDTHH:MM:SSZ".
std::string rfc3339_utc(UnixSeconds t);
std::string base64url(ByteView data);  // unpadded
// The §6 JSON payload (tests may edit it before signing).
std::string trust_list_json(const TrustListSpec& spec);
// COSE_Sign1 over a JSON payload with the trust-list key (kid in protected header).
Bytes sign_list_payload(ByteView payload, const SigningKey& list_key);
Bytes make_trust_list(const TrustListSpec& spec, const SigningKey& list_key);

struct RevocationSpec {
  crypto::ListHeader header;
  std::vector<Cti> ids;  // sorted and de-duplicated by make_revocation_list
};
// The §7 CBOR payload map; ids concatenated as given (callers sort, or not).
Cbor revocation_payload(const crypto::ListHeader& header, const std::vector<Cti>& ids);
Bytes make_revocation_list(const RevocationSpec& spec, const SigningKey& list_key);

// A random 16-byte id (cti).
Cti random_cti();

}  // namespace kakunin::signer
