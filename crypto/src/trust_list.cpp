// §6 trust list: signed JSON naming each insurer's keys.
#include "civil_time.h"
#include "signed_list.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>

namespace kakunin::crypto {

using nlohmann::json;

namespace {

constexpr int kMaxJsonDepth = 16;

ListError invalid(std::string message) {
  return ListError{ListError::Kind::invalid_content, std::move(message)};
}

// Unpadded base64url (RFC 4648 §5), canonical: unused trailing bits must be zero.
std::optional<Bytes> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '-') {
      value = 62;
    } else if (c == '_') {
      value = 63;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(buffer >> bits));
      buffer &= (1u << bits) - 1;
    }
  }
  if (buffer != 0) return std::nullopt;
  return out;
}

// A trust list's JSON, checked by a SAX pass before any tree is built:
// nlohmann::json keeps the last of duplicate keys and bounds neither depth nor
// size, so depth (16), duplicate keys (refused) and the number of values are
// checked here in memory proportional to the keys really present. The value bound
// keeps the tree built afterwards small whatever the payload size: a list for every
// insurer in Japan (about 3,300, one or two keys each) holds about 60,000 values.
constexpr std::size_t kMaxJsonValues = 262144;

class StrictJsonScan final : public nlohmann::json_sax<json> {
 public:
  std::string problem;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return refuse("binary values are not JSON"); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& name) override {
    if (!keys_.back().insert(name).second) return refuse("duplicate JSON key");
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return refuse("payload is not valid JSON");
  }

 private:
  bool refuse(const char* reason) {
    if (problem.empty()) problem = reason;
    return false;
  }
  bool value() {
    if (++values_ > kMaxJsonValues) return refuse("more JSON values than a trust list holds");
    return true;
  }
  bool open(bool object) {
    if (!value()) return false;
    if (++depth_ > kMaxJsonDepth) return refuse("JSON nested deeper than 16");
    if (object) keys_.emplace_back();
    objects_.push_back(object);
    return true;
  }
  bool close() {
    --depth_;
    if (objects_.back()) keys_.pop_back();
    objects_.pop_back();
    return true;
  }

  std::size_t values_ = 0;
  int depth_ = 0;
  std::vector<bool> objects_;                // per open container: object (true) or array
  std::vector<std::set<std::string>> keys_;  // per open object: its keys so far
};

std::optional<json> parse_json_strict(std::string_view text, std::string* error) {
  StrictJsonScan scan;
  const bool well_formed =
      json::sax_parse(text.begin(), text.end(), &scan, json::input_format_t::json, /*strict=*/true);
  if (!well_formed) {
    *error = scan.problem.empty() ? "payload is not valid JSON" : scan.problem;
    return std::nullopt;
  }
  json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    *error = "payload is not valid JSON";
    return std::nullopt;
  }
  return value;
}

const json* member(const json& object, const char* name, json::value_t type) {
  const auto it = object.find(name);
  if (it == object.end()) return nullptr;
  // Unsigned and signed integers both count as numbers here; sign checked by caller.
  if (type == json::value_t::number_unsigned) {
    return it->is_number_unsigned() ? &*it : nullptr;
  }
  return it->type() == type ? &*it : nullptr;
}

std::optional<std::string> text_member(const json& object, const char* name) {
  const json* value = member(object, name, json::value_t::string);
  if (!value) return std::nullopt;
  return value->get<std::string>();
}

std::optional<UnixSeconds> time_member(const json& object, const char* name) {
  const auto text = text_member(object, name);
  return text ? parse_rfc3339(*text) : std::nullopt;
}

std::optional<Algorithm> algorithm_from_json(std::string_view name) {
  if (name == "ES256") return Algorithm::es256;
  // "EdDSA" is the COSE name of -8; "Ed25519" names the same key type without
  // ambiguity, so both are read (the spki decides the curve in any case).
  if (name == "EdDSA" || name == "Ed25519") return Algorithm::ed25519;
  return std::nullopt;
}

