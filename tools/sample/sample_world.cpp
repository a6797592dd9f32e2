#include "sample_world.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/hex.h>

#include <toml++/toml.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kakunin::sample {
namespace {

namespace fs = std::filesystem;
using crypto::Algorithm;
using crypto::UnixSeconds;

constexpr std::int64_t kDay = 86400;

[[noreturn]] void fail(const std::string& reason) { throw std::runtime_error(reason); }

crypto::Cti cti_from_hex(const std::string& text) {
  crypto::Cti cti;
  if (!base::decode_hex_into(text, cti)) fail("cti must be 32 hex digits: " + text);
  return cti;
}

toml::date to_toml(const crypto::CalendarDate& d) {
  return toml::date{static_cast<std::uint16_t>(d.year), static_cast<std::uint8_t>(d.month),
                    static_cast<std::uint8_t>(d.day)};
}

crypto::CalendarDate date_of(const toml::table& t, const char* key, const std::string& who) {
  const auto d = t[key].value<toml::date>();
  if (!d) fail(who + ": " + key + " must be a date (YYYY-MM-DD)");
  const auto date =
      crypto::CalendarDate::from_yyyymmdd(d->year * 10000LL + d->month * 100LL + d->day);
  if (!date) fail(who + ": " + key + " is not a real date");
  return *date;
}

std::string text_of(const toml::table& t, const char* key, const std::string& who) {
  const auto v = t[key].value<std::string>();
  if (!v) fail(who + ": " + key + " is required (text)");
  return *v;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) fail("cannot write " + path.string());
}

void write_bytes(const fs::path& path, const crypto::Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) fail("cannot write " + path.string());
}

// The sample roster: every case a field test needs, every name a sample name.
// Certificates are issued a month before `now` and valid for a year after it, so
// a world made at any date is usable at once and for a whole field-test season.
std::vector<SampleMember> sample_roster(UnixSeconds now) {
  using crypto::IssueCategory;
  using crypto::Relationship;
  using crypto::Sex;
  const auto make = [now](std::string id, std::string insurer, std::string name, std::string kana,
                          crypto::CalendarDate born, Sex sex, Relationship rel, int ratio) {
    crypto::Certificate c = signer::sample_certificate(std::move(insurer));
    c.name = std::move(name);
    c.name_kana = std::move(kana);
    c.birth_date = born;
    c.sex = sex;
    c.relationship = rel;
    c.ratio_tenths = ratio;
    c.branch = rel == Relationship::insured ? "00" : "01";
    c.issued = crypto::CalendarDate::japan_date_at(now - 30 * kDay);
    c.valid_until = crypto::CalendarDate::japan_date_at(now + 365 * kDay);
    return SampleMember{std::move(id), std::move(c), signer::random_cti()};
  };
  std::vector<SampleMember> roster = {
      make("taro", "06139992", "見本 太郎", "ミホン タロウ", {1980, 4, 1}, Sex::male,
           Relationship::insured, 3),
      make("hanako", "06139992", "見本 花子", "ミホン ハナコ", {2021, 8, 10}, Sex::female,
           Relationship::dependent, 2),
      make("jiro", "138057", "見本 次郎", "ミホン ジロウ", {1990, 12, 24}, Sex::not_printed,
           Relationship::insured, 3),
      make("ume", "39130018", "見本 うめ", "ミホン ウメ", {1945, 2, 3}, Sex::female,
           Relationship::insured, 1),
  };
  roster[1].certificate.symbol = "１２３";  // 記号 in full-width digits, as printed
  roster[1].certificate.number = "1234567";
  roster[2].certificate.symbol.reset();  // 国保: no 記号 on many cards
  roster[2].certificate.number = "00123456";
  roster[2].certificate.category = IssueCategory::on_application;  // 交付対象者②
  roster[2].certificate.reason = 1;
  roster[3].certificate.symbol = "見本広域";
  roster[3].certificate.limit_category = "区Ⅱ";
  return roster;
}

}  // namespace

