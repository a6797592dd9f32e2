#include "signed_list.h"

namespace kakunin::crypto {

std::variant<Sign1, ListError> open_signed_list(ByteView cose_bytes, const PinnedKeys& pins) {
  std::string error;
  auto sign1 = parse_sign1(cose_bytes, KidRule::required, &error);
  if (!sign1) return ListError{ListError::Kind::unreadable, error};
  const PublicKey* key = pins.find(*sign1->kid);
  if (!key) return ListError{ListError::Kind::not_pinned, "signed by a key that is not pinned"};
  if (key->algorithm() != sign1->algorithm) {
    return ListError{ListError::Kind::not_pinned, "alg differs from the pinned key's"};
  }
  if (!sign1->signature_verifies(*key)) {
    return ListError{ListError::Kind::not_pinned, "signature does not verify under the pinned key"};
  }
  return *sign1;
}

std::optional<ListError> check_sequence(std::uint64_t sequence, const HighWaterMark& seen) {
  if (seen.refuses(sequence)) {
    return ListError{ListError::Kind::rollback,
                     "sequence " + std::to_string(sequence) +
                         " is lower than the highest this kiosk has held (" +
                         std::to_string(*seen.sequence()) + "): an older list put back"};
  }
  return std::nullopt;
}

}  // namespace kakunin::crypto
