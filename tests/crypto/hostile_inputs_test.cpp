// A corpus of hostile QR texts, each with the exact verdict the kiosk must show.
// Most are built with valid signatures so that only the structure can refuse them.
#include "test_world.h"

#include <gtest/gtest.h>

#include <functional>

namespace kakunin::testing {
namespace {

using crypto::Bytes;
using crypto::Verdict;
using signer::Cbor;
using signer::SigningKey;

constexpr std::int64_t kIss = 1, kExp = 4, kIat = 6, kCti = 7, kCnf = 8;
constexpr std::int64_t kHic = -65537, kCred = -65538;

// Builders over one shared production world.
struct Kit {
  TestWorld world;
  crypto::Verifier verifier = world.verifier();
  const SigningKey& es_key() const { return world.es256_insurer.key; }
  const SigningKey& ed_key() const { return world.ed25519_insurer.key; }

  Cbor claims() const {
    return signer::issuer_claims(world.issuer_presentation(Algorithm::es256, kNow));
  }
  Cbor header() const { return signer::protected_header(Algorithm::es256, es_key().kid()); }

  std::string sign(Cbor protected_map, Cbor unprotected, Bytes payload,
                   const SigningKey& key) const {
    return signer::to_qr_text(
        signer::sign1({std::move(protected_map), std::move(unprotected), std::move(payload)}, key));
  }
  // §5.1 with edited claims, validly signed by the ES256 insurer.
  std::string issuer_qr(const Cbor& claims_map) const {
    return sign(header(), Cbor::map(), claims_map.encode(), es_key());
  }
  std::string with_claims(const std::function<void(Cbor&)>& edit) const {
    Cbor c = claims();
    edit(c);
    return issuer_qr(c);
  }
  std::string with_hic(const std::function<void(Cbor&)>& edit) const {
    return with_claims([&](Cbor& c) {
      for (auto& [key, value] : c.entries()) {
        if (key == Cbor::integer(kHic)) edit(value);
      }
    });
  }
  // The valid §5.1 COSE bytes and QR text.
  Bytes cose() const { return signer::sign1({header(), Cbor::map(), claims().encode()}, es_key()); }
  std::string valid() const { return signer::to_qr_text(cose()); }
  // "JHC1:" + Base45 of exactly these bytes (no zlib added).
  static std::string raw(const Bytes& compressed) {
    return "JHC1:" + signer::base45_encode(compressed);
  }