void write_private_key(const fs::path& path, const signer::SigningKey& key) {
  // 0600 also when the file existed with wider permissions; never half a key.
  const base::Status written = base::write_file_atomically(path, key.private_pem(), {.mode = 0600});
  if (!written.ok()) fail(written.error().message);
}

SampleWorld SampleWorld::create(const fs::path& dir, UnixSeconds now) {
  if (fs::exists(dir / "world.toml")) fail(dir.string() + " already holds a sample world");
  fs::create_directories(dir / "keys");
  fs::permissions(dir / "keys", fs::perms::owner_all);  // private keys live here
  SampleWorld world;
  world.dir = dir;
  write_private_key(dir / "keys/trustlist-signing.key.pem",
                    signer::SigningKey::generate(Algorithm::ed25519));
  write_file(dir / "keys/trustlist-signing.pub.pem", world.list_key().public_pem());

  const auto add_insurer = [&](std::string number, std::string name, Algorithm alg) {
    SampleInsurer insurer{std::move(number), std::move(name), alg, {}};
    const std::string file = "keys/insurer-" + insurer.number + "-1.key.pem";
    write_private_key(dir / file, signer::SigningKey::generate(alg));
    insurer.keys.push_back({file, now - 365L * kDay, now + 3L * 365 * kDay});
    world.insurers.push_back(std::move(insurer));
  };
  add_insurer("06139992", "見本健康保険組合", Algorithm::es256);
  add_insurer("138057", "見本市国民健康保険", Algorithm::ed25519);
  add_insurer("39130018", "見本県後期高齢者医療広域連合", Algorithm::es256);
  world.rotate("06139992", now - 30 * kDay);  // one insurer with a rotated-out key

  world.members = sample_roster(now);
  world.superseded = signer::random_cti();
  world.revoked.push_back(*world.superseded);
  for (const auto& member : world.members) {
    write_private_key(dir / ("keys/phone-" + member.id + ".key.pem"),
                      signer::SigningKey::generate(Algorithm::es256));
  }
  std::ostringstream roster;
  roster << "# Fictitious members of the sample world (TEST material). Edit freely:\n"
            "# dates are YYYY-MM-DD, sex 1 男 2 女 9 not printed, relationship 1 本人 2 家族,\n"
            "# ratio in 割, category 1 (automatic) or 2 (on application, with reason).\n\n";
  toml::array members;
  for (const auto& m : world.members) {
    const auto& c = m.certificate;
    toml::table t{{"id", m.id},
                  {"insurer", c.insurer_number},
                  {"number", c.number},
                  {"branch", c.branch},
                  {"name", c.name},
                  {"birth_date", to_toml(c.birth_date)},
                  {"sex", static_cast<int>(c.sex)},
                  {"relationship", static_cast<int>(c.relationship)},
                  {"issued", to_toml(c.issued)},
                  {"valid_until", to_toml(c.valid_until)},
                  {"category", static_cast<int>(c.category)},
                  {"cti", base::encode_hex(m.cti)}};
    if (c.symbol) t.insert("symbol", *c.symbol);
    if (c.name_kana) t.insert("kana", *c.name_kana);
    if (c.ratio_tenths) t.insert("ratio", *c.ratio_tenths);
    if (c.limit_category) t.insert("limit_category", *c.limit_category);
    if (c.reason) t.insert("reason", *c.reason);
    if (c.acquired) t.insert("acquired", to_toml(*c.acquired));
    members.push_back(std::move(t));
  }
  roster << toml::table{{"member", std::move(members)}} << '\n';
  write_file(dir / "roster.toml", roster.str());
  world.publish(now);
  return world;
}

