// The state folder's own record, beside the lists it holds (state.json):
// - the high-water marks of spec §6: the highest sequence this kiosk has ever held
//   of each list, per mode (test lists are another series than production ones),
//   kept apart from the list files so that putting an older, validly signed list
//   back into the folder, or reinstalling one, cannot roll the kiosk back;
// - the owner: the mode and pinned keys of the kiosk service that uses the folder,
//   so an operator's `kakunin sync --once` with another --mode or --pinned-key does
//   not write lists the service would refuse into the service's folder.
// Written crash-safely (base::write_file_atomically, 0640 like the lists) after the
// list it describes, so a crash in between leaves a mark at or below the held list,
// never above it.
#pragma once

#include <kakunin/base/result.h>
#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kakunin::sync {

inline constexpr const char* kStateRecordName = "state.json";

struct StateOwner {
  std::string mode;                      // "production" or "test"
  std::vector<std::string> pinned_kids;  // hex, sorted
  bool operator==(const StateOwner&) const = default;
};

struct StateRecord {
  // "production/trust_list" -> 41, ...
  std::map<std::string, std::uint64_t> high_water;
  std::optional<StateOwner> owner;

  std::optional<std::uint64_t> mark(const std::string& series) const;
  // True when the mark rose (a write is needed).
  bool raise(const std::string& series, std::uint64_t sequence);
};

// What is on disk: no record yet (a first start, or a kiosk upgraded from a
// version that kept none), a readable record, or one that cannot be trusted.
struct StateRecordRead {
  enum class Status { missing, ok, unreadable };
  Status status = Status::missing;
  StateRecord record;
  std::string problem;  // English, when unreadable
};

StateRecordRead read_state_record(const std::filesystem::path& state_dir);
base::Status write_state_record(const std::filesystem::path& state_dir, const StateRecord& record);

StateOwner owner_of(crypto::Mode mode, const crypto::PinnedKeys& pins);
// The same service can rotate its pinned keys (one added, later the old one
// removed): an owner is compatible when the mode is the same and one key is shared.
bool compatible(const StateOwner& a, const StateOwner& b);
std::string describe(const StateOwner& owner);

}  // namespace kakunin::sync
