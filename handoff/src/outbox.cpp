#include "outbox.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/read_file.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace kakunin::handoff {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCounterName = "sequence";
constexpr std::string_view kLockName = "lock";
constexpr std::string_view kQuarantineName = "quarantine";
constexpr std::string_view kLegacySuffix = ".json";
constexpr mode_t kEntryMode = 0600;
constexpr mode_t kFolderMode = 0700;
constexpr std::size_t kSequenceDigits = 20;
constexpr std::size_t kMaxTargetLength = 200;

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> sequence_of_item(std::string_view name) {
  if (name.size() != kSequenceDigits) return std::nullopt;
  return parse_decimal(name);
}

// The earlier layout: one file per queued POST, <20-digit sequence>.json.
std::optional<std::uint64_t> sequence_of_legacy_item(std::string_view name) {
  if (name.size() != kSequenceDigits + kLegacySuffix.size()) return std::nullopt;
  if (name.substr(kSequenceDigits) != kLegacySuffix) return std::nullopt;
  return parse_decimal(name.substr(0, kSequenceDigits));
}

// Targets come from file_name_safe() and our own file names: nothing else is ours.
bool is_safe_target(std::string_view target) {
  if (target.empty() || target.size() > kMaxTargetLength || target.front() == '.') return false;
  return std::all_of(target.begin(), target.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

bool is_temp_name(std::string_view name) { return name.rfind(base::kTempPrefix, 0) == 0; }

base::WriteOptions private_unsynced() {
  base::WriteOptions options;
  options.mode = kEntryMode;
  options.sync_folder = false;  // the caller fsyncs the folder once for everything
  return options;
}

std::string make_private_folder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create outbox " + dir.string() + ": " + ec.message();
  if (::chmod(dir.c_str(), kFolderMode) != 0) {
    return "cannot make outbox " + dir.string() + " private: " + std::strerror(errno);
  }
  return {};
}

// A name in quarantine/ that nothing there has yet.
fs::path free_name(const fs::path& folder, const std::string& wanted) {
  fs::path candidate = folder / wanted;
  std::error_code ec;
  for (int i = 2; fs::exists(candidate, ec) && i < 1000; ++i) {
    candidate = folder / (wanted + "." + std::to_string(i));
  }
  return candidate;
}

}  // namespace

// ---------------------------------------------------------------- entries --

std::string OutboxEntry::file_name() const {
  return std::string(channel_name(channel)) + "." + target;
}

std::optional<OutboxEntry> OutboxEntry::parse(std::string_view file_name) {
  const auto dot = file_name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view channel = file_name.substr(0, dot);
  const std::string_view target = file_name.substr(dot + 1);
  if (!is_safe_target(target)) return std::nullopt;
  for (Channel c : {Channel::xml, Channel::json, Channel::post}) {
    if (channel == channel_name(c)) return OutboxEntry{c, std::string(target)};
  }
  return std::nullopt;
}

// ----------------------------------------------------------------- folder --

std::string OutboxFolder::item_name(std::uint64_t sequence) {
  std::string digits = std::to_string(sequence);
  return std::string(kSequenceDigits - digits.size(), '0') + digits;
}

fs::path OutboxFolder::item_dir(std::uint64_t sequence) const { return dir_ / item_name(sequence); }
fs::path OutboxFolder::quarantine_dir() const { return dir_ / kQuarantineName; }

base::Result<std::string> OutboxFolder::read(std::uint64_t sequence,
                                             const OutboxEntry& entry) const {
  return base::read_file(item_dir(sequence) / entry.file_name(), kMaxEntryBytes);
}

base::Status OutboxFolder::remove(std::uint64_t sequence, const OutboxEntry& entry) const {
  const fs::path item = item_dir(sequence);
  if (::unlink((item / entry.file_name()).c_str()) != 0 && errno != ENOENT) {
    return base::system_error("cannot remove the delivered " +
                                  std::string(channel_name(entry.channel)) +
                                  " entry of hand-off #" + std::to_string(sequence),
                              errno);
  }
  // Best effort: an unlink a power cut undoes means one harmless repeat (same name, same key).
  (void)base::sync_folder(item);
  if (::rmdir(item.c_str()) == 0) (void)base::sync_folder(dir_);
  return {};
}

