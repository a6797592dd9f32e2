#include "schema.h"

#include "value_checks.h"

#include <sstream>
#include <type_traits>
#include <utility>

namespace kakunin::config::detail {
namespace {

using Reader = decltype(KeySpec::read);
using Shower = decltype(KeySpec::show);

// Selects one field of KioskConfig, for reading (mutable) and showing (const).
// `member` is a member's name, not an expression: it cannot take parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define KAKUNIN_FIELD(member) \
  [](auto& config) -> auto& { return config.member; }
// NOLINTEND(bugprone-macro-parentheses)

std::string toml_string(const std::string& text) {
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

std::string or_list(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

template <typename Field>
KeySpec integer_key(std::string_view section, std::string_view name, Field field, std::int64_t low,
                    std::int64_t high) {
  Reader read = [=](const toml::node& node, KioskConfig& config) -> Problem {
    const std::string allowed =
        "must be an integer from " + std::to_string(low) + " to " + std::to_string(high);
    const auto* value = node.as_integer();
    if (value == nullptr) return allowed;
    const std::int64_t number = value->get();
    if (number < low || number > high) return allowed + ", not " + std::to_string(number);
    field(config) = static_cast<std::remove_reference_t<decltype(field(config))>>(number);
    return std::nullopt;
  };
  Shower show = [=](const KioskConfig& config) { return std::to_string(field(config)); };
  return {section, name, std::move(read), std::move(show)};
}

template <typename Field>
KeySpec integer_choice_key(std::string_view section, std::string_view name, Field field,
                           const std::vector<int>& allowed_values) {
  std::vector<std::string> words;
  words.reserve(allowed_values.size());
  for (const int value : allowed_values) words.push_back(std::to_string(value));
  const std::string allowed = "must be one of " + or_list(words);
  Reader read = [=](const toml::node& node, KioskConfig& config) -> Problem {
    const auto* value = node.as_integer();
    if (value == nullptr) return allowed;
    for (const int candidate : allowed_values) {
      if (value->get() == candidate) {
        field(config) = candidate;
        return std::nullopt;
      }
    }
    return allowed + ", not " + std::to_string(value->get());
  };
  Shower show = [=](const KioskConfig& config) { return std::to_string(field(config)); };
  return {section, name, std::move(read), std::move(show)};
}

template <typename Field>
KeySpec bool_key(std::string_view section, std::string_view name, Field field) {
  Reader read = [=](const toml::node& node, KioskConfig& config) -> Problem {
    const auto* value = node.as_boolean();
    if (value == nullptr) return "must be true or false (without quotes)";
    field(config) = value->get();
    return std::nullopt;
  };
  Shower show = [=](const KioskConfig& config) {
    return std::string(field(config) ? "true" : "false");
  };
  return {section, name, std::move(read), std::move(show)};
}

template <typename Field, typename Enum>
KeySpec enum_key(std::string_view section, std::string_view name, Field field,
                 std::vector<std::pair<std::string_view, Enum>> choices) {
  std::vector<std::string> words;
  words.reserve(choices.size());
  for (const auto& choice : choices) words.emplace_back(choice.first);
  const std::string use = or_list(words);
  Reader read = [=](const toml::node& node, KioskConfig& config) -> Problem {
    const auto* value = node.as_string();
    if (value == nullptr) return "must be a quoted string: " + use;
    for (const auto& [word, choice] : choices) {
      if (value->get() == word) {
        field(config) = choice;
        return std::nullopt;
      }
    }
    return "'" + value->get() + "' is not allowed; use " + use;
  };
  Shower show = [=](const KioskConfig& config) {
    for (const auto& [word, choice] : choices) {
      if (field(config) == choice) return toml_string(std::string(word));
    }
    return std::string("\"?\"");
  };
  return {section, name, std::move(read), std::move(show)};
}

enum class Empty { allowed, refused };

// A string checked by `check`; with Empty::allowed, "" means "not set".
template <typename Field, typename Check>
KeySpec string_key(std::string_view section, std::string_view name, Field field, Empty empty,
                   Check check) {
  Reader read = [=](const toml::node& node, KioskConfig& config) -> Problem {
    const auto* value = node.as_string();
    if (value == nullptr) return "must be a quoted string";
    const std::string& text = value->get();
    if (!(text.empty() && empty == Empty::allowed)) {
      if (auto problem = check(text)) return problem;
    }
    field(config) = text;
    return std::nullopt;
  };
  Shower show = [=](const KioskConfig& config) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field(config))>,
                                 std::filesystem::path>) {
      return toml_string(field(config).string());
    } else {
      return toml_string(field(config));
    }
  };
  return {section, name, std::move(read), std::move(show)};
}

template <typename Field>
KeySpec path_key(std::string_view section, std::string_view name, Field field, Empty empty) {
  return string_key(section, name, field, empty, check_absolute_path);
}

KeySpec pinned_keys_key() {
  Reader read = [](const toml::node& node, KioskConfig& config) -> Problem {
    Problem allowed =
        "must be a list of 1 or 2 absolute paths of PEM public keys, e.g. "
        "[\"/etc/kakunin/trustlist-signing.pub.pem\"] (2 only during a key rotation)";
    const auto* list = node.as_array();
    if (list == nullptr || list->empty() || list->size() > 2) return allowed;
    std::vector<std::filesystem::path> paths;
    for (const toml::node& entry : *list) {
      const auto* path = entry.as_string();
      if (path == nullptr || check_absolute_path(path->get())) return allowed;
      paths.emplace_back(path->get());
    }
    if (paths.size() == 2 && paths[0] == paths[1]) return "lists the same key file twice";
    config.trust.pinned_keys = std::move(paths);
    return std::nullopt;
  };
  Shower show = [](const KioskConfig& config) {
    std::string text = "[";
    for (std::size_t i = 0; i < config.trust.pinned_keys.size(); ++i) {
      if (i > 0) text += ", ";
      text += toml_string(config.trust.pinned_keys[i].string());
    }
    return text + "]";
  };
  return {"trust", "pinned_keys", std::move(read), std::move(show)};
}

// 医療機関コード: 10 digits (都道府県 2, 点数表 1, 医療機関 7), as the 連携アプリ's
// files carry it.
Problem check_medical_institution_code(std::string_view code) {
  const bool digits =
      code.size() == 10 && code.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits) return std::nullopt;
  return "must be the 10-digit 医療機関コード (digits only)";
}