SampleWorld SampleWorld::load(const fs::path& dir) {
  SampleWorld world;
  world.dir = dir;
  toml::table state, roster;
  try {
    state = toml::parse_file((dir / "world.toml").string());
    roster = toml::parse_file((dir / "roster.toml").string());
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.description() << " at " << *e.source().path << ':' << e.source().begin.line;
    fail(where.str());
  }
  world.sequence = state["sequence"].value_or<std::uint64_t>(0);
  if (const auto* insurers = state["insurer"].as_array()) {
    for (const auto& node : *insurers) {
      const auto& t = *node.as_table();
      SampleInsurer insurer{
          text_of(t, "number", "insurer"),
          text_of(t, "name", "insurer"),
          text_of(t, "algorithm", "insurer") == "EdDSA" ? Algorithm::ed25519 : Algorithm::es256,
          {}};
      if (const auto* keys = t["key"].as_array()) {
        for (const auto& key : *keys) {
          const auto& k = *key.as_table();
          insurer.keys.push_back({text_of(k, "file", "key"),
                                  k["not_before"].value_or<std::int64_t>(0),
                                  k["not_after"].value_or<std::int64_t>(0)});
        }
      }
      world.insurers.push_back(std::move(insurer));
    }
  }
  if (const auto* revoked = state["revoked"].as_array()) {
    for (const auto& id : *revoked)
      world.revoked.push_back(cti_from_hex(id.value_or<std::string>("")));
  }
  if (const auto superseded = state["superseded"].value<std::string>()) {
    world.superseded = cti_from_hex(*superseded);
  }
  const auto* members = roster["member"].as_array();
  if (!members) fail("roster.toml has no [[member]] entries");
  for (const auto& node : *members) {
    const auto& t = *node.as_table();
    const std::string who = "member " + t["id"].value_or<std::string>("?");
    crypto::Certificate c;
    c.insurer_number = text_of(t, "insurer", who);
    c.symbol = t["symbol"].value<std::string>();
    c.number = text_of(t, "number", who);
    c.branch = text_of(t, "branch", who);
    c.name = text_of(t, "name", who);
    c.name_kana = t["kana"].value<std::string>();
    c.birth_date = date_of(t, "birth_date", who);
    c.sex = static_cast<crypto::Sex>(t["sex"].value_or(9));
    c.relationship = static_cast<crypto::Relationship>(t["relationship"].value_or(1));
    if (t.contains("acquired")) c.acquired = date_of(t, "acquired", who);
    c.issued = date_of(t, "issued", who);
    c.valid_until = date_of(t, "valid_until", who);
    if (auto ratio = t["ratio"].value<int>()) c.ratio_tenths = *ratio;
    c.limit_category = t["limit_category"].value<std::string>();
    c.category = static_cast<crypto::IssueCategory>(t["category"].value_or(1));
    if (auto reason = t["reason"].value<int>()) c.reason = *reason;
    world.members.push_back(
        {text_of(t, "id", who), std::move(c), cti_from_hex(text_of(t, "cti", who))});
  }
  return world;
}

void SampleWorld::publish(UnixSeconds now) const {
  toml::array insurer_array;
  signer::TrustListSpec spec{{sequence, now, now + 7 * kDay, true}, {}};
  for (const auto& insurer : insurers) {
    toml::array key_array;
    signer::TrustListIssuer listed{insurer.number, insurer.name, {}};
    for (const auto& key : insurer.keys) {
      key_array.push_back(toml::table{
          {"file", key.file}, {"not_before", key.not_before}, {"not_after", key.not_after}});
      listed.keys.push_back({load_key(key.file).spki_der(),
                             insurer.algorithm,
                             key.not_before,
                             key.not_after,
                             {},
                             {}});
    }
    insurer_array.push_back(
        toml::table{{"number", insurer.number},
                    {"name", insurer.name},
                    {"algorithm", std::string(crypto::algorithm_name(insurer.algorithm))},
                    {"key", std::move(key_array)}});
    spec.issuers.push_back(std::move(listed));
  }
  toml::array revoked_array;
  for (const auto& id : revoked) revoked_array.push_back(base::encode_hex(id));
  toml::table state_table{{"sequence", static_cast<std::int64_t>(sequence)},
                          {"insurer", std::move(insurer_array)},
                          {"revoked", std::move(revoked_array)}};
  if (superseded) state_table.insert("superseded", base::encode_hex(*superseded));
  std::ostringstream state;
  state << "# Kakunin sample world — TEST material only; managed by kakunin-sample.\n\n"
        << state_table << '\n';
  write_file(dir / "world.toml", state.str());
  const auto key = list_key();
  write_bytes(dir / "trustlist.cose", signer::make_trust_list(spec, key));
  write_bytes(dir / "revocations.cose", signer::make_revocation_list({spec.header, revoked}, key));
}