base::Status OutboxFolder::quarantine_entry(std::uint64_t sequence,
                                            std::string_view file_name) const {
  const fs::path folder = quarantine_dir();
  if (::mkdir(folder.c_str(), kFolderMode) != 0 && errno != EEXIST) {
    return base::system_error("cannot create " + folder.string(), errno);
  }
  const fs::path item = item_dir(sequence);
  const fs::path to = free_name(folder, item_name(sequence) + "." + std::string(file_name));
  if (::rename((item / file_name).c_str(), to.c_str()) != 0) {
    return base::system_error("cannot move a damaged entry of hand-off #" +
                                  std::to_string(sequence) + " into " + folder.string(),
                              errno);
  }
  (void)base::sync_folder(folder);
  (void)base::sync_folder(item);
  if (::rmdir(item.c_str()) == 0) (void)base::sync_folder(dir_);
  return {};
}

base::Status OutboxFolder::quarantine_item(std::uint64_t sequence) const {
  const fs::path folder = quarantine_dir();
  if (::mkdir(folder.c_str(), kFolderMode) != 0 && errno != EEXIST) {
    return base::system_error("cannot create " + folder.string(), errno);
  }
  const fs::path to = free_name(folder, item_name(sequence));
  if (::rename(item_dir(sequence).c_str(), to.c_str()) != 0) {
    return base::system_error(
        "cannot move hand-off #" + std::to_string(sequence) + " into " + folder.string(), errno);
  }
  (void)base::sync_folder(folder);
  (void)base::sync_folder(dir_);
  return {};
}

// ----------------------------------------------------------------- outbox --

Outbox::Opened Outbox::open(const fs::path& dir, std::string_view legacy_key_prefix,
                            base::Logger log) {
  if (dir.empty()) return {nullptr, "handoff.outbox_dir is empty"};
  if (auto error = make_private_folder(dir); !error.empty()) return {nullptr, error};
  const fs::path lock_path = dir / kLockName;
  base::UniqueFd lock_fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kEntryMode));
  if (!lock_fd) return {nullptr, "cannot open " + lock_path.string() + ": " + std::strerror(errno)};
  if (::flock(lock_fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return {nullptr, "outbox " + dir.string() + " is in use by another hand-off sender"};
  }
  std::unique_ptr<Outbox> outbox(new Outbox(dir, std::move(lock_fd), log));
  if (auto error = outbox->load(legacy_key_prefix); !error.empty()) return {nullptr, error};
  return {std::move(outbox), {}};
}

std::string Outbox::load(std::string_view legacy_key_prefix) {
  const fs::path& dir = folder_.dir();
  std::vector<std::uint64_t> items;
  std::vector<std::uint64_t> legacy;
  int unexpected = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code type_ec;
    if (name == kLockName || name == kCounterName || name == kQuarantineName) continue;
    if (is_temp_name(name)) {
      fs::remove_all(entry.path(), type_ec);  // we hold the lock: no write of ours is in flight
    } else if (auto sequence = sequence_of_item(name); sequence && entry.is_directory(type_ec)) {
      items.push_back(*sequence);
    } else if (auto old = sequence_of_legacy_item(name); old && entry.is_regular_file(type_ec)) {
      legacy.push_back(*old);
    } else {
      ++unexpected;
    }
  }
  if (ec) return "cannot list outbox " + dir.string() + ": " + ec.message();
  if (unexpected > 0) {
    log_.warn("handoff: outbox: left alone " + std::to_string(unexpected) + " entr" +
              (unexpected == 1 ? "y" : "ies") + " that are not hand-offs");
  }
  for (std::uint64_t sequence : legacy) {
    const bool migrated = migrate_legacy_item(sequence, legacy_key_prefix);
    if (migrated && std::find(items.begin(), items.end(), sequence) == items.end()) {
      items.push_back(sequence);
    }
    if (!migrated) last_sequence_ = std::max(last_sequence_, sequence);
  }
  std::sort(items.begin(), items.end());
  for (std::uint64_t sequence : items) scan_item(sequence);

  for (const auto& entry : fs::directory_iterator(folder_.quarantine_dir(), ec)) {
    ++quarantined_;
    const std::string name = entry.path().filename().string();
    if (auto sequence = parse_decimal(std::string_view(name).substr(0, kSequenceDigits))) {
      last_sequence_ = std::max(last_sequence_, *sequence);
    }
  }

  const fs::path counter = dir / kCounterName;
  if (fs::exists(counter, ec)) {
    auto text = base::read_file(counter, 64);
    if (!text.ok()) return text.error().message;
    std::string digits = text.value();
    while (!digits.empty() && (digits.back() == '\n' || digits.back() == ' ')) digits.pop_back();
    const auto value = parse_decimal(digits);
    if (!value) return "outbox sequence file " + counter.string() + " is damaged";
    last_sequence_ = std::max(last_sequence_, *value);
  }
  if (!items.empty()) last_sequence_ = std::max(last_sequence_, items.back());
  return {};
}

