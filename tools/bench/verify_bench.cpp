// kakunin-bench verify: full verification rates against the raw OpenSSL signature
// rate measured in the same run, and a large revocation list's load, look-up and
// memory.
#include "bench.h"

#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <random>
#include <vector>

namespace kakunin::bench {
namespace {

using crypto::Algorithm;
using crypto::Bytes;
using crypto::ByteView;
using signer::Cbor;
using signer::SigningKey;

constexpr crypto::UnixSeconds kNow = 1795132800;

double median_of_three(const std::function<double()>& measure) {
  double rounds[3] = {measure(), measure(), measure()};
  std::sort(rounds, rounds + 3);
  return rounds[1];
}

// One signature as the verifier sees it: key, to-be-signed bytes, signature.
struct SignedBytes {
  crypto::PublicKey key;
  Bytes to_be_signed;
  Bytes signature;
};

SignedBytes sign_claims(const Cbor& protected_map, const Cbor& claims, const SigningKey& key) {
  const Bytes tbs = signer::sig_structure(protected_map.encode(), claims.encode());
  return {key.public_key(), tbs, key.sign(tbs)};
}

double raw_rate(const SignedBytes& s, double seconds) {
  return median_of_three([&] {
    return rate_per_second(
        [&] {
          const ByteView parts[] = {s.to_be_signed};
          if (!s.key.verify_signature(parts, s.signature)) std::abort();
        },
        1, seconds);
  });
}

struct Row {
  std::string name;
  double verify_rate;
  double raw_rate;
};

Row bench_flavour(bool holder, Algorithm alg, double seconds) {
  const SigningKey list_key = SigningKey::generate(Algorithm::ed25519);
  const SigningKey insurer = SigningKey::generate(alg);
  const SigningKey phone = SigningKey::generate(Algorithm::es256);
  const std::string number = "06139992";
  signer::TrustListSpec spec{{1, kNow - 86400, kNow + 86400, false},
                             {{number, "見本健康保険組合",
                               {{insurer.spki_der(), alg, kNow - 86400 * 365, kNow + 86400 * 365, {}, {}}}}}};
  const auto pins = *crypto::PinnedKeys::from_keys({list_key.public_key()});
  const auto trust = crypto::TrustList::load(signer::make_trust_list(spec, list_key), pins).value();
  const auto revocations = crypto::RevocationList::load(
      signer::make_revocation_list({spec.header, {signer::random_cti()}}, list_key), pins).value();
  const crypto::Verifier verifier(trust, revocations, crypto::Mode::production);

  std::string qr;
  double raw;
  if (!holder) {
    const signer::IssuerPresentation p{signer::sample_certificate(number), kNow, 300, signer::random_cti()};
    qr = signer::to_qr_text(signer::make_issuer_presentation(p, insurer));
    raw = raw_rate(sign_claims(signer::protected_header(alg, insurer.kid()), signer::issuer_claims(p), insurer),
                   seconds);
  } else {
    const signer::Credential c{signer::sample_certificate(number), kNow - 86400, kNow - 86400, kNow + 86400,
                               signer::random_cti(), phone.public_key()};
    const Bytes cred = signer::make_credential(c, insurer);
    qr = signer::to_qr_text(signer::make_holder_presentation(cred, kNow, phone));
    const double insurer_rate = raw_rate(
        sign_claims(signer::protected_header(alg, insurer.kid()), signer::credential_claims(c), insurer), seconds);
    const double phone_rate = raw_rate(
        sign_claims(signer::protected_header(Algorithm::es256, std::nullopt), signer::holder_claims(cred, kNow), phone),
        seconds);
    raw = 1.0 / (1.0 / insurer_rate + 1.0 / phone_rate);  // two signatures per QR
  }
  if (!verifier.verify(qr, kNow).is_valid()) std::abort();
  const double rate = median_of_three([&] {
    return rate_per_second([&] { (void)verifier.verify(qr, kNow); }, 1, seconds);
  });
  return {std::string(holder ? "holder-" : "issuer-") + (alg == Algorithm::es256 ? "es256" : "ed25519"),
          rate, raw};
}

struct RevocationFigures {
  double load_ms;
  double lookup_us;
  double rss_mib;  // resident growth from loading: the file buffer is the list
};

RevocationFigures bench_revocations(std::size_t count, std::size_t lookups) {
  const SigningKey list_key = SigningKey::generate(Algorithm::es256);
  const auto pins = *crypto::PinnedKeys::from_keys({list_key.public_key()});
  std::mt19937_64 random(42);
  const auto random_id = [&] {
    crypto::Cti id;
    for (auto& byte : id) byte = static_cast<std::uint8_t>(random());
    return id;
  };
  std::vector<crypto::Cti> ids(count);
  for (auto& id : ids) id = random_id();
  const auto path = std::filesystem::temp_directory_path() / "kakunin-bench-revocations.cose";
  {
    const Bytes list = signer::make_revocation_list({{1, kNow, kNow + 86400, false}, ids}, list_key);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(list.data()), static_cast<std::streamsize>(list.size()));
  }
  // Probes: half listed ids, half fresh random ones.
  std::vector<crypto::Cti> probes(lookups);
  for (std::size_t i = 0; i < lookups; ++i) probes[i] = i % 2 ? ids[random() % count] : random_id();
  ids.clear();
  ids.shrink_to_fit();

