// kakunin-bench verify: full verification rates against the raw OpenSSL signature
// rate measured in the same run, and a large revocation list's load, look-up and
// memory.
#include "bench.h"

#include <kakunin/crypto/jhc1.h>
#include <kakunin/signer/signer.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace kakunin::bench {
namespace {

using crypto::Algorithm;
using crypto::Bytes;
using crypto::ByteView;
using signer::Cbor;
using signer::SigningKey;

constexpr crypto::UnixSeconds kNow = 1795132800;

// Rates of several measurements taken in interleaved rounds: a discarded warm-up
// round (caches, OpenSSL's lazily built tables, CPU clock), then three rounds, each
// measuring every item once. Each item's figure is its median, so a round disturbed
// by another process on a shared machine moves neither the figure nor the ratio
// between items much.
std::vector<double> interleaved_medians(const std::vector<std::function<void()>>& items,
                                        double seconds) {
  std::vector<std::vector<double>> rounds(items.size());
  for (int round = 0; round < 4; ++round) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const double rate = rate_per_second(items[i], 1, round == 0 ? seconds / 2 : seconds);
      if (round > 0) rounds[i].push_back(rate);
    }
  }
  std::vector<double> medians;
  medians.reserve(rounds.size());
  for (auto& r : rounds) medians.push_back(percentile(r, 0.5));
  return medians;
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

// The raw OpenSSL verification of one Sig_structure, as the verifier's last step.
std::function<void()> raw_verify(const SignedBytes& s) {
  return [&s] {
    const ByteView parts[] = {s.to_be_signed};
    if (!s.key.verify_signature(parts, s.signature)) std::abort();
  };
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
  signer::TrustListSpec spec{
      {1, kNow - 86400, kNow + 86400, false},
      {{number,
        "見本健康保険組合",
        {{insurer.spki_der(), alg, kNow - 86400L * 365, kNow + 86400L * 365, {}, {}}}}}};
  const auto pins = *crypto::PinnedKeys::from_keys({list_key.public_key()});
  const auto trust = crypto::TrustList::load(signer::make_trust_list(spec, list_key), pins,
                                             crypto::HighWaterMark::nothing_seen())
                         .value();
  const auto revocations =
      crypto::RevocationList::load(
          signer::make_revocation_list({spec.header, {signer::random_cti()}}, list_key), pins,
          crypto::HighWaterMark::nothing_seen())
          .value();
  const crypto::Verifier verifier(trust, revocations, crypto::Mode::production);

  std::string qr;
  std::vector<SignedBytes> signatures;  // what verify() checks, one or two
  if (!holder) {
    const signer::IssuerPresentation p{signer::sample_certificate(number), kNow, 300,
                                       signer::random_cti()};
    qr = signer::to_qr_text(signer::make_issuer_presentation(p, insurer));
    signatures.push_back(sign_claims(signer::protected_header(alg, insurer.kid()),
                                     signer::issuer_claims(p), insurer));
  } else {
    const signer::Credential c{signer::sample_certificate(number),
                               kNow - 86400,
                               kNow - 86400,
                               kNow + 86400,
                               signer::random_cti(),
                               phone.public_key()};
    const Bytes cred = signer::make_credential(c, insurer);
    qr = signer::to_qr_text(signer::make_holder_presentation(cred, kNow, phone));
    signatures.push_back(sign_claims(signer::protected_header(alg, insurer.kid()),
                                     signer::credential_claims(c), insurer));
    signatures.push_back(sign_claims(signer::protected_header(Algorithm::es256, std::nullopt),
                                     signer::holder_claims(cred, kNow), phone));
  }
  if (!verifier.verify(qr, kNow).is_valid()) std::abort();

  std::vector<std::function<void()>> items = {[&] { (void)verifier.verify(qr, kNow); }};
  for (const auto& signature : signatures) items.push_back(raw_verify(signature));
  const std::vector<double> rates = interleaved_medians(items, seconds);
  // Time per QR is the sum of the signatures' times: 1/(1/a + 1/b) for two.
  double raw_seconds_per_qr = 0;
  for (std::size_t i = 1; i < rates.size(); ++i) raw_seconds_per_qr += 1.0 / rates[i];
  const double rate = rates[0], raw = 1.0 / raw_seconds_per_qr;
  return {
      std::string(holder ? "holder-" : "issuer-") + (alg == Algorithm::es256 ? "es256" : "ed25519"),
      rate, raw};
}

