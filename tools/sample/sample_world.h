// A TEST world on disk for field tests: keys, fictitious insurers and members, and
// the lists they publish. Everything it makes is marked test material.
//
// DIR/world.toml    insurers, their keys (files, periods), list sequence, revoked ids,
//                   the superseded certificate id the sheet's `revoked` case uses
// DIR/roster.toml   the fictitious members (editable by hand)
// DIR/keys/         private keys (0600) and the list key's public half
// DIR/trustlist.cose, DIR/revocations.cose   the published lists
#pragma once

#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::sample {

struct SampleKey {
  std::string file;  // relative to the world folder
  crypto::UnixSeconds not_before = 0;
  crypto::UnixSeconds not_after = 0;
};

struct SampleInsurer {
  std::string number;
  std::string name;
  crypto::Algorithm algorithm = crypto::Algorithm::es256;
  std::vector<SampleKey> keys;  // the last one signs new presentations
};

struct SampleMember {
  std::string id;
  crypto::Certificate certificate;
  crypto::Cti cti{};
};

struct SampleWorld {
  std::filesystem::path dir;
  std::uint64_t sequence = 1;
  std::vector<SampleInsurer> insurers;
  std::vector<SampleMember> members;
  std::vector<crypto::Cti> revoked;
  // The id of a certificate the world revoked at init, as if it had been reissued
  // (lost phone): printed sheets show it as their `revoked` case. Also in `revoked`.
  std::optional<crypto::Cti> superseded;

  // Makes a new world in `dir` (which must not hold one) at time `now`.
  static SampleWorld create(const std::filesystem::path& dir, crypto::UnixSeconds now);
  // Reads world.toml and roster.toml; throws std::runtime_error with the reason.
  static SampleWorld load(const std::filesystem::path& dir);

  // Writes world.toml and signs and writes both lists with the current sequence.
  void publish(crypto::UnixSeconds now) const;

  const SampleMember& member(const std::string& id) const;
  const SampleInsurer& insurer(const std::string& number) const;
  signer::SigningKey list_key() const;
  signer::SigningKey signing_key(const SampleInsurer& insurer) const;
  signer::SigningKey phone_key(const SampleMember& member) const;
  signer::SigningKey load_key(const std::string& relative_file) const;

  // The QR text a member's page shows at `at`: §5.1 signed by the insurer's
  // current key, or §5.2 with a credential issued up to an hour earlier (see
  // credential_start) and signed by the member's phone key.
  std::string present(const std::string& member_id, crypto::Profile profile,
                      crypto::UnixSeconds at) const;

  // Re-signs both lists with the next sequence number (lists are good for 7 days
  // plus the kiosk's grace; a long field test republishes them).
  void republish(crypto::UnixSeconds now);

  // A new key for the insurer; the previous one stops at `now` (rotated out).
  void rotate(const std::string& insurer_number, crypto::UnixSeconds now);
  void revoke(const std::string& member_id);
};

// When a §5.2 credential presented at `at` was issued: an hour earlier, but never
// before the insurer's current key began (right after a rotation it is issued
// with the new key, whose period must cover the credential's iat).
crypto::UnixSeconds credential_start(const SampleInsurer& insurer, crypto::UnixSeconds at);

// Writes a private key readable by its owner only (0600) before any byte lands.
void write_private_key(const std::filesystem::path& path, const signer::SigningKey& key);

}  // namespace kakunin::sample
