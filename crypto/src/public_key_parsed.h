// The inside of crypto::PublicKey, shared by the crypto library and the signer.
#pragma once

#include "openssl_ptr.h"

#include <kakunin/crypto/jhc1.h>

namespace kakunin::crypto {

struct PublicKey::Parsed {
  EvpPkeyPtr pkey;
  Bytes spki_der;
  Algorithm algorithm;
  Kid kid;
};

}  // namespace kakunin::crypto
