// JHC1 claims (spec §3–§5): turns the inflated COSE bytes of a QR into a parsed
// presentation of either profile, or a reason it is malformed. No signature is
// checked here; every view points into the caller's buffer.
#pragma once

#include "cbor_reader.h"
#include "cose_sign1.h"

#include <kakunin/crypto/jhc1.h>

#include <optional>
#include <string>

namespace kakunin::crypto {

struct ParsedPresentation {
  Profile profile;
  Sign1 presentation;              // the outer object (§5.1: insurer-signed; §5.2: holder-signed)
  Sign1 insurer_signed;            // §5.1: the same object; §5.2: the credential
  std::string insurer;             // iss of the insurer-signed object
  UnixSeconds insurer_iat;         // iat of the insurer-signed object (key period)
  UnixSeconds presented_at;        // iat of the outer presentation (freshness)
  std::optional<UnixSeconds> nbf;  // §5.2 credential only
  UnixSeconds exp;                 // §5.1 presentation exp, §5.2 credential exp
  Cti cti;                         // the revocation key
  Certificate certificate;
  std::optional<PublicKey> holder_key;  // §5.2: cnf
};

std::optional<ParsedPresentation> parse_presentation(ByteView cose, std::string* error);

// §4 `hic` map → Certificate, every rule of the table checked.
std::optional<Certificate> parse_hic(const cbor::Item& hic, std::string* error);

}  // namespace kakunin::crypto
