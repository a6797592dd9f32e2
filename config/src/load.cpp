// Reading a configuration file: TOML syntax by toml++, then every key checked
// against the schema, then the rules that tie keys together. All errors are
// collected, so one run of `kakunin config check` shows everything to fix.
#include <kakunin/base/read_file.h>
#include <kakunin/config/config.h>
#include <kakunin/net/net.h>

#include "schema.h"
#include "value_checks.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>
#include <system_error>

namespace kakunin::config {
namespace {

using detail::KeySpec;

constexpr std::size_t kMaxFileBytes = std::size_t{1024} * 1024;
constexpr int kLegalRetentionDays = 1096;  // 3 years, 療担規則 9条

int line_of(const toml::key& key, const toml::node& node) {
  const auto line = static_cast<int>(key.source().begin.line);
  return line > 0 ? line : static_cast<int>(node.source().begin.line);
}

const KeySpec* find_key(std::string_view section, std::string_view name) {
  for (const KeySpec& key : detail::schema()) {
    if (key.section == section && key.name == name) return &key;
  }
  return nullptr;
}

// The section that has a key of this name, for "it belongs in [trust]".
std::optional<std::string_view> section_having(std::string_view name) {
  for (const KeySpec& key : detail::schema()) {
    if (key.name == name) return key.section;
  }
  return std::nullopt;
}

std::vector<std::string_view> names_in(std::string_view section) {
  std::vector<std::string_view> names;
  for (const KeySpec& key : detail::schema()) {
    if (key.section == section) names.push_back(key.name);
  }
  return names;
}

std::string unknown_section_message(std::string_view name) {
  std::string message = "unknown key '" + std::string(name) + "'";
  if (const auto near = detail::closest_match(name, detail::sections())) {
    return message + " (did you mean '" + std::string(*near) + "'?)";
  }
  if (const auto home = section_having(name)) {
    return message + " at the top level (it belongs in [" + std::string(*home) + "])";
  }
  std::string known;
  for (const std::string_view section : detail::sections()) {
    known += (known.empty() ? "[" : ", [") + std::string(section) + "]";
  }
  return message + "; the sections are " + known;
}

std::string unknown_key_message(std::string_view section, std::string_view name) {
  std::string message = "unknown key '" + std::string(name) + "' in [" + std::string(section) + "]";
  if (const auto near = detail::closest_match(name, names_in(section))) {
    return message + " (did you mean '" + std::string(*near) + "'?)";
  }
  if (const auto home = section_having(name)) {
    return message + " (it belongs in [" + std::string(*home) + "])";
  }
  return message;
}

class Checker {
 public:
  void read_section(std::string_view section, const toml::table& table) {
    for (auto&& [key, node] : table) {
      const int line = line_of(key, node);
      const std::string dotted = std::string(section) + "." + std::string(key.str());
      const KeySpec* spec = find_key(section, key.str());
      if (spec == nullptr) {
        add(line, dotted, unknown_key_message(section, key.str()));
        continue;
      }
      lines_[dotted] = line;
      if (auto problem = spec->read(node, config_)) {
        failed_.insert(dotted);
        add(line, dotted, std::move(*problem));
      }
    }
  }

  void read_root(const toml::table& root) {
    const auto known_sections = detail::sections();
    for (auto&& [key, node] : root) {
      const int line = line_of(key, node);
      const std::string_view name = key.str();
      if (std::find(known_sections.begin(), known_sections.end(), name) == known_sections.end()) {
        add(line, std::string(name), unknown_section_message(name));
        continue;
      }
      const auto* table = node.as_table();
      if (table == nullptr) {
        add(line, std::string(name),
            "must be a section ([" + std::string(name) + "] followed by its keys), not a value");
        continue;
      }
      read_section(name, *table);
    }
  }