struct RevocationFigures {
  std::size_t ids_bytes;
  double load_ms;
  double lookup_us;
  double rss_mib;         // resident growth from loading: the file buffer is the list
  double hwm_before_mib;  // process peak before loading (making the list is in it)
  double hwm_after_mib;
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
  const auto path = std::filesystem::temp_directory_path() /
                    ("kakunin-bench-revocations-" + std::to_string(getpid()) + ".cose");
  {
    const Bytes list =
        signer::make_revocation_list({{1, kNow, kNow + 86400, false}, ids}, list_key);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(list.data()),
               static_cast<std::streamsize>(list.size()));
  }
  // Probes: half listed ids, half fresh random ones.
  std::vector<crypto::Cti> probes(lookups);
  for (std::size_t i = 0; i < lookups; ++i) probes[i] = i % 2 ? ids[random() % count] : random_id();
  ids.clear();
  ids.shrink_to_fit();

  // Load: a warm-up, then the median of three loads, each from the file into a
  // fresh buffer. Memory is measured around the last one, with nothing else held.
  std::vector<double> load_times;
  std::shared_ptr<const crypto::RevocationList> list;
  Memory before, after;
  for (int round = 0; round < 4; ++round) {
    list.reset();
    release_free_memory();
    before = memory_now();
    const auto start = std::chrono::steady_clock::now();
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    Bytes bytes(static_cast<std::size_t>(file.tellg()));
    file.seekg(0);
    file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    const auto loaded =
        crypto::RevocationList::load(std::move(bytes), pins, crypto::HighWaterMark::nothing_seen());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!loaded.ok() || loaded.value()->size() != count) std::abort();
    list = loaded.value();
    after = memory_now();
    if (round > 0) load_times.push_back(ms);
  }
  std::filesystem::remove(path);
  const std::size_t ids_bytes = list->size() * sizeof(crypto::Cti);

  // Look-up: a warm-up pass, then the median of three passes over every probe.
  std::vector<double> lookup_times;
  for (int round = 0; round < 4; ++round) {
    std::size_t hits = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& probe : probes) hits += list->contains(probe);
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (hits < lookups / 2) std::abort();  // every listed probe must be found
    if (round > 0) lookup_times.push_back(us / static_cast<double>(lookups));
  }
  const double load_ms = percentile(load_times, 0.5), lookup_us = percentile(lookup_times, 0.5);
  return {ids_bytes,
          load_ms,
          lookup_us,
          (after.rss_kib - before.rss_kib) / 1024.0,
          before.hwm_kib / 1024.0,
          after.hwm_kib / 1024.0};
}

}  // namespace

int run_verify_bench(const BenchOptions& options) {
  const double seconds = options.quick ? 0.1 : 0.5;
  std::printf(
      "kakunin-bench verify%s: warm-up, then the median of 3 interleaved rounds of %.1f s each\n",
      options.quick ? " --quick" : "", seconds);
  std::printf(
      "Verifier::verify(qr_text, now) against PublicKey::verify_signature alone\n"
      "(one signature per issuer-signed QR, two per holder-bound QR)\n");
  std::printf("%-16s %12s %12s %7s  %s\n", "flavour", "verify/s", "raw-sig/s", "ratio", "goal");
  std::vector<Row> rows;
  for (const bool holder : {false, true}) {
    for (const Algorithm alg : {Algorithm::es256, Algorithm::ed25519}) {
      rows.push_back(bench_flavour(holder, alg, seconds));
      const Row& r = rows.back();
      const double ratio = r.verify_rate / r.raw_rate;
      std::printf("%-16s %12.0f %12.0f %7.2f  >= 0.70 %s\n", r.name.c_str(), r.verify_rate,
                  r.raw_rate, ratio, ratio >= 0.7 ? "met" : "MISSED");
    }
  }

  const std::size_t count = options.quick ? 100'000 : 1'000'000;
  const std::size_t lookups = 1'000'000;
  const auto rev = bench_revocations(count, lookups);
  const auto met = [](bool ok) { return ok ? "met" : "MISSED"; };
  std::printf("\nrevocation list of %zu random ids (%.1f MiB of ids), signed, read from a file:\n",
              count, static_cast<double>(rev.ids_bytes) / (1024.0 * 1024.0));
  std::printf("  %-46s %8.1f ms   goal < 300 ms  %s\n", "load (read file + RevocationList::load)",
              rev.load_ms, met(rev.load_ms < 300));
  std::printf("  %-46s %8.3f us   goal < 2 us    %s\n",
              "look-up (contains() x 1,000,000, half listed)", rev.lookup_us,
              met(rev.lookup_us < 2));
  std::printf("  %-46s %8.1f MiB  goal < 40 MiB  %s\n",
              "resident growth (VmRSS after - before load)", rev.rss_mib, met(rev.rss_mib < 40));
  std::printf("  %-46s %8.1f MiB  (before load %.1f; includes making the list)\n",
              "process peak (VmHWM)", rev.hwm_after_mib, rev.hwm_before_mib);

  std::printf("\nverify:");
  for (const Row& r : rows) {
    std::printf(" %s %.0f/s (ratio %.2f)", r.name.c_str(), r.verify_rate,
                r.verify_rate / r.raw_rate);
  }
  std::printf(" revocations: load %.1f ms lookup %.3f us rss %.1f MiB\n", rev.load_ms,
              rev.lookup_us, rev.rss_mib);
  return 0;
}

}  // namespace kakunin::bench
