// A small, strict reader of the Prometheus text exposition format (0.0.4), for
// tests of the fleet metrics file: it refuses what node_exporter's textfile
// collector would refuse, and some of what it would merely frown on.
//
//   const ParsedExposition parsed = parse_exposition(text);
//   ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
//   EXPECT_EQ(parsed.value("kakunin_handoff_queue_length"), 4);
//
// Rules: only `# HELP name text` and `# TYPE name type` comments; each family's
// HELP and TYPE once, before its samples, which form one group; every sample
// `name{label="value",...} value` with names [a-zA-Z_:][a-zA-Z0-9_:]*, label
// names [a-zA-Z_][a-zA-Z0-9_]*, label values quoted with only \\ \" \n escapes;
// no duplicate series; counters named *_total; histogram samples only
// _bucket{le=...} (cumulative, ending at +Inf equal to _count), _sum and _count;
// the file ends with a newline.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace kakunin::testing {

struct ParsedSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ParsedFamily {
  std::string help;
  std::string type;
  std::vector<ParsedSample> samples;
};

struct ParsedExposition {
  std::map<std::string, ParsedFamily> families;
  std::vector<std::string> errors;

  // The sample's value, or nullopt when there is no such series.
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& [family_name, family] : families) {
      for (const ParsedSample& s : family.samples)
        if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nullopt;
  }
};

namespace detail {

// The exposition format's name rules, [a-zA-Z_:][a-zA-Z0-9_:]* for metrics and
// [a-zA-Z_][a-zA-Z0-9_]* for labels, spelt out: std::regex trips GCC 12's
// -Wmaybe-uninitialized inside <regex> in the ASan build (-O1), which -Werror fails.
inline bool is_name(const std::string& name, bool colon_allowed) {
  const auto first = [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (colon_allowed && c == ':');
  };
  const auto rest = [&](char c) { return first(c) || (c >= '0' && c <= '9'); };
  return !name.empty() && first(name.front()) && std::all_of(name.begin() + 1, name.end(), rest);
}
inline bool is_metric_name(const std::string& name) { return is_name(name, true); }
inline bool is_label_name(const std::string& name) { return is_name(name, false); }

inline std::optional<double> parse_value(const std::string& text) {
  if (text == "+Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return NAN;
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

// name{labels} value -> sample; nullopt with `error` set.
inline std::optional<ParsedSample> parse_sample(const std::string& line, std::string* error) {
  ParsedSample sample;
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = line.substr(0, i);
  if (!is_metric_name(sample.name)) return *error = "bad metric name: " + line, std::nullopt;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      std::size_t eq = line.find('=', i);
      if (eq == std::string::npos) return *error = "label without '=': " + line, std::nullopt;
      const std::string label = line.substr(i, eq - i);
      if (!is_label_name(label))
        return *error = "bad label name '" + label + "': " + line, std::nullopt;
      i = eq + 1;
      if (i >= line.size() || line[i] != '"')
        return *error = "unquoted label value: " + line, std::nullopt;
      ++i;
      std::string value;
      for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] != '\\') {
          value += line[i];
          continue;
        }
        if (++i >= line.size()) break;
        if (line[i] == '\\' || line[i] == '"') {
          value += line[i];
        } else if (line[i] == 'n') {
          value += '\n';
        } else {
          return *error = "bad escape in label value: " + line, std::nullopt;
        }
      }
      if (i >= line.size()) return *error = "unterminated label value: " + line, std::nullopt;
      ++i;  // the closing quote
      if (!sample.labels.emplace(label, value).second)
        return *error = "label given twice: " + line, std::nullopt;
      if (i < line.size() && line[i] == ',') {
        ++i;
      } else if (i >= line.size() || line[i] != '}') {
        return *error = "labels not separated by ',': " + line, std::nullopt;
      }
    }
    if (i >= line.size()) return *error = "unterminated labels: " + line, std::nullopt;
    ++i;  // '}'
  }
  if (i >= line.size() || line[i] != ' ')
    return *error = "no space before the value: " + line, std::nullopt;
  const auto value = parse_value(line.substr(i + 1));  // no timestamp: the file is current
  if (!value) return *error = "bad value: " + line, std::nullopt;
  sample.value = *value;
  return sample;
}