void Outbox::scan_item(std::uint64_t sequence) {
  const fs::path item = folder_.item_dir(sequence);
  const std::string label = "handoff #" + std::to_string(sequence) + ": ";
  std::vector<OutboxEntry> entries;
  std::vector<std::string> damaged;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(item, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code type_ec;
    const auto parsed = OutboxEntry::parse(name);
    if (parsed && entry.is_regular_file(type_ec)) {
      entries.push_back(*parsed);
    } else {
      damaged.push_back(name);
    }
  }
  if (ec) {
    const base::Status moved = folder_.quarantine_item(sequence);  // counted below, with the others
    log_.error(label + "outbox folder unreadable (" + ec.message() + "), " +
               (moved.ok() ? "moved to quarantine" : "left in place: " + moved.error().message));
    return;
  }
  for (const std::string& name : damaged) {
    const base::Status moved = folder_.quarantine_entry(sequence, name);
    log_.error(label + "outbox entry not one of ours (unknown name or not a file), " +
               (moved.ok() ? "moved to quarantine" : "left in place: " + moved.error().message));
  }
  if (entries.empty()) {
    ::rmdir(item.c_str());  // every channel delivered it; a crash came before the folder went
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const OutboxEntry& a, const OutboxEntry& b) { return a.channel < b.channel; });
  found_[sequence] = std::move(entries);
}

bool Outbox::migrate_legacy_item(std::uint64_t sequence, std::string_view legacy_key_prefix) {
  const fs::path& dir = folder_.dir();
  const fs::path old = dir / (OutboxFolder::item_name(sequence) + std::string(kLegacySuffix));
  const fs::path item = folder_.item_dir(sequence);
  std::error_code ec;
  if (fs::exists(item, ec)) {  // an earlier migration got as far as the rename
    ::unlink(old.c_str());
    (void)base::sync_folder(dir);
    return true;
  }
  // Link, not move: until the new folder is in place the old file stays whole.
  const fs::path temp =
      dir / (std::string(base::kTempPrefix) + "migrate-" + OutboxFolder::item_name(sequence));
  fs::remove_all(temp, ec);
  const OutboxEntry entry{Channel::post,
                          std::string(legacy_key_prefix) + "-" + std::to_string(sequence)};
  const bool moved = ::mkdir(temp.c_str(), kFolderMode) == 0 &&
                     ::link(old.c_str(), (temp / entry.file_name()).c_str()) == 0 &&
                     base::sync_folder(temp).ok() && ::rename(temp.c_str(), item.c_str()) == 0;
  if (!moved) {
    const int error = errno;
    fs::remove_all(temp, ec);
    log_.warn("handoff #" + std::to_string(sequence) +
              ": cannot move a queued POST into the new outbox layout (" + std::strerror(error) +
              "); it stays for the next start");
    return false;
  }
  (void)base::sync_folder(dir);
  ::unlink(old.c_str());
  (void)base::sync_folder(dir);
  return true;
}

base::Result<std::uint64_t> Outbox::reserve_sequence() {
  const std::uint64_t next = last_sequence_ + 1;
  const base::Status written = base::write_file_atomically(
      folder_.dir() / kCounterName, std::to_string(next) + "\n", private_unsynced());
  if (!written.ok()) return written.error();
  last_sequence_ = next;
  return next;
}

base::Status Outbox::enqueue(std::uint64_t sequence, const std::vector<OutboxPayload>& payloads) {
  const fs::path& dir = folder_.dir();
  const fs::path temp = dir / (std::string(base::kTempPrefix) + OutboxFolder::item_name(sequence) +
                               "." + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (::mkdir(temp.c_str(), kFolderMode) != 0) {
    return base::system_error("cannot create a folder in the outbox " + dir.string(), errno);
  }
  auto discard = [&](base::Error error) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    return error;
  };
  for (const OutboxPayload& payload : payloads) {
    const base::Status written = base::write_file_atomically(temp / payload.entry.file_name(),
                                                             payload.bytes, private_unsynced());
    if (!written.ok()) return discard(written.error());
  }
  if (const base::Status synced = base::sync_folder(temp); !synced.ok())
    return discard(synced.error());
  if (::rename(temp.c_str(), folder_.item_dir(sequence).c_str()) != 0) {
    return discard(base::system_error(
        "cannot move hand-off #" + std::to_string(sequence) + " into place in the outbox", errno));
  }
  if (const base::Status synced = base::sync_folder(dir); !synced.ok()) {
    log_.warn("handoff #" + std::to_string(sequence) + ": queued, but " + synced.error().message +
              ": a power cut right now could lose it");
  }
  return {};
}

}  // namespace kakunin::handoff