  const Memory before = memory_now();
  const auto start = std::chrono::steady_clock::now();
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  Bytes bytes(static_cast<std::size_t>(file.tellg()));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const auto loaded = crypto::RevocationList::load(std::move(bytes), pins);
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!loaded.ok() || loaded.value()->size() != count) std::abort();
  const Memory after = memory_now();
  std::filesystem::remove(path);

  const auto& list = *loaded.value();
  std::size_t hits = 0;
  const auto lookup_start = std::chrono::steady_clock::now();
  for (const auto& probe : probes) hits += list.contains(probe);
  const double lookup_us = std::chrono::duration<double, std::micro>(
                               std::chrono::steady_clock::now() - lookup_start).count() /
                           static_cast<double>(lookups);
  if (hits < lookups / 2) std::abort();
  return {load_ms, lookup_us, (after.rss_kib - before.rss_kib) / 1024.0};
}

}  // namespace

int run_verify_bench(const BenchOptions& options) {
  const double seconds = options.quick ? 0.1 : 0.5;
  std::printf("kakunin-bench verify%s: median of 3 rounds of %.1f s each\n",
              options.quick ? " --quick" : "", seconds);
  std::printf("%-16s %14s %14s %8s  (goal: ratio >= 0.70)\n", "flavour", "verify/s",
              "raw-sig/s", "ratio");
  std::vector<Row> rows;
  for (const bool holder : {false, true}) {
    for (const Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
      rows.push_back(bench_flavour(holder, alg, seconds));
      const Row& r = rows.back();
      std::printf("%-16s %14.0f %14.0f %8.2f\n", r.name.c_str(), r.verify_rate, r.raw_rate,
                  r.verify_rate / r.raw_rate);
    }
  }
  const std::size_t count = options.quick ? 100'000 : 1'000'000;
  const auto rev = bench_revocations(count, 1'000'000);
  std::printf("revocation list of %zu ids: load %.1f ms (goal < 300), look-up %.3f us (goal < 2), "
              "resident %.1f MiB (goal < 40)\n",
              count, rev.load_ms, rev.lookup_us, rev.rss_mib);
  std::printf("verify:");
  for (const Row& r : rows) std::printf(" %s %.0f/s (%.2f)", r.name.c_str(), r.verify_rate, r.verify_rate / r.raw_rate);
  std::printf(" revocations: load %.1f ms lookup %.3f us rss %.1f MiB\n", rev.load_ms, rev.lookup_us,
              rev.rss_mib);
  return 0;
}

}  // namespace kakunin::bench