// The family a sample belongs to: a histogram's _bucket/_sum/_count, else itself.
inline std::string family_of(const std::string& sample,
                             const std::map<std::string, ParsedFamily>& families) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample.substr(0, sample.size() - s.size());
      const auto it = families.find(base);
      if (it != families.end() && it->second.type == "histogram") return base;
    }
  }
  return sample;
}

inline void check_histogram(const std::string& name, const ParsedFamily& family,
                            std::vector<std::string>& errors) {
  double last = -1, count = -1, inf = -1;
  bool sum = false;
  for (const ParsedSample& s : family.samples) {
    if (s.name == name + "_bucket") {
      if (!s.labels.count("le")) errors.push_back(name + "_bucket without le");
      if (s.value < last) errors.push_back(name + " buckets are not cumulative");
      last = s.value;
      if (s.labels.count("le") && s.labels.at("le") == "+Inf") inf = s.value;
    } else if (s.name == name + "_count") {
      count = s.value;
    } else if (s.name == name + "_sum") {
      sum = true;
    } else {
      errors.push_back("histogram " + name + " has a sample " + s.name);
    }
  }
  if (inf < 0 || count < 0 || !sum) errors.push_back(name + " lacks +Inf, _sum or _count");
  if (inf != count) errors.push_back(name + ": the +Inf bucket differs from _count");
}

}  // namespace detail

inline ParsedExposition parse_exposition(const std::string& text) {
  ParsedExposition out;
  auto& errors = out.errors;
  if (!text.empty() && text.back() != '\n')
    errors.push_back("the file does not end with a newline");
  std::istringstream lines(text);
  std::set<std::string> closed;  // families whose group of samples has ended
  std::string current;           // the family whose samples come now
  std::set<std::string> series;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      errors.push_back("empty line");
      continue;
    }
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name, rest;
      words >> hash >> keyword >> name;
      std::getline(words, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      if (hash != "#" || (keyword != "HELP" && keyword != "TYPE")) {
        errors.push_back("a comment other than HELP or TYPE: " + line);
        continue;
      }
      if (!detail::is_metric_name(name)) errors.push_back("bad family name: " + line);
      if (closed.count(name) || (out.families.count(name) && !out.families[name].samples.empty()))
        errors.push_back(keyword + " after the samples of " + name);
      ParsedFamily& family = out.families[name];
      std::string& field = keyword == "HELP" ? family.help : family.type;
      if (!field.empty()) errors.push_back(keyword + " twice for " + name);
      field = rest;
      if (keyword == "TYPE" && rest != "counter" && rest != "gauge" && rest != "histogram" &&
          rest != "summary" && rest != "untyped")
        errors.push_back("unknown type: " + line);
      if (keyword == "TYPE" && rest == "counter" && !name.ends_with("_total"))
        errors.push_back("counter not named *_total: " + name);
      if (!current.empty() && current != name) closed.insert(current);
      current = name;
      continue;
    }
    std::string error;
    const auto sample = detail::parse_sample(line, &error);
    if (!sample) {
      errors.push_back(error);
      continue;
    }
    const std::string family_name = detail::family_of(sample->name, out.families);
    const auto family = out.families.find(family_name);
    if (family == out.families.end() || family->second.help.empty() ||
        family->second.type.empty()) {
      errors.push_back("sample before its family's HELP and TYPE: " + line);
      continue;
    }
    if (family_name != current) errors.push_back("samples of " + family_name + " not in one group");
    std::string key = sample->name;
    for (const auto& [label, value] : sample->labels) key += '|' + label + '=' + value;
    if (!series.insert(key).second) errors.push_back("duplicate series: " + line);
    family->second.samples.push_back(*sample);
  }
  for (const auto& [name, family] : out.families) {
    if (family.help.empty() || family.type.empty()) errors.push_back(name + " lacks HELP or TYPE");
    if (family.type == "histogram") detail::check_histogram(name, family, errors);
  }
  return out;
}

}  // namespace kakunin::testing
