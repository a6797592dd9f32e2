#include "state_record.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/hex.h>
#include <kakunin/base/read_file.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kakunin::sync {
namespace {

constexpr std::string_view kFormat = "kakunin-state";
constexpr std::size_t kMaxRecordBytes = std::size_t{64} * 1024;

StateRecordRead unreadable(std::string problem) {
  StateRecordRead out;
  out.status = StateRecordRead::Status::unreadable;
  out.problem = std::move(problem);
  return out;
}

std::optional<StateOwner> owner_from(const nlohmann::json& owner) {
  if (!owner.is_object()) return std::nullopt;
  const auto mode = owner.find("mode");
  const auto kids = owner.find("pinned_kids");
  if (mode == owner.end() || !mode->is_string() || kids == owner.end() || !kids->is_array()) {
    return std::nullopt;
  }
  StateOwner out{mode->get<std::string>(), {}};
  if (out.mode != "production" && out.mode != "test") return std::nullopt;
  for (const auto& kid : *kids) {
    if (!kid.is_string() || !base::decode_hex(kid.get<std::string>())) return std::nullopt;
    out.pinned_kids.push_back(kid.get<std::string>());
  }
  std::sort(out.pinned_kids.begin(), out.pinned_kids.end());
  return out;
}

}  // namespace

std::optional<std::uint64_t> StateRecord::mark(const std::string& series) const {
  const auto it = high_water.find(series);
  if (it == high_water.end()) return std::nullopt;
  return it->second;
}

bool StateRecord::raise(const std::string& series, std::uint64_t sequence) {
  auto [it, inserted] = high_water.try_emplace(series, sequence);
  if (inserted) return true;
  if (sequence <= it->second) return false;
  it->second = sequence;
  return true;
}

StateRecordRead read_state_record(const std::filesystem::path& state_dir) {
  const std::filesystem::path path = state_dir / kStateRecordName;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return {};
  const auto text = base::read_file(path, kMaxRecordBytes);
  if (!text.ok()) return unreadable(text.error().message);
  const auto json = nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.value("format", "") != kFormat) {
    return unreadable(path.string() + " is not a kakunin state record");
  }
  StateRecordRead out;
  out.status = StateRecordRead::Status::ok;
  const auto marks = json.find("high_water");
  if (marks == json.end() || !marks->is_object()) {
    return unreadable(path.string() + " has no high_water marks");
  }
  for (const auto& [series, sequence] : marks->items()) {
    if (!sequence.is_number_unsigned()) {
      return unreadable(path.string() + ": the mark of " + series + " is not a sequence");
    }
    out.record.high_water[series] = sequence.get<std::uint64_t>();
  }
  if (const auto owner = json.find("owner"); owner != json.end()) {
    out.record.owner = owner_from(*owner);
    if (!out.record.owner) return unreadable(path.string() + ": unreadable owner");
  }
  return out;
}

base::Status write_state_record(const std::filesystem::path& state_dir, const StateRecord& record) {
  nlohmann::json json = {{"format", kFormat}, {"high_water", nlohmann::json::object()}};
  for (const auto& [series, sequence] : record.high_water) json["high_water"][series] = sequence;
  if (record.owner) {
    json["owner"] = {{"mode", record.owner->mode}, {"pinned_kids", record.owner->pinned_kids}};
  }
  return base::write_file_atomically(state_dir / kStateRecordName, json.dump(2) + "\n",
                                     {.mode = 0640});
}

StateOwner owner_of(crypto::Mode mode, const crypto::PinnedKeys& pins) {
  StateOwner owner{mode == crypto::Mode::test ? "test" : "production", {}};
  for (const crypto::Kid& kid : pins.kids()) owner.pinned_kids.push_back(base::encode_hex(kid));
  std::sort(owner.pinned_kids.begin(), owner.pinned_kids.end());
  return owner;
}

bool compatible(const StateOwner& a, const StateOwner& b) {
  if (a.mode != b.mode) return false;
  return std::any_of(a.pinned_kids.begin(), a.pinned_kids.end(), [&](const std::string& kid) {
    return std::find(b.pinned_kids.begin(), b.pinned_kids.end(), kid) != b.pinned_kids.end();
  });
}

std::string describe(const StateOwner& owner) {
  std::string out = owner.mode + " mode, pinned key";
  out += owner.pinned_kids.size() == 1 ? " " : "s ";
  for (std::size_t i = 0; i < owner.pinned_kids.size(); ++i) {
    if (i) out += ", ";
    out += owner.pinned_kids[i];
  }
  return out;
}

}  // namespace kakunin::sync