  // §5.2 pieces.
  signer::Credential credential() const { return world.credential(Algorithm::es256); }
  Bytes credential_cose(const Cbor& claims_map, const SigningKey& key) const {
    return signer::sign1(
        {signer::protected_header(key.algorithm(), key.kid()), Cbor::map(), claims_map.encode()},
        key);
  }
  std::string holder_qr(const Bytes& cred, const SigningKey& holder) const {
    return signer::to_qr_text(signer::make_holder_presentation(cred, kNow, holder));
  }
  std::string holder_with_credential_claims(const std::function<void(Cbor&)>& edit) const {
    Cbor c = signer::credential_claims(credential());
    edit(c);
    return holder_qr(credential_cose(c, es_key()), world.holder_key);
  }
  std::string holder_with_cose_key(const std::function<void(Cbor&)>& edit) const {
    return holder_with_credential_claims([&](Cbor& c) {
      Cbor key = signer::cose_ec2_key(world.holder_key.public_key());
      edit(key);
      c.set(kCnf, Cbor::map({{Cbor::integer(1), key}}));
    });
  }
  // A holder presentation with a hand-made outer object.
  std::string holder_outer(Cbor protected_map, const Cbor& claims_map,
                           const SigningKey& key) const {
    return sign(std::move(protected_map), Cbor::map(), claims_map.encode(), key);
  }
  Bytes valid_credential() const { return signer::make_credential(credential(), es_key()); }
};

const Kit& kit() {
  static const Kit* instance = new Kit();  // shared by every case; never destroyed mid-run
  return *instance;
}

Cbor nested_arrays(int depth) {
  Cbor inner = Cbor::array();
  for (int i = 1; i < depth; ++i) inner = Cbor::array({std::move(inner)});
  return inner;
}

Bytes zlib_of(const Bytes& data) { return signer::zlib_compress(data); }

Bytes flip(Bytes bytes, std::size_t index) {
  bytes.at(index) ^= 0x01;
  return bytes;
}

struct HostileCase {
  std::string name;
  std::function<std::string(const Kit&)> make;
  Verdict expected;
};

std::vector<HostileCase> text_and_compression_cases() {
  return {
      {"empty_text", [](const Kit&) { return std::string(); }, Verdict::not_jhc1},
      {"prefix_without_colon", [](const Kit& k) { return "JHC1" + k.valid().substr(5); },
       Verdict::not_jhc1},
      {"lowercase_prefix", [](const Kit& k) { return "jhc1:" + k.valid().substr(5); },
       Verdict::not_jhc1},
      {"url_qr", [](const Kit&) { return std::string("https://example.jp/cert"); },
       Verdict::not_jhc1},
      {"leading_space", [](const Kit& k) { return " " + k.valid(); }, Verdict::not_jhc1},
      {"prefix_only", [](const Kit&) { return std::string("JHC1:"); }, Verdict::malformed},
      {"base45_lowercase",
       [](const Kit& k) {
         std::string t = k.valid();
         for (std::size_t i = 5; i < t.size(); ++i) t[i] = static_cast<char>(std::tolower(t[i]));
         return t;
       },
       Verdict::malformed},
      {"base45_bad_character",
       [](const Kit& k) {
         std::string t = k.valid();
         t[10] = '#';
         return t;
       },
       Verdict::malformed},
      {"base45_length_3n_plus_1",
       [](const Kit& k) {
         std::string t = k.valid();
         return t.substr(0, 5 + (t.size() - 5) / 3 * 3) + "A";
       },
       Verdict::malformed},
      {"base45_group_over_65535", [](const Kit&) { return std::string("JHC1::::"); },
       Verdict::malformed},
      {"truncated_by_one",
       [](const Kit& k) {
         std::string t = k.valid();
         return t.substr(0, t.size() - 1);
       },
       Verdict::malformed},
      {"truncated_by_three",
       [](const Kit& k) {
         std::string t = k.valid();
         return t.substr(0, t.size() - 3);
       },
       Verdict::malformed},
      {"truncated_to_half",
       [](const Kit& k) {
         std::string t = k.valid();
         return t.substr(0, 5 + (t.size() - 5) / 6 * 3);
       },
       Verdict::malformed},
      {"truncated_to_ten_characters", [](const Kit& k) { return k.valid().substr(0, 11); },
       Verdict::malformed},
      {"trailing_newline", [](const Kit& k) { return k.valid() + "\n"; }, Verdict::malformed},
      {"longer_than_any_qr", [](const Kit&) { return "JHC1:" + std::string(4300, '0'); },
       Verdict::malformed},
      {"not_compressed", [](const Kit& k) { return Kit::raw(k.cose()); }, Verdict::malformed},
      {"raw_deflate_without_zlib_header",
       [](const Kit& k) {
         const Bytes z = zlib_of(k.cose());
         return Kit::raw(Bytes(z.begin() + 2, z.end() - 4));
       },
       Verdict::malformed},
      {"zlib_bad_adler32",
       [](const Kit& k) {
         const Bytes z = zlib_of(k.cose());
         return Kit::raw(flip(z, z.size() - 1));
       },
       Verdict::malformed},
      {"zlib_bad_header_check", [](const Kit& k) { return Kit::raw(flip(zlib_of(k.cose()), 1)); },
       Verdict::malformed},
      {"zlib_bytes_after_stream",
       [](const Kit& k) {
         Bytes z = zlib_of(k.cose());
         z.push_back(0);
         return Kit::raw(z);
       },
       Verdict::malformed},
      {"zlib_two_streams",
       [](const Kit& k) {
         Bytes z = zlib_of(k.cose());
         const Bytes again = z;
         z.insert(z.end(), again.begin(), again.end());
         return Kit::raw(z);
       },
       Verdict::malformed},
      {"zlib_bomb", [](const Kit&) { return Kit::raw(zlib_of(Bytes(10'000'000, 0))); },
       Verdict::malformed},
      {"inflates_to_8193_bytes", [](const Kit&) { return Kit::raw(zlib_of(Bytes(8193, 0xa0))); },
       Verdict::malformed},
      {"zlib_truncated_stream",
       [](const Kit& k) {
         const Bytes z = zlib_of(k.cose());
         return Kit::raw(Bytes(z.begin(), z.end() - 6));
       },
       Verdict::malformed},
      {"empty_zlib_payload", [](const Kit&) { return Kit::raw(zlib_of(Bytes{})); },
       Verdict::malformed},
  };
}

std::vector<HostileCase> cose_cases() {
  return {
      {"untagged_cose_sign1",
       [](const Kit& k) {
         const Cbor h = k.header();
         const Bytes payload = k.claims().encode();
         const Bytes sig = k.es_key().sign(signer::sig_structure(h.encode(), payload));
         return signer::to_qr_text(signer::assemble_sign1({h, Cbor::map(), payload}, sig, false));
       },
       Verdict::malformed},
      {"cwt_tag_61_around_cose",
       [](const Kit& k) {
         Bytes inner = k.cose();
         Bytes outer = {0xd8, 0x3d};
         outer.insert(outer.end(), inner.begin(), inner.end());
         return signer::to_qr_text(outer);
       },
       Verdict::malformed},
      {"cose_mac0_tag_17",
       [](const Kit& k) {
         Bytes b = k.cose();
         b[0] = 0xd1;
         return signer::to_qr_text(b);
       },
       Verdict::malformed},
      {"cose_array_of_three",
       [](const Kit& k) {
         return signer::to_qr_text(
             Cbor::tag(18, Cbor::array({Cbor::bytes(k.header().encode()), Cbor::map(),
                                        Cbor::bytes(k.claims().encode())}))
                 .encode());
       },
       Verdict::malformed},
      {"cose_array_of_five",
       [](const Kit& k) {
         const Bytes payload = k.claims().encode();
         const Bytes sig = k.es_key().sign(signer::sig_structure(k.header().encode(), payload));
         return signer::to_qr_text(
             Cbor::tag(18, Cbor::array({Cbor::bytes(k.header().encode()), Cbor::map(),
                                        Cbor::bytes(payload), Cbor::bytes(sig), Cbor::null()}))
                 .encode());
       },
       Verdict::malformed},
      {"cose_indefinite_outer_array",
       [](const Kit& k) {
         const Bytes payload = k.claims().encode();
         const Bytes sig = k.es_key().sign(signer::sig_structure(k.header().encode(), payload));
         Cbor array = Cbor::array({Cbor::bytes(k.header().encode()), Cbor::map(),
                                   Cbor::bytes(payload), Cbor::bytes(sig)});
         array.with_indefinite_length();
         return signer::to_qr_text(Cbor::tag(18, array).encode());
       },
       Verdict::malformed},
      {"kid_in_unprotected_header",
       [](const Kit& k) {
         return k.sign(signer::protected_header(Algorithm::es256, std::nullopt),
                       Cbor::map({{Cbor::integer(4), Cbor::bytes(k.es_key().kid())}}),
                       k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"kid_in_both_headers",
       [](const Kit& k) {
         return k.sign(k.header(), Cbor::map({{Cbor::integer(4), Cbor::bytes(k.es_key().kid())}}),
                       k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"content_type_in_unprotected_header",
       [](const Kit& k) {
         return k.sign(k.header(), Cbor::map({{Cbor::integer(3), Cbor::integer(61)}}),
                       k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"unprotected_header_not_a_map",
       [](const Kit& k) {
         return k.sign(k.header(), Cbor::array(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"protected_header_as_map_not_bstr",
       [](const Kit& k) {
         const Bytes payload = k.claims().encode();
         const Bytes sig = k.es_key().sign(signer::sig_structure(k.header().encode(), payload));
         return signer::to_qr_text(
             Cbor::tag(
                 18, Cbor::array({k.header(), Cbor::map(), Cbor::bytes(payload), Cbor::bytes(sig)}))
                 .encode());
       },
       Verdict::malformed},
      {"protected_header_without_alg",
       [](const Kit& k) {
         return k.sign(Cbor::map({{Cbor::integer(4), Cbor::bytes(k.es_key().kid())}}), Cbor::map(),
                       k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"alg_es384",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(1, Cbor::integer(-35));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"alg_as_text",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(1, Cbor::text("ES256"));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"extra_protected_label",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(3, Cbor::integer(61));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"protected_crit_label",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(2, Cbor::array({Cbor::integer(99)}));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"kid_of_seven_bytes",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(4, Cbor::bytes(Bytes(7, 1)));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"kid_of_nine_bytes",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(4, Cbor::bytes(Bytes(9, 1)));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"kid_as_text",
       [](const Kit& k) {
         Cbor h = k.header();
         h.set(4, Cbor::text("12345678"));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"duplicate_alg_in_protected_header",
       [](const Kit& k) {
         Cbor h = k.header();
         h.append(Cbor::integer(1), Cbor::integer(-7));
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"indefinite_protected_header",
       [](const Kit& k) {
         Cbor h = k.header();
         h.with_indefinite_length();
         return k.sign(h, Cbor::map(), k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"issuer_presentation_without_kid",
       [](const Kit& k) {
         return k.sign(signer::protected_header(Algorithm::es256, std::nullopt), Cbor::map(),
                       k.claims().encode(), k.es_key());
       },
       Verdict::malformed},
      {"detached_payload_nil",
       [](const Kit& k) {
         const Bytes sig =
             k.es_key().sign(signer::sig_structure(k.header().encode(), k.claims().encode()));
         return signer::to_qr_text(
             Cbor::tag(18, Cbor::array({Cbor::bytes(k.header().encode()), Cbor::map(), Cbor::null(),
                                        Cbor::bytes(sig)}))
                 .encode());
       },
       Verdict::malformed},
      {"der_signature",
       [](const Kit& k) {
         const Bytes payload = k.claims().encode();
         const Bytes der = k.es_key().sign_der(signer::sig_structure(k.header().encode(), payload));
         return signer::to_qr_text(signer::assemble_sign1({k.header(), Cbor::map(), payload}, der));
       },
       Verdict::malformed},
      {"signature_of_63_bytes",
       [](const Kit& k) {
         return signer::to_qr_text(
             signer::assemble_sign1({k.header(), Cbor::map(), k.claims().encode()}, Bytes(63, 1)));
       },
       Verdict::malformed},
      {"signature_of_65_bytes",
       [](const Kit& k) {
         return signer::to_qr_text(
             signer::assemble_sign1({k.header(), Cbor::map(), k.claims().encode()}, Bytes(65, 1)));
       },
       Verdict::malformed},
      {"empty_signature",
       [](const Kit& k) {
         return signer::to_qr_text(
             signer::assemble_sign1({k.header(), Cbor::map(), k.claims().encode()}, Bytes{}));
       },
       Verdict::malformed},
      {"trailing_byte_after_cose",
       [](const Kit& k) {
         Bytes b = k.cose();
         b.push_back(0x00);
         return signer::to_qr_text(b);
       },
       Verdict::malformed},
      {"bstr_claiming_2_pow_63_bytes",
       [](const Kit&) {
         return signer::to_qr_text(Bytes{0xd2, 0x84, 0x5b, 0x80, 0, 0, 0, 0, 0, 0, 0, 0xa0});
       },
       Verdict::malformed},
      {"array_claiming_2_pow_32_items",
       [](const Kit&) {
         return signer::to_qr_text(Bytes{0xd2, 0x9a, 0xff, 0xff, 0xff, 0xff, 0x40});
       },
       Verdict::malformed},
      {"cose_nested_17_deep",
       [](const Kit&) { return signer::to_qr_text(Cbor::tag(18, nested_arrays(17)).encode()); },
       Verdict::malformed},
      {"signature_bit_flipped",
       [](const Kit& k) {
         const Bytes b = k.cose();
         return signer::to_qr_text(flip(b, b.size() - 1));
       },
       Verdict::bad_signature},
      {"payload_bit_flipped_in_name",
       [](const Kit& k) {
         Bytes b = k.cose();
         const std::string text = "見本 太郎";
         const Bytes name(text.begin(), text.end());
         auto it = std::search(b.begin(), b.end(), name.begin(), name.end());
         if (it == b.end()) return std::string("name not found");  // fails the case
         it[2] ^= 0x01;  // still valid UTF-8: one kanji becomes another
         return signer::to_qr_text(b);
       },
       Verdict::bad_signature},
      {"protected_kid_bit_flipped",
       [](const Kit& k) {
         Bytes b = k.cose();
         const auto kid = k.es_key().kid();
         auto it = std::search(b.begin(), b.end(), kid.begin(), kid.end());
         if (it == b.end()) return std::string("kid not found");  // fails the case
         *it ^= 0x01;
         return signer::to_qr_text(b);
       },
       Verdict::unknown_key},
      {"es256_header_on_an_ed25519_kid",
       [](const Kit& k) {
         Cbor c = signer::issuer_claims(k.world.issuer_presentation(Algorithm::ed25519));
         return k.sign(signer::protected_header(Algorithm::es256, k.ed_key().kid()), Cbor::map(),
                       c.encode(), k.es_key());
       },
       Verdict::bad_signature},
      {"eddsa_header_on_an_es256_kid",
       [](const Kit& k) {
         return k.sign(signer::protected_header(Algorithm::ed25519, k.es_key().kid()), Cbor::map(),
                       k.claims().encode(), k.ed_key());
       },
       Verdict::bad_signature},
      {"signed_by_an_unlisted_key_under_a_listed_kid",
       [](const Kit& k) {
         const SigningKey impostor = SigningKey::generate(Algorithm::es256);
         return k.sign(k.header(), Cbor::map(), k.claims().encode(), impostor);
       },
       Verdict::bad_signature},
  };
}

std::vector<HostileCase> claims_cases() {
  return {
      {"claims_not_a_map",
       [](const Kit& k) {
         return k.sign(k.header(), Cbor::map(), Cbor::array({Cbor::integer(1)}).encode(),
                       k.es_key());
       },
       Verdict::malformed},
      {"claims_empty_payload",
       [](const Kit& k) { return k.sign(k.header(), Cbor::map(), Bytes{}, k.es_key()); },
       Verdict::malformed},
      {"claims_trailing_bytes",
       [](const Kit& k) {
         Bytes p = k.claims().encode();
         p.push_back(0);
         return k.sign(k.header(), Cbor::map(), p, k.es_key());
       },
       Verdict::malformed},
      {"claims_indefinite_map",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.with_indefinite_length(); }); },
       Verdict::malformed},
      {"claims_duplicate_iat",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.append(Cbor::integer(kIat), Cbor::integer(kNow)); });
       },
       Verdict::malformed},
      {"claims_duplicate_iat_in_longer_encoding",
       [](const Kit& k) {
         Bytes p = k.claims().encode();
         // Replace the map head (5 entries) by 6 and append key 6 encoded as 0x1806.
         p[0] = 0xa6;
         const Bytes extra = {0x18, 0x06, 0x1a, 0x6a, 0xff, 0x8b, 0x00};
         p.insert(p.end(), extra.begin(), extra.end());
         return k.sign(k.header(), Cbor::map(), p, k.es_key());
       },
       Verdict::malformed},
      {"missing_iat", [](const Kit& k) { return k.with_claims([](Cbor& c) { c.erase(kIat); }); },
       Verdict::malformed},
      {"missing_exp", [](const Kit& k) { return k.with_claims([](Cbor& c) { c.erase(kExp); }); },
       Verdict::malformed},
      {"missing_cti", [](const Kit& k) { return k.with_claims([](Cbor& c) { c.erase(kCti); }); },
       Verdict::malformed},
      {"missing_iss", [](const Kit& k) { return k.with_claims([](Cbor& c) { c.erase(kIss); }); },
       Verdict::malformed},
      {"neither_hic_nor_cred",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.erase(kHic); }); },
       Verdict::malformed},
      {"both_hic_and_cred",
       [](const Kit& k) {
         return k.with_claims([&](Cbor& c) { c.set(kCred, Cbor::bytes(k.valid_credential())); });
       },
       Verdict::malformed},
      {"iat_as_float",
       [](const Kit& k) {
         return k.with_claims(
             [](Cbor& c) { c.set(kIat, Cbor::float64(static_cast<double>(kNow))); });
       },
       Verdict::malformed},
      {"exp_as_float",
       [](const Kit& k) {
         return k.with_claims(
             [](Cbor& c) { c.set(kExp, Cbor::float64(static_cast<double>(kNow + 300))); });
       },
       Verdict::malformed},
      {"iat_as_text",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kIat, Cbor::text("1795132800")); });
       },
       Verdict::malformed},
      {"iat_negative",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.set(kIat, Cbor::integer(-1)); }); },
       Verdict::malformed},
      {"iat_beyond_int64",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kIat, Cbor::uint(UINT64_MAX)); });
       },
       Verdict::malformed},
      {"iat_tagged_as_epoch_time",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kIat, Cbor::tag(1, Cbor::integer(kNow))); });
       },
       Verdict::malformed},
      {"cti_of_15_bytes",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kCti, Cbor::bytes(Bytes(15, 7))); });
       },
       Verdict::malformed},
      {"cti_as_text",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kCti, Cbor::text("0123456789abcdef")); });
       },
       Verdict::malformed},
      {"iss_as_integer",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kIss, Cbor::integer(6139992)); });
       },
       Verdict::malformed},
      {"lifetime_of_301_seconds",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kExp, Cbor::integer(kNow + 301)); });
       },
       Verdict::malformed},
      {"exp_equal_to_iat",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kExp, Cbor::integer(kNow)); });
       },
       Verdict::malformed},
      {"iss_differs_from_hic_ins",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(kIss, Cbor::text("33120015")); });
       },
       Verdict::malformed},
      {"credential_shown_alone",
       [](const Kit& k) { return signer::to_qr_text(k.valid_credential()); }, Verdict::malformed},
      {"unknown_claim_nested_17_deep",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.set(99, nested_arrays(16)); }); },
       Verdict::malformed},
      {"unknown_claim_nested_16_deep_is_ignored",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.set(99, nested_arrays(15)); }); },
       Verdict::valid},
      {"unknown_claim_with_float_is_ignored",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) { c.set(-70000, Cbor::float64(1.5)); });
       },
       Verdict::valid},
      {"unknown_claim_indefinite_string",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) {
           Cbor t = Cbor::text("x");
           t.with_indefinite_length();
           c.set(99, t);
         });
       },
       Verdict::malformed},
      {"hic_not_a_map",
       [](const Kit& k) { return k.with_claims([](Cbor& c) { c.set(kHic, Cbor::array()); }); },
       Verdict::malformed},
  };
}