Problem check_log_level(std::string_view level) {
  if (level == "error" || level == "warn" || level == "info" || level == "debug") {
    return std::nullopt;
  }
  return "'" + std::string(level) + "' is not allowed; use error, warn, info or debug";
}

// Free text that ends up in a curl option: printable, no spaces needed.
Problem check_no_proxy(std::string_view hosts) {
  for (const unsigned char c : hosts) {
    if (c < 0x21 || c > 0x7e) {
      return "must be host names or addresses separated by commas, without spaces";
    }
  }
  return std::nullopt;
}

std::vector<KeySpec> make_schema() {
  using CK = CaptureKind;
  return {
      // [kiosk]
      string_key("kiosk", "id", KAKUNIN_FIELD(kiosk.id), Empty::refused, check_kiosk_id),
      enum_key("kiosk", "mode", KAKUNIN_FIELD(kiosk.mode),
               std::vector<std::pair<std::string_view, crypto::Mode>>{
                   {"production", crypto::Mode::production}, {"test", crypto::Mode::test}}),
      enum_key("kiosk", "language", KAKUNIN_FIELD(kiosk.language),
               std::vector<std::pair<std::string_view, Language>>{{"ja", Language::japanese},
                                                                  {"en", Language::english}}),
      integer_key("kiosk", "result_seconds", KAKUNIN_FIELD(kiosk.result_seconds), 3, 300),
      bool_key("kiosk", "fullscreen", KAKUNIN_FIELD(kiosk.fullscreen)),
      integer_key("kiosk", "window_width", KAKUNIN_FIELD(kiosk.window_width), 320, 7680),
      integer_key("kiosk", "window_height", KAKUNIN_FIELD(kiosk.window_height), 240, 4320),
      // [freshness]
      integer_key("freshness", "max_age_seconds", KAKUNIN_FIELD(freshness.max_age_seconds), 5, 300),
      integer_key("freshness", "max_ahead_seconds", KAKUNIN_FIELD(freshness.max_ahead_seconds), 0,
                  60),
      integer_key("freshness", "list_grace_days", KAKUNIN_FIELD(freshness.list_grace_days), 0, 30),
      bool_key("freshness", "skip_for_printed_sheets",
               KAKUNIN_FIELD(freshness.skip_for_printed_sheets)),
      // [trust]
      pinned_keys_key(),
      path_key("trust", "state_dir", KAKUNIN_FIELD(trust.state_dir), Empty::refused),
      string_key("trust", "trust_list_url", KAKUNIN_FIELD(trust.trust_list_url), Empty::allowed,
                 check_list_url),
      string_key("trust", "revocations_url", KAKUNIN_FIELD(trust.revocations_url), Empty::allowed,
                 check_list_url),
      integer_key("trust", "interval_minutes", KAKUNIN_FIELD(trust.interval_minutes), 5, 1440),
      integer_key("trust", "connect_timeout_seconds", KAKUNIN_FIELD(trust.connect_timeout_seconds),
                  1, 120),
      integer_key("trust", "total_timeout_seconds", KAKUNIN_FIELD(trust.total_timeout_seconds), 5,
                  3600),
      integer_key("trust", "retries", KAKUNIN_FIELD(trust.retries), 0, 10),
      integer_key("trust", "backoff_initial_seconds", KAKUNIN_FIELD(trust.backoff_initial_seconds),
                  1, 3600),
      integer_key("trust", "backoff_max_seconds", KAKUNIN_FIELD(trust.backoff_max_seconds), 1,
                  86400),
      integer_key("trust", "max_bytes", KAKUNIN_FIELD(trust.max_bytes), 1024, 1024LL * 1024 * 1024),
      path_key("trust", "ca_file", KAKUNIN_FIELD(trust.ca_file), Empty::allowed),
      string_key("trust", "public_key_pin", KAKUNIN_FIELD(trust.public_key_pin), Empty::allowed,
                 check_public_key_pin),
      string_key("trust", "proxy", KAKUNIN_FIELD(trust.proxy), Empty::allowed, check_proxy_url),
      string_key("trust", "no_proxy", KAKUNIN_FIELD(trust.no_proxy), Empty::allowed,
                 check_no_proxy),
      // [clock]
      integer_key("clock", "max_offset_seconds", KAKUNIN_FIELD(clock.max_offset_seconds), 1, 3600),
      bool_key("clock", "check_adjtimex", KAKUNIN_FIELD(clock.check_adjtimex)),
      // [capture]
      enum_key("capture", "kind", KAKUNIN_FIELD(capture.kind),
               std::vector<std::pair<std::string_view, CK>>{{"camera", CK::camera},
                                                            {"serial_scanner", CK::serial_scanner},
                                                            {"hid_scanner", CK::hid_scanner},
                                                            {"image_folder", CK::image_folder},
                                                            {"video_file", CK::video_file}}),
      path_key("capture", "device", KAKUNIN_FIELD(capture.device), Empty::refused),
      integer_key("capture", "width", KAKUNIN_FIELD(capture.width), 160, 7680),
      integer_key("capture", "height", KAKUNIN_FIELD(capture.height), 120, 4320),
      integer_key("capture", "fps", KAKUNIN_FIELD(capture.fps), 1, 120),
      bool_key("capture", "mjpg", KAKUNIN_FIELD(capture.mjpg)),
      bool_key("capture", "autofocus", KAKUNIN_FIELD(capture.autofocus)),
      integer_key("capture", "focus", KAKUNIN_FIELD(capture.focus), -1, 65535),
      integer_key("capture", "exposure", KAKUNIN_FIELD(capture.exposure), -1, 100000),
      integer_choice_key("capture", "baud", KAKUNIN_FIELD(capture.baud),
                         {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}),
      enum_key("capture", "keyboard_layout", KAKUNIN_FIELD(capture.keyboard_layout),
               std::vector<std::pair<std::string_view, KeyboardLayout>>{
                   {"us", KeyboardLayout::us}, {"jis", KeyboardLayout::jis}}),
      // [audio]
      bool_key("audio", "enabled", KAKUNIN_FIELD(audio.enabled)),
      integer_key("audio", "volume_percent", KAKUNIN_FIELD(audio.volume_percent), 0, 100),
      // [audit]
      path_key("audit", "database", KAKUNIN_FIELD(audit.database), Empty::refused),
      path_key("audit", "secret_file", KAKUNIN_FIELD(audit.secret_file), Empty::refused),
      // The lower bound 1096 (3 years, 療担規則 9条) applies in production; see load.cpp.
      integer_key("audit", "retention_days", KAKUNIN_FIELD(audit.retention_days), 1, 3653),
      // [handoff]
      bool_key("handoff", "enabled", KAKUNIN_FIELD(handoff.enabled)),
      enum_key("handoff", "trigger", KAKUNIN_FIELD(handoff.trigger),
               std::vector<std::pair<std::string_view, HandoffTrigger>>{
                   {"staff", HandoffTrigger::staff}, {"automatic", HandoffTrigger::automatic}}),
      path_key("handoff", "xml_dir", KAKUNIN_FIELD(handoff.xml_dir), Empty::allowed),
      enum_key("handoff", "xml_encoding", KAKUNIN_FIELD(handoff.xml_encoding),
               std::vector<std::pair<std::string_view, XmlEncoding>>{
                   {"utf-8", XmlEncoding::utf8}, {"shift_jis", XmlEncoding::shift_jis}}),
      path_key("handoff", "json_dir", KAKUNIN_FIELD(handoff.json_dir), Empty::allowed),
      string_key("handoff", "post_url", KAKUNIN_FIELD(handoff.post_url), Empty::allowed,
                 check_loopback_url),
      path_key("handoff", "outbox_dir", KAKUNIN_FIELD(handoff.outbox_dir), Empty::refused),
      integer_key("handoff", "post_timeout_seconds", KAKUNIN_FIELD(handoff.post_timeout_seconds), 1,
                  60),
      // [online]
      bool_key("online", "enabled", KAKUNIN_FIELD(online.enabled)),
      path_key("online", "req_dir", KAKUNIN_FIELD(online.req_dir), Empty::allowed),
      path_key("online", "res_dir", KAKUNIN_FIELD(online.res_dir), Empty::allowed),
      enum_key("online", "encoding", KAKUNIN_FIELD(online.encoding),
               std::vector<std::pair<std::string_view, XmlEncoding>>{
                   {"utf-8", XmlEncoding::utf8}, {"shift_jis", XmlEncoding::shift_jis}}),
      integer_key("online", "timeout_seconds", KAKUNIN_FIELD(online.timeout_seconds), 1, 120),
      string_key("online", "medical_institution_code",
                 KAKUNIN_FIELD(online.medical_institution_code), Empty::allowed,
                 check_medical_institution_code),
      path_key("online", "request_template", KAKUNIN_FIELD(online.request_template),
               Empty::allowed),
      // [metrics]
      bool_key("metrics", "enabled", KAKUNIN_FIELD(metrics.enabled)),
      string_key("metrics", "textfile_path", KAKUNIN_FIELD(metrics.textfile_path), Empty::refused,
                 check_prom_file),
      integer_key("metrics", "interval_seconds", KAKUNIN_FIELD(metrics.interval_seconds), 10, 3600),
      // [log]
      string_key("log", "level", KAKUNIN_FIELD(log.level), Empty::refused, check_log_level),
  };
}

#undef KAKUNIN_FIELD

}  // namespace

const std::vector<KeySpec>& schema() {
  static const std::vector<KeySpec> keys = make_schema();
  return keys;
}

std::vector<std::string_view> sections() {
  std::vector<std::string_view> names;
  for (const KeySpec& key : schema()) {
    if (names.empty() || names.back() != key.section) names.push_back(key.section);
  }
  return names;
}

}  // namespace kakunin::config::detail