const SampleMember& SampleWorld::member(const std::string& id) const {
  for (const auto& m : members) {
    if (m.id == id) return m;
  }
  fail("no member '" + id + "' in roster.toml");
}

const SampleInsurer& SampleWorld::insurer(const std::string& number) const {
  for (const auto& i : insurers) {
    if (i.number == number) return i;
  }
  fail("no insurer " + number + " in world.toml");
}

signer::SigningKey SampleWorld::load_key(const std::string& relative_file) const {
  std::ifstream in(dir / relative_file);
  std::stringstream pem;
  pem << in.rdbuf();
  auto key = signer::SigningKey::from_private_pem(pem.str());
  if (!key) fail("cannot read key " + (dir / relative_file).string());
  return *key;
}

signer::SigningKey SampleWorld::list_key() const {
  return load_key("keys/trustlist-signing.key.pem");
}

signer::SigningKey SampleWorld::signing_key(const SampleInsurer& i) const {
  if (i.keys.empty()) fail("insurer " + i.number + " has no key");
  return load_key(i.keys.back().file);
}

signer::SigningKey SampleWorld::phone_key(const SampleMember& m) const {
  return load_key("keys/phone-" + m.id + ".key.pem");
}

std::string SampleWorld::present(const std::string& member_id, crypto::Profile profile,
                                 UnixSeconds at) const {
  const auto& m = member(member_id);
  const auto insurer_key = signing_key(insurer(m.certificate.insurer_number));
  if (profile == crypto::Profile::issuer_signed) {
    return signer::to_qr_text(
        signer::make_issuer_presentation({m.certificate, at, 300, m.cti}, insurer_key));
  }
  const auto phone = phone_key(m);
  const UnixSeconds issued = credential_start(insurer(m.certificate.insurer_number), at);
  const auto credential = signer::make_credential(
      {m.certificate, issued, issued, at + 30 * kDay, m.cti, phone.public_key()}, insurer_key);
  return signer::to_qr_text(signer::make_holder_presentation(credential, at, phone));
}

UnixSeconds credential_start(const SampleInsurer& insurer, UnixSeconds at) {
  const UnixSeconds an_hour_before = at - 3600;
  if (insurer.keys.empty()) return an_hour_before;
  return std::max(an_hour_before, insurer.keys.back().not_before);
}

void SampleWorld::rotate(const std::string& insurer_number, UnixSeconds now) {
  for (auto& insurer : insurers) {
    if (insurer.number != insurer_number) continue;
    const std::string file = "keys/insurer-" + insurer.number + "-" +
                             std::to_string(insurer.keys.size() + 1) + ".key.pem";
    write_private_key(dir / file, signer::SigningKey::generate(insurer.algorithm));
    if (!insurer.keys.empty()) insurer.keys.back().not_after = now - 1;
    insurer.keys.push_back({file, now, now + 3L * 365 * kDay});
    ++sequence;
    return;
  }
  fail("no insurer " + insurer_number + " in world.toml");
}

void SampleWorld::republish(UnixSeconds now) {
  ++sequence;
  publish(now);
}

void SampleWorld::revoke(const std::string& member_id) {
  const crypto::Cti cti = member(member_id).cti;
  if (std::find(revoked.begin(), revoked.end(), cti) == revoked.end()) revoked.push_back(cti);
  ++sequence;
}

}  // namespace kakunin::sample