std::vector<HostileCase> hic_cases() {
  const auto set = [](const char* key, Cbor value) {
    return [key, value](const Kit& k) { return k.with_hic([&](Cbor& h) { h.set(key, value); }); };
  };
  const auto drop = [](const char* key) {
    return [key](const Kit& k) { return k.with_hic([&](Cbor& h) { h.erase(key); }); };
  };
  return {
      {"hic_missing_name", drop("nm"), Verdict::malformed},
      {"hic_missing_number", drop("num"), Verdict::malformed},
      {"hic_missing_branch", drop("br"), Verdict::malformed},
      {"hic_missing_birth_date", drop("dob"), Verdict::malformed},
      {"hic_missing_valid_until", drop("vu"), Verdict::malformed},
      {"hic_missing_issue_date", drop("isd"), Verdict::malformed},
      {"hic_missing_category", drop("cat"), Verdict::malformed},
      {"hic_missing_version", drop("v"), Verdict::malformed},
      {"hic_empty_name", set("nm", Cbor::text("")), Verdict::malformed},
      {"hic_name_invalid_utf8",
       [](const Kit& k) {
         return k.with_hic([](Cbor& h) { h.set("nm", Cbor::text(std::string("\xe8\xa6", 2))); });
       },
       Verdict::malformed},
      {"hic_name_as_bytes", set("nm", Cbor::bytes(Bytes{0x41})), Verdict::malformed},
      {"hic_version_2", set("v", Cbor::integer(2)), Verdict::malformed},
      {"hic_sex_3", set("sex", Cbor::integer(3)), Verdict::malformed},
      {"hic_relationship_3", set("rel", Cbor::integer(3)), Verdict::malformed},
      {"hic_branch_of_three_digits", set("br", Cbor::text("001")), Verdict::malformed},
      {"hic_branch_not_digits", set("br", Cbor::text("0a")), Verdict::malformed},
      {"hic_branch_fullwidth_digits", set("br", Cbor::text("０１")), Verdict::malformed},
      {"hic_birth_date_feb_29_2023", set("dob", Cbor::integer(20230229)), Verdict::malformed},
      {"hic_valid_until_month_13", set("vu", Cbor::integer(20261301)), Verdict::malformed},
      {"hic_birth_date_as_text", set("dob", Cbor::text("19800401")), Verdict::malformed},
      {"hic_ratio_4", set("ratio", Cbor::integer(4)), Verdict::malformed},
      {"hic_category_0", set("cat", Cbor::integer(0)), Verdict::malformed},
      {"hic_category_2_without_reason", set("cat", Cbor::integer(2)), Verdict::malformed},
      {"hic_reason_with_category_1", set("rsn", Cbor::integer(1)), Verdict::malformed},
      {"hic_reason_5",
       [](const Kit& k) {
         return k.with_hic([](Cbor& h) {
           h.set("cat", Cbor::integer(2));
           h.set("rsn", Cbor::integer(5));
         });
       },
       Verdict::malformed},
      {"hic_category_2_with_reason_is_valid",
       [](const Kit& k) {
         return k.with_hic([](Cbor& h) {
           h.set("cat", Cbor::integer(2));
           h.set("rsn", Cbor::integer(9));
         });
       },
       Verdict::valid},
      {"hic_duplicate_name",
       [](const Kit& k) {
         return k.with_hic([](Cbor& h) { h.append(Cbor::text("nm"), Cbor::text("別人")); });
       },
       Verdict::malformed},
      {"hic_unknown_key_is_ignored", set("xyz", Cbor::array({Cbor::integer(1)})), Verdict::valid},
      {"hic_wrong_check_digit",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) {
           c.set(kIss, Cbor::text("06139993"));
           for (auto& [key, value] : c.entries())
             if (key == Cbor::integer(kHic)) value.set("ins", Cbor::text("06139993"));
         });
       },
       Verdict::malformed},
      {"hic_seven_digit_insurer",
       [](const Kit& k) {
         return k.with_claims([](Cbor& c) {
           c.set(kIss, Cbor::text("0613999"));
           for (auto& [key, value] : c.entries())
             if (key == Cbor::integer(kHic)) value.set("ins", Cbor::text("0613999"));
         });
       },
       Verdict::malformed},
  };
}