  // Rules that involve more than one key. A rule is checked only when its keys
  // were read without error, so one mistake gives one message.
  void check_combinations() {
    const bool production = config_.kiosk.mode == crypto::Mode::production;
    const std::string test_only = " is only allowed with kiosk.mode = \"test\"";
    if (production && config_.freshness.skip_for_printed_sheets &&
        usable({"kiosk.mode", "freshness.skip_for_printed_sheets"})) {
      add_at("freshness.skip_for_printed_sheets",
             "true" + test_only +
                 ": without the freshness check a production kiosk would accept screenshots");
    }
    const auto kind = config_.capture.kind;
    if (production && (kind == CaptureKind::image_folder || kind == CaptureKind::video_file) &&
        usable({"kiosk.mode", "capture.kind"})) {
      add_at("capture.kind",
             std::string(kind == CaptureKind::image_folder ? "'image_folder'" : "'video_file'") +
                 test_only + ": it reads recorded pictures, not a member's phone");
    }
    if (production && config_.audit.retention_days < kLegalRetentionDays &&
        usable({"kiosk.mode", "audit.retention_days"})) {
      add_at("audit.retention_days",
             "must be at least 1096 (3 years, 療担規則 9条) in production, not " +
                 std::to_string(config_.audit.retention_days) + "; shorter only in test mode");
    }
    check_both_urls();
    const auto& trust = config_.trust;
    if (trust.total_timeout_seconds < trust.connect_timeout_seconds &&
        usable({"trust.total_timeout_seconds", "trust.connect_timeout_seconds"})) {
      add_at("trust.total_timeout_seconds",
             "must not be shorter than trust.connect_timeout_seconds (" +
                 std::to_string(trust.connect_timeout_seconds) + ")");
    }
    if (trust.backoff_max_seconds < trust.backoff_initial_seconds &&
        usable({"trust.backoff_max_seconds", "trust.backoff_initial_seconds"})) {
      add_at("trust.backoff_max_seconds",
             "must not be shorter than trust.backoff_initial_seconds (" +
                 std::to_string(trust.backoff_initial_seconds) + ")");
    }
    const auto& handoff = config_.handoff;
    if (handoff.enabled && handoff.xml_dir.empty() && handoff.json_dir.empty() &&
        handoff.post_url.empty() &&
        usable({"handoff.enabled", "handoff.xml_dir", "handoff.json_dir", "handoff.post_url"})) {
      add_at("handoff.enabled",
             "true, but there is nowhere to hand off to: set handoff.xml_dir, handoff.json_dir "
             "or handoff.post_url");
    }
    const auto& online = config_.online;
    if (online.enabled && (online.req_dir.empty() || online.res_dir.empty()) &&
        usable({"online.enabled", "online.req_dir", "online.res_dir"})) {
      add_at("online.enabled",
             "true, but the terminal's folders are not set: set online.req_dir and "
             "online.res_dir");
    }
    if (online.enabled && !online.req_dir.empty() && online.req_dir == online.res_dir &&
        usable({"online.req_dir", "online.res_dir"})) {
      add_at("online.res_dir", "must not be the same folder as online.req_dir");
    }
    if (online.enabled && online.medical_institution_code.empty() &&
        usable({"online.enabled", "online.medical_institution_code"})) {
      add_at("online.medical_institution_code",
             "must be set when online.enabled is true (the 連携アプリ refuses a request "
             "without it)");
    }
    if (config_.audit.database == config_.audit.secret_file &&
        usable({"audit.database", "audit.secret_file"})) {
      add_at("audit.secret_file", "must not be the same file as audit.database");
    }
  }

  LoadResult result() && {
    if (errors_.empty()) return std::move(config_);
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
    return std::move(errors_);
  }

  void add(int line, std::string key, std::string message) {
    errors_.push_back({line, std::move(key), std::move(message)});
  }

 private:
  void check_both_urls() {
    const bool has_trust = !config_.trust.trust_list_url.empty();
    const bool has_revocations = !config_.trust.revocations_url.empty();
    if (has_trust == has_revocations ||
        !usable({"trust.trust_list_url", "trust.revocations_url"})) {
      return;
    }
    const char* missing = has_trust ? "trust.revocations_url" : "trust.trust_list_url";
    add_at(has_trust ? "trust.trust_list_url" : "trust.revocations_url",
           std::string("is set but ") + missing +
               " is not: the kiosk needs both lists to verify anything; set both or neither");
  }

  bool usable(std::initializer_list<const char*> keys) const {
    return std::none_of(keys.begin(), keys.end(),
                        [&](const char* key) { return failed_.count(key) > 0; });
  }

  void add_at(const std::string& key, std::string message) {
    const auto found = lines_.find(key);
    add(found == lines_.end() ? 0 : found->second, key, std::move(message));
  }

  KioskConfig config_;
  std::vector<ConfigError> errors_;
  std::map<std::string, int> lines_;  // where each key was set
  std::set<std::string> failed_;      // keys whose value was refused
};

}  // namespace

LoadResult load_text(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    // toml++ stops at the first syntax error; the keys cannot be checked before
    // the file is valid TOML.
    return std::vector<ConfigError>{{static_cast<int>(error.source().begin.line), "",
                                     "TOML syntax error: " + std::string(error.description())}};
  }
  Checker checker;
  checker.read_root(root);
  checker.check_combinations();
  return std::move(checker).result();
}

LoadResult load_file(const std::filesystem::path& path) {
  const auto fail = [](std::string message) {
    return std::vector<ConfigError>{{0, "", std::move(message)}};
  };
  // The one bounded reader: a FIFO or a device is refused without blocking, and
  // a file that grows while it is read cannot take memory past the limit.
  const base::Result<std::string> text = base::read_file(path, kMaxFileBytes);
  if (text.ok()) return load_text(text.value(), path.string());
  // Errors are shown after the file's name, so say them without it again.
  const base::Error& error = text.error();
  if (error.os_error == EFBIG) return fail("is larger than 1 MiB; this is not a kakunin.toml");
  if (error.os_error != 0) {
    return fail("cannot read the file: " + std::generic_category().message(error.os_error));
  }
  return fail(error.message);  // not a regular file
}

std::string format_error(const ConfigError& error, std::string_view source_name) {
  std::string line(source_name);
  if (error.line > 0) line += ":" + std::to_string(error.line);
  line += ": ";
  if (!error.key.empty()) line += error.key + ": ";
  return line + error.message;
}

std::vector<std::string> known_keys() {
  std::vector<std::string> keys;
  for (const KeySpec& key : detail::schema()) keys.push_back(key.dotted());
  return keys;
}

std::string to_toml(const KioskConfig& config) {
  KioskConfig shown = config;
  shown.trust.proxy = net::url_with_masked_credentials(shown.trust.proxy);
  std::string text;
  std::string_view section;
  for (const KeySpec& key : detail::schema()) {
    if (key.section != section) {
      section = key.section;
      text += (text.empty() ? "[" : "\n[") + std::string(section) + "]\n";
    }
    text += std::string(key.name) + " = " + key.show(shown) + "\n";
  }
  return text;
}

}  // namespace kakunin::config
