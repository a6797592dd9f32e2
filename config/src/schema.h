// The table of every configuration key: how it is read from TOML, checked and
// shown. One entry per key keeps parsing, `config show`, known_keys() and the docs
// test in step; adding a key is adding one line to schema.cpp.
#pragma once

#include <kakunin/config/config.h>

#include <toml++/toml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::config::detail {

struct KeySpec {
  std::string_view section;
  std::string_view name;
  // Reads `node` into `config`. Returns what is wrong and what is allowed (English,
  // without the key's name), or nullopt when the value was taken.
  std::function<std::optional<std::string>(const toml::node& node, KioskConfig& config)> read;
  // The value as TOML text ("60", "\"https://...\"", "[\"/etc/...\"]").
  std::function<std::string(const KioskConfig& config)> show;

  std::string dotted() const { return std::string(section) + "." + std::string(name); }
};

const std::vector<KeySpec>& schema();
// The sections, in file order.
std::vector<std::string_view> sections();

}  // namespace kakunin::config::detail