std::vector<HostileCase> holder_cases() {
  return {
      {"holder_presentation_with_kid",
       [](const Kit& k) {
         return k.holder_outer(signer::protected_header(Algorithm::es256, k.world.holder_key.kid()),
                               signer::holder_claims(k.valid_credential(), kNow),
                               k.world.holder_key);
       },
       Verdict::malformed},
      {"holder_presentation_without_iat",
       [](const Kit& k) {
         Cbor c = signer::holder_claims(k.valid_credential(), kNow);
         c.erase(kIat);
         return k.holder_outer(signer::protected_header(Algorithm::es256, std::nullopt), c,
                               k.world.holder_key);
       },
       Verdict::malformed},
      {"cred_as_text",
       [](const Kit& k) {
         Cbor c = signer::holder_claims(k.valid_credential(), kNow);
         c.set(kCred, Cbor::text("credential"));
         return k.holder_outer(signer::protected_header(Algorithm::es256, std::nullopt), c,
                               k.world.holder_key);
       },
       Verdict::malformed},
      {"cred_not_tagged",
       [](const Kit& k) {
         Bytes cred = k.valid_credential();
         cred.erase(cred.begin());  // drop the 0xd2 tag byte
         return k.holder_qr(cred, k.world.holder_key);
       },
       Verdict::malformed},
      {"cred_with_trailing_byte",
       [](const Kit& k) {
         Bytes cred = k.valid_credential();
         cred.push_back(0);
         return k.holder_qr(cred, k.world.holder_key);
       },
       Verdict::malformed},
      {"credential_without_kid",
       [](const Kit& k) {
         const Bytes cred =
             signer::sign1({signer::protected_header(Algorithm::es256, std::nullopt), Cbor::map(),
                            signer::credential_claims(k.credential()).encode()},
                           k.es_key());
         return k.holder_qr(cred, k.world.holder_key);
       },
       Verdict::malformed},
      {"credential_wrapping_a_credential",
       [](const Kit& k) {
         return k.holder_with_credential_claims([&](Cbor& c) {
           c.erase(kHic);
           c.set(kCred, Cbor::bytes(k.valid_credential()));
         });
       },
       Verdict::malformed},
      {"credential_without_cnf",
       [](const Kit& k) { return k.holder_with_credential_claims([](Cbor& c) { c.erase(kCnf); }); },
       Verdict::malformed},
      {"credential_without_nbf",
       [](const Kit& k) { return k.holder_with_credential_claims([](Cbor& c) { c.erase(5); }); },
       Verdict::malformed},
      {"credential_longer_than_40_days",
       [](const Kit& k) {
         return k.holder_with_credential_claims(
             [](Cbor& c) { c.set(kExp, Cbor::integer(kNow - 86400 + 3456001)); });
       },
       Verdict::malformed},
      {"credential_iss_differs_from_hic",
       [](const Kit& k) {
         return k.holder_with_credential_claims([](Cbor& c) { c.set(kIss, Cbor::text("138057")); });
       },
       Verdict::malformed},
      {"cnf_with_extra_method",
       [](const Kit& k) {
         return k.holder_with_credential_claims([&](Cbor& c) {
           c.set(
               kCnf,
               Cbor::map({{Cbor::integer(1), signer::cose_ec2_key(k.world.holder_key.public_key())},
                          {Cbor::integer(3), Cbor::bytes(Bytes(8, 1))}}));
         });
       },
       Verdict::malformed},
      {"cose_key_duplicate_x",
       [](const Kit& k) {
         return k.holder_with_cose_key(
             [](Cbor& key) { key.append(Cbor::integer(-2), Cbor::bytes(Bytes(32, 1))); });
       },
       Verdict::malformed},
      {"cose_key_x_of_31_bytes",
       [](const Kit& k) {
         return k.holder_with_cose_key([](Cbor& key) { key.set(-2, Cbor::bytes(Bytes(31, 1))); });
       },
       Verdict::malformed},
      {"cose_key_point_not_on_curve",
       [](const Kit& k) {
         return k.holder_with_cose_key([](Cbor& key) {
           key.set(-2, Cbor::bytes(Bytes(32, 1)));
           key.set(-3, Cbor::bytes(Bytes(32, 2)));
         });
       },
       Verdict::malformed},
      {"cose_key_okp_kty",
       [](const Kit& k) {
         return k.holder_with_cose_key([](Cbor& key) { key.set(1, Cbor::integer(1)); });
       },
       Verdict::malformed},
      {"cose_key_p384_curve",
       [](const Kit& k) {
         return k.holder_with_cose_key([](Cbor& key) { key.set(-1, Cbor::integer(2)); });
       },
       Verdict::malformed},
      {"cose_key_with_alg_es256_is_accepted",
       [](const Kit& k) {
         return k.holder_with_cose_key([](Cbor& key) { key.set(3, Cbor::integer(-7)); });
       },
       Verdict::valid},
      {"credential_with_bad_insurer_signature",
       [](const Kit& k) {
         const Bytes cred = k.valid_credential();
         return k.holder_qr(flip(cred, cred.size() - 1), k.world.holder_key);
       },
       Verdict::bad_signature},
      {"presentation_signed_by_another_phone",
       [](const Kit& k) {
         return k.holder_qr(k.valid_credential(), SigningKey::generate(Algorithm::es256));
       },
       Verdict::bad_holder_signature},
      {"holder_presentation_with_eddsa_alg",
       [](const Kit& k) {
         return k.holder_outer(signer::protected_header(Algorithm::ed25519, std::nullopt),
                               signer::holder_claims(k.valid_credential(), kNow), k.ed_key());
       },
       Verdict::bad_holder_signature},
      {"holder_presentation_signed_by_insurer_key",
       [](const Kit& k) {
         return k.holder_outer(signer::protected_header(Algorithm::es256, std::nullopt),
                               signer::holder_claims(k.valid_credential(), kNow), k.es_key());
       },
       Verdict::bad_holder_signature},
  };
}

