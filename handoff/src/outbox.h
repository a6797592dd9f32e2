// The outbox on the kiosk's own disk: every hand-off is written here first, and
// each channel delivers from here. It is the queue; memory holds only its ids.
//
//   outbox/                               0700, owned by the kiosk's user
//     lock                                flock: one process sends this queue
//     sequence                            the last number given out
//     quarantine/                         damaged entries, moved aside, never sent
//     00000000000000000042/               one hand-off, renamed into place whole
//       xml.OQSsiquc01res_kakunin-web_desk-1_20261120090000_42.xml
//       json.kakunin-handoff_desk-1_20261120090000_42.json
//       post.desk-1-42                    the POST body; after "post." its Idempotency-Key
//
// Each entry (0600) is exactly what its channel hands over, under the name it hands
// it over as. A channel that delivered an entry removes it; the folder goes with
// the last one. So a kill at any moment leaves each entry either delivered and
// gone, or still here to be delivered (again) after the restart.
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/base/result.h>
#include <kakunin/base/unique_fd.h>
#include <kakunin/handoff/handoff.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::handoff {

// One channel's part of a hand-off: its channel and the name it is handed over
// as (file name for xml and json, Idempotency-Key for post).
struct OutboxEntry {
  Channel channel;
  std::string target;

  std::string file_name() const;  // "xml.OQSsiquc01res_….xml"
  static std::optional<OutboxEntry> parse(std::string_view file_name);
  bool operator==(const OutboxEntry&) const = default;
};

struct OutboxPayload {
  OutboxEntry entry;
  std::string bytes;
};

// The largest entry a channel reads back; records are a few kilobytes.
inline constexpr std::size_t kMaxEntryBytes = 1 << 20;

// File operations on an outbox folder for the channel threads. A value: safe to
// use from any thread, even after the Outbox that opened the folder is gone.
class OutboxFolder {
 public:
  explicit OutboxFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path item_dir(std::uint64_t sequence) const;
  std::filesystem::path quarantine_dir() const;

  base::Result<std::string> read(std::uint64_t sequence, const OutboxEntry& entry) const;
  // The channel delivered it: the entry goes, and the hand-off's folder with its last entry.
  base::Status remove(std::uint64_t sequence, const OutboxEntry& entry) const;
  // Moves a damaged entry (its file name in the hand-off's folder) aside into
  // quarantine/, where nothing sends it; the hand-off's folder goes with its last entry.
  base::Status quarantine_entry(std::uint64_t sequence, std::string_view file_name) const;
  // The same for a whole hand-off folder that cannot be read.
  base::Status quarantine_item(std::uint64_t sequence) const;

  static std::string item_name(std::uint64_t sequence);  // 00000000000000000042

 private:
  std::filesystem::path dir_;
};

class Outbox {
 public:
  struct Opened {
    std::unique_ptr<Outbox> outbox;
    std::string error;  // English, when outbox is null
  };
  // Creates the folder (0700) when missing, takes the lock, removes what an
  // interrupted write left, quarantines entries it cannot read, moves items of the
  // earlier one-file-per-POST layout (<sequence>.json) into this one (their key
  // was `legacy_key_prefix`-<sequence>), and reads the counter and the queue.
  static Opened open(const std::filesystem::path& dir, std::string_view legacy_key_prefix,
                     base::Logger log);
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // The hand-offs found at open(), with the entries each still has to deliver.
  const std::map<std::uint64_t, std::vector<OutboxEntry>>& found() const { return found_; }
  // Entries in quarantine/ at open(), from this run or earlier ones.
  std::size_t quarantined() const { return quarantined_; }
  const OutboxFolder& folder() const { return folder_; }

  // The next hand-off number; never one given out before, across restarts, even
  // when the queue is empty (the counter is made durable by the enqueue() that
  // follows; a number whose enqueue never happened may come again, harmlessly,
  // since nothing was handed over under it). Not thread-safe: the caller serialises.
  base::Result<std::uint64_t> reserve_sequence();
  // Writes the hand-off's entries into a private folder, fsyncs them and renames
  // the folder into place, then fsyncs the outbox: durable when this returns ok.
  // Once the folder is in place it counts as queued even if that last fsync fails
  // (logged), so it is never both on disk and forgotten.
  base::Status enqueue(std::uint64_t sequence, const std::vector<OutboxPayload>& payloads);

 private:
  Outbox(std::filesystem::path dir, base::UniqueFd lock_fd, base::Logger log)
      : folder_(std::move(dir)), lock_fd_(std::move(lock_fd)), log_(log) {}
  std::string load(std::string_view legacy_key_prefix);
  void scan_item(std::uint64_t sequence);
  bool migrate_legacy_item(std::uint64_t sequence, std::string_view legacy_key_prefix);

  OutboxFolder folder_;
  base::UniqueFd lock_fd_;  // held for the object's life: the flock
  base::Logger log_;
  std::uint64_t last_sequence_ = 0;
  std::map<std::uint64_t, std::vector<OutboxEntry>> found_;
  std::size_t quarantined_ = 0;
};

}  // namespace kakunin::handoff
