#include "queue.h"

#include <kakunin/base/atomic_file.h>
#include <kakunin/base/read_file.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <system_error>

namespace kakunin::audit::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEntrySuffix = ".row";
constexpr std::string_view kDamagedSuffix = ".damaged";
constexpr const char* kReserveName = "reserve";
constexpr std::size_t kMaxEntryBytes = std::size_t{64} * 1024;  // a row is a few hundred bytes

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The sequence number of "0000000000000042.row" (or of its .damaged form); 0
// when the name is not an entry's.
std::int64_t sequence_of(std::string_view name) {
  if (ends_with(name, kDamagedSuffix)) name.remove_suffix(kDamagedSuffix.size());
  if (!ends_with(name, kEntrySuffix)) return 0;
  name.remove_suffix(kEntrySuffix.size());
  std::int64_t sequence = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), sequence);
  return error == std::errc() && end == name.data() + name.size() && sequence > 0 ? sequence : 0;
}

bool disk_full(const base::Status& status) {
  return !status.ok() && (status.error().os_error == ENOSPC || status.error().os_error == EDQUOT);
}

}  // namespace

fs::path Queue::entry_path(std::int64_t sequence) const {
  char name[32];
  std::snprintf(name, sizeof name, "%016lld", static_cast<long long>(sequence));
  return folder_ / (std::string(name) + std::string(kEntrySuffix));
}

base::Status Queue::make_folder() const {
  std::error_code error;
  if (fs::is_directory(folder_, error)) return {};
  fs::create_directories(folder_, error);
  if (error)
    return base::system_error("cannot create the audit queue " + folder_.string(), error.value());
  fs::permissions(folder_, fs::perms::owner_all, error);
  // The new folder's entry in its parent must survive a power cut too.
  return base::sync_folder(folder_.parent_path());
}

base::Result<QueueContents> Queue::open() {
  if (auto made = make_folder(); !made.ok()) return made.error();
  // Older than a minute: another kakunin process (`kakunin audit purge` beside the
  // kiosk) may be opening the same queue while the kiosk writes to it.
  base::remove_stale_temp_files(folder_, std::chrono::minutes(1));
  QueueContents contents;
  std::error_code error;
  std::vector<std::pair<std::int64_t, fs::path>> entries;
  for (const auto& item : fs::directory_iterator(folder_, error)) {
    const std::string name = item.path().filename().string();
    const std::int64_t sequence = sequence_of(name);
    if (sequence == 0) continue;
    contents.next_sequence = std::max(contents.next_sequence, sequence + 1);
    if (ends_with(name, kEntrySuffix)) entries.emplace_back(sequence, item.path());
  }
  if (error)
    return base::system_error("cannot list the audit queue " + folder_.string(), error.value());
  std::sort(entries.begin(), entries.end());
  for (const auto& [sequence, path] : entries) {
    const auto bytes = base::read_file_bytes(path, kMaxEntryBytes);
    std::optional<QueuedRow> row;
    if (bytes.ok()) row = decode_queued(bytes.value());
    if (row) {
      contents.waiting.push_back({sequence, std::move(*row)});
      continue;
    }
    // Kept for a person to look at, out of the way of the rows behind it.
    fs::rename(path, path.string() + std::string(kDamagedSuffix), error);
    contents.notes.push_back(
        "set aside the damaged queue entry " + path.string() + " (" +
        (bytes.ok() ? std::string("not an intact queued row") : bytes.error().message) +
        "); the rows after it are written");
  }
  return contents;
}

base::Status Queue::add(std::int64_t sequence, const QueuedRow& row, bool* used_reserve) {
  *used_reserve = false;
  if (auto made = make_folder(); !made.ok()) return made;
  const std::vector<std::uint8_t> bytes = encode_queued(row);
  const base::WriteOptions options{.mode = 0600, .if_exists = base::IfExists::keep};
  base::Status written = base::write_file_atomically(entry_path(sequence), bytes, options);
  if (disk_full(written) && reserve_present()) {
    std::error_code ignored;
    fs::remove(folder_ / kReserveName, ignored);
    *used_reserve = true;
    written = base::write_file_atomically(entry_path(sequence), bytes, options);
  }
  return written;
}

void Queue::remove(std::int64_t sequence) {
  std::error_code ignored;
  fs::remove(entry_path(sequence), ignored);
}

bool Queue::reserve_present() const {
  std::error_code error;
  return fs::file_size(folder_ / kReserveName, error) == kReserveBytes && !error;
}

base::Status Queue::make_reserve() {
  if (auto made = make_folder(); !made.ok()) return made;
  // Zeros actually written, not a sparse file: the blocks must be the queue's.
  const std::vector<std::uint8_t> zeros(kReserveBytes, 0);
  return base::write_file_atomically(folder_ / kReserveName, zeros, {.mode = 0600});
}

}  // namespace kakunin::audit::detail
