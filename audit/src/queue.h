// The crash-safe queue in front of the audit database: a private folder beside
// it ("<database>-queue/", 0700) with one file per row waiting to be written,
// each made with base::write_file_atomically (whole or not at all, fsync'ed with
// its folder) before record() returns. A row leaves the queue once it is
// committed to the database; a row committed but not yet removed when the power
// went is recognised by its key and not written twice.
//
// A full disk: the folder keeps a reserve file of kReserveBytes. When a row
// cannot be written for lack of space, the reserve is given up and the write
// tried again, so the verdicts of a day or so still reach the queue; the reserve
// is made again once there is room.
//
// Not thread-safe: the AuditLog serialises add(); remove() and the reserve are
// the writer thread's (distinct files, so the two may run at the same time).
#pragma once

#include "row.h"

#include <kakunin/base/result.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kakunin::audit::detail {

inline constexpr std::size_t kReserveBytes = std::size_t{1024} * 1024;

struct QueueEntry {
  std::int64_t sequence = 0;  // the order rows are written to the database in
  QueuedRow row;
};

// What was found in the folder when it was opened.
struct QueueContents {
  std::vector<QueueEntry> waiting;  // in order
  std::int64_t next_sequence = 1;
  std::vector<std::string> notes;  // English, for the log: damaged entries set aside, ...
};

class Queue {
 public:
  explicit Queue(std::filesystem::path folder) : folder_(std::move(folder)) {}

  // Creates the folder when missing, clears what interrupted writes left, sets
  // aside damaged entries (renamed to NAME.damaged, kept for inspection) and
  // reads the rest. Fails only when the folder cannot be made or listed.
  base::Result<QueueContents> open();

  // Writes the row as entry `sequence`; durable when this returns ok. On a full
  // disk it gives up the reserve once and tries again (used_reserve tells).
  base::Status add(std::int64_t sequence, const QueuedRow& row, bool* used_reserve);
  // Best effort: a removal lost in a power cut only makes the row come back,
  // where its key stops it from being written twice.
  void remove(std::int64_t sequence);

  bool reserve_present() const;
  base::Status make_reserve();

  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path entry_path(std::int64_t sequence) const;
  base::Status make_folder() const;

  std::filesystem::path folder_;
};

}  // namespace kakunin::audit::detail