// Claims with extra raw pairs appended after the five of §5.1 (the head grows to
// match): keys written byte by byte, in encodings the signer's Cbor never makes.
std::string claims_with_raw_pairs(const Kit& k, const std::vector<Bytes>& pairs) {
  Bytes p = k.claims().encode();
  p[0] = static_cast<std::uint8_t>(0xa5 + pairs.size());
  for (const Bytes& pair : pairs) p.insert(p.end(), pair.begin(), pair.end());
  return k.sign(k.header(), Cbor::map(), p, k.es_key());
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// RFC 8949 §5.6: keys are duplicates when equal by value, whatever their encoding.
// Each pair below is one key twice (malformed), or two keys that only look alike
// (valid: unknown labels are ignored).
std::vector<HostileCase> equal_key_cases() {
  const Bytes v = {0x00};  // every value: 0
  const Bytes half_one = {0xf9, 0x3c, 0x00};
  const Bytes single_one = {0xfa, 0x3f, 0x80, 0x00, 0x00};
  const Bytes double_one = {0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
  const Bytes half_nan = {0xf9, 0x7e, 0x00};
  const Bytes single_nan = {0xfa, 0x7f, 0xc0, 0x00, 0x00};
  const Bytes half_zero = {0xf9, 0x00, 0x00};
  const Bytes half_minus_zero = {0xf9, 0x80, 0x00};
  const Bytes bignum_5 = {0xc2, 0x41, 0x05};
  const Bytes bignum_5_padded = {0xc2, 0x43, 0x00, 0x00, 0x05};
  return {
      {"float_key_in_half_and_single_precision",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({half_one, v}), cat({single_one, v})});
       },
       Verdict::malformed},
      {"float_key_in_single_and_double_precision",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({single_one, v}), cat({double_one, v})});
       },
       Verdict::malformed},
      {"nan_key_in_half_and_single_precision",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({half_nan, v}), cat({single_nan, v})});
       },
       Verdict::malformed},
      {"bignum_key_with_leading_zero_bytes",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({bignum_5, v}), cat({bignum_5_padded, v})});
       },
       Verdict::malformed},
      {"bignum_key_equal_to_an_integer_key",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({bignum_5, v}), cat({{0x05}, v})});
       },
       Verdict::malformed},
      {"bignum_key_equal_to_iss",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0xc2, 0x42, 0x00, 0x01}, v})});
       },
       Verdict::malformed},
      {"negative_bignum_key_equal_to_hic",
       [=](const Kit& k) {
         // tag 3 over 0x010000: -1 - 65536 = -65537, the label of hic.
         return claims_with_raw_pairs(k, {cat({{0xc3, 0x43, 0x01, 0x00, 0x00}, v})});
       },
       Verdict::malformed},
      {"array_keys_equal_by_value",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0x81, 0x05}, v}), cat({{0x81, 0x18, 0x05}, v})});
       },
       Verdict::malformed},
      {"map_keys_with_pairs_in_another_order",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0xa2, 0x01, 0x02, 0x03, 0x04}, v}),
                                          cat({{0xa2, 0x03, 0x04, 0x01, 0x02}, v})});
       },
       Verdict::malformed},
      {"tagged_keys_equal_by_value",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0xc1, 0x05}, v}), cat({{0xc1, 0x18, 0x05}, v})});
       },
       Verdict::malformed},
      {"integer_and_float_keys_are_two_keys",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0x05}, v}), cat({{0xf9, 0x45, 0x00}, v})});
       },
       Verdict::valid},
      {"zero_and_minus_zero_are_two_keys",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({half_zero, v}), cat({half_minus_zero, v})});
       },
       Verdict::valid},
      {"text_and_bytes_with_one_content_are_two_keys",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({{0x61, 0x61}, v}), cat({{0x41, 0x61}, v})});
       },
       Verdict::valid},
      {"distinct_bignums_are_two_keys",
       [=](const Kit& k) {
         return claims_with_raw_pairs(k, {cat({bignum_5, v}), cat({{0xc2, 0x41, 0x09}, v})});
       },
       Verdict::valid},
      {"text_key_twice_with_a_longer_length_head",
       [=](const Kit& k) {
         return claims_with_raw_pairs(
             k, {cat({{0x62, 0x7a, 0x7a}, v}), cat({{0x78, 0x02, 0x7a, 0x7a}, v})});
       },
       Verdict::malformed},
  };
}

std::vector<HostileCase> all_cases() {
  std::vector<HostileCase> all;
  for (auto group : {text_and_compression_cases(), cose_cases(), claims_cases(), hic_cases(),
                     holder_cases(), equal_key_cases()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

class HostileQr : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileQr, GetsItsExactVerdict) {
  const HostileCase& c = GetParam();
  const std::string qr = c.make(kit());
  const auto result = kit().verifier.verify(qr, kNow);
  EXPECT_EQ(crypto::verdict_name(result.verdict()), crypto::verdict_name(c.expected))
      << "detail: " << result.detail();
  if (c.expected != Verdict::valid) {
    EXPECT_EQ(result.presentation(), nullptr);
  }
}

std::string case_name(const ::testing::TestParamInfo<HostileCase>& param_info) {
  return param_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, HostileQr, ::testing::ValuesIn(all_cases()), case_name);

TEST(HostileCorpus, HoldsAtLeastSixtyRefusals) {
  int refusals = 0;
  for (const auto& c : all_cases()) refusals += c.expected != Verdict::valid;
  EXPECT_GE(refusals, 60);
}

}  // namespace
}  // namespace kakunin::testing