std::variant<TrustedKey, ListError> parse_key(const json& entry, const std::string& insurer) {
  const std::string where = "issuer " + insurer + ": key: ";
  if (!entry.is_object()) return invalid(where + "not an object");
  const auto kid_text = text_member(entry, "kid");
  const auto alg_text = text_member(entry, "alg");
  const auto spki_text = text_member(entry, "spki");
  const auto not_before = time_member(entry, "not_before");
  const auto not_after = time_member(entry, "not_after");
  if (!kid_text || !alg_text || !spki_text || !not_before || !not_after) {
    return invalid(where + "kid, alg, spki, not_before and not_after are required");
  }
  const auto alg = algorithm_from_json(*alg_text);
  if (!alg) return invalid(where + "alg is not ES256 or EdDSA");
  const auto spki = base64url_decode(*spki_text);
  const auto key = spki ? PublicKey::from_spki_der(*spki) : std::nullopt;
  if (!key) return invalid(where + "spki is not a P-256 or Ed25519 public key");
  if (key->algorithm() != *alg) return invalid(where + "alg does not match the spki's key type");
  const auto kid = base64url_decode(*kid_text);
  const Kid computed = key->kid();
  if (!kid || !std::equal(kid->begin(), kid->end(), computed.begin(), computed.end())) {
    return invalid(where + "kid does not match the spki");
  }
  if (*not_before > *not_after) return invalid(where + "not_before is after not_after");
  return TrustedKey{*key, computed, *alg, *not_before, *not_after};
}

std::variant<TrustedIssuer, ListError> parse_issuer(const json& entry) {
  if (!entry.is_object()) return invalid("issuer: not an object");
  auto insurer = text_member(entry, "insurer");
  auto name = text_member(entry, "name");
  const json* keys = member(entry, "keys", json::value_t::array);
  if (!insurer || !is_valid_insurer_number(*insurer)) {
    return invalid("issuer: insurer is not a valid 保険者番号");
  }
  if (!name || name->empty() || !keys)
    return invalid("issuer " + *insurer + ": name and keys are required");
  TrustedIssuer issuer{*insurer, std::move(*name), {}};
  for (const json& key_entry : *keys) {
    auto key = parse_key(key_entry, *insurer);
    if (auto* error = std::get_if<ListError>(&key)) return *error;
    issuer.keys.push_back(std::get<TrustedKey>(std::move(key)));
  }
  return issuer;
}

}  // namespace

struct TrustListParser {
  static Loaded<TrustList> parse(ByteView payload, const HighWaterMark& seen) {
    std::string error;
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    const auto document = parse_json_strict(text, &error);
    if (!document) return ListError{ListError::Kind::unreadable, error};
    if (!document->is_object()) return invalid("payload is not a JSON object");

    TrustList list;
    const auto format = text_member(*document, "format");
    const json* sequence = member(*document, "sequence", json::value_t::number_unsigned);
    const auto issued_at = time_member(*document, "issued_at");
    const auto next_update = time_member(*document, "next_update");
    const json* test = member(*document, "test", json::value_t::boolean);
    const json* issuers = member(*document, "issuers", json::value_t::array);
    if (format != "jhc1-trustlist") return invalid("format is not jhc1-trustlist");
    if (!sequence || !issued_at || !next_update || !test || !issuers) {
      return invalid("sequence, issued_at, next_update, test and issuers are required");
    }
    if (*issued_at > *next_update) return invalid("issued_at is after next_update");
    list.header_ = {sequence->get<std::uint64_t>(), *issued_at, *next_update, test->get<bool>()};
    if (auto rollback = check_sequence(list.header_.sequence, seen)) return *rollback;

    std::set<std::string> insurers;
    std::set<Kid> kids;
    for (const json& entry : *issuers) {
      auto issuer = parse_issuer(entry);
      if (auto* issuer_error = std::get_if<ListError>(&issuer)) return *issuer_error;
      auto& parsed = std::get<TrustedIssuer>(issuer);
      if (!insurers.insert(parsed.insurer_number).second) {
        return invalid("insurer " + parsed.insurer_number + " is listed twice");
      }
      for (const auto& key : parsed.keys) {
        if (!kids.insert(key.kid).second) return invalid("a kid is listed twice");
      }
      list.issuers_.push_back(std::move(parsed));
    }
    return Loaded<TrustList>(std::move(list));
  }
};

Loaded<TrustList> TrustList::load(ByteView cose_bytes, const PinnedKeys& pins, HighWaterMark seen) {
  return load_without_throwing<TrustList>([&]() -> Loaded<TrustList> {
    auto opened = open_signed_list(cose_bytes, pins);
    if (auto* error = std::get_if<ListError>(&opened)) return *error;
    return TrustListParser::parse(std::get<Sign1>(opened).payload, seen);
  });
}

std::optional<TrustList::Match> TrustList::find_key(const Kid& kid) const {
  for (const auto& issuer : issuers_) {
    for (const auto& key : issuer.keys) {
      if (key.kid == kid) return Match{&issuer, &key};
    }
  }
  return std::nullopt;
}

const TrustedIssuer* TrustList::find_issuer(std::string_view insurer_number) const {
  for (const auto& issuer : issuers_) {
    if (issuer.insurer_number == insurer_number) return &issuer;
  }
  return nullptr;
}

}  // namespace kakunin::crypto
