#include "cose_sign1.h"

#include <algorithm>

namespace kakunin::crypto {
namespace {

constexpr std::uint64_t kCoseSign1Tag = 18;
constexpr std::int64_t kLabelAlg = 1;
constexpr std::int64_t kLabelKid = 4;

bool fail(std::string* error, std::string reason) {
  if (error) *error = std::move(reason);
  return false;
}

bool parse_protected(ByteView bytes, KidRule kid_rule, Sign1& out, std::string* error) {
  cbor::DecodeError decode_error;
  const auto header = cbor::decode(bytes, &decode_error);
  if (!header) return fail(error, "protected header: " + decode_error.message);
  if (header->type != cbor::Type::map) return fail(error, "protected header is not a map");
  std::optional<Algorithm> alg;
  for (std::size_t i = 0; i < header->map_size(); ++i) {
    const auto label = header->map_key(i).as_int64();
    const cbor::Item& value = header->map_value(i);
    if (label == kLabelAlg) {
      const auto number = value.as_int64();
      if (!number || !(alg = algorithm_from_cose(*number))) {
        return fail(error, "protected header: alg is not -7 (ES256) or -8 (EdDSA)");
      }
    } else if (label == kLabelKid) {
      const auto kid = value.as_bytes();
      if (!kid || kid->size() != 8)
        return fail(error, "protected header: kid is not an 8-byte bstr");
      Kid copy;
      std::copy(kid->begin(), kid->end(), copy.begin());
      out.kid = copy;
    } else {
      return fail(error, "protected header: label other than alg and kid");
    }
  }
  if (!alg) return fail(error, "protected header: no alg");
  out.algorithm = *alg;
  if (kid_rule == KidRule::required && !out.kid) return fail(error, "protected header: no kid");
  if (kid_rule == KidRule::absent && out.kid) {
    return fail(error, "protected header: kid on a holder presentation");
  }
  return true;
}

}  // namespace

std::optional<Algorithm> algorithm_from_cose(std::int64_t alg) {
  if (alg == -7) return Algorithm::es256;
  if (alg == -8) return Algorithm::ed25519;
  return std::nullopt;
}

std::optional<Sign1> parse_sign1(ByteView bytes, KidRule kid_rule, std::string* error) {
  cbor::DecodeError decode_error;
  const auto top = cbor::decode(bytes, &decode_error);
  if (!top) {
    fail(error, "COSE_Sign1: " + decode_error.message);
    return std::nullopt;
  }
  if (top->type != cbor::Type::tag || top->value != kCoseSign1Tag) {
    fail(error, "COSE_Sign1: not tagged 18");
    return std::nullopt;
  }
  const cbor::Item& array = top->children[0];
  if (array.type != cbor::Type::array || array.children.size() != 4) {
    fail(error, "COSE_Sign1: not an array of four");
    return std::nullopt;
  }
  const auto protected_bytes = array.children[0].as_bytes();
  const cbor::Item& unprotected = array.children[1];
  const auto payload = array.children[2].as_bytes();
  const auto signature = array.children[3].as_bytes();
  if (!protected_bytes || !payload || !signature || unprotected.type != cbor::Type::map) {
    fail(error, "COSE_Sign1: wrong member types");
    return std::nullopt;
  }
  if (unprotected.map_size() != 0) {
    fail(error, "COSE_Sign1: unprotected header is not empty");
    return std::nullopt;
  }
  if (signature->size() != 64) {
    fail(error, "COSE_Sign1: signature is not 64 bytes");
    return std::nullopt;
  }
  Sign1 out{};
  if (!parse_protected(*protected_bytes, kid_rule, out, error)) return std::nullopt;
  out.protected_bytes = *protected_bytes;
  out.payload = *payload;
  std::copy(signature->begin(), signature->end(), out.signature.begin());
  return out;
}

bool Sign1::signature_verifies(const PublicKey& key) const {
  // Sig_structure = ["Signature1", protected, h'', payload], fed in four parts so
  // a large payload (a revocation list) is never copied.
  Bytes head;
  cbor::append_head(head, 4, 4);
  static constexpr std::string_view kContext = "Signature1";
  cbor::append_head(head, 3, kContext.size());
  head.insert(head.end(), kContext.begin(), kContext.end());
  cbor::append_head(head, 2, protected_bytes.size());
  Bytes middle;
  cbor::append_head(middle, 2, 0);
  cbor::append_head(middle, 2, payload.size());
  const ByteView parts[] = {head, protected_bytes, middle, payload};
  return key.verify_signature(parts, signature);
}

}  // namespace kakunin::crypto
