// The POST retry queue on disk: one file per hand-off, named by its sequence number,
// written atomically (0600 in a 0700 folder), removed once the receiver took it.
// A lock file keeps a second kakunin process from sending the same queue.
#pragma once

#include <kakunin/base/unique_fd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace kakunin::handoff {

class Outbox {
 public:
  struct Opened {
    std::unique_ptr<Outbox> outbox;
    std::string error;  // English, when outbox is null
  };
  // Creates the folder (0700) when missing, takes the lock, removes temp files an
  // interrupted write left, and reads the sequence counter and the queued items.
  static Opened open(const std::filesystem::path& dir);
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // The next sequence number, persisted before it is returned so a number is never
  // given out twice, across restarts, even when the queue is empty. Not thread-safe
  // (the caller serialises).
  std::optional<std::uint64_t> reserve_sequence(std::string& error);

  std::string enqueue(std::uint64_t sequence, std::string_view body);  // error or empty
  std::optional<std::string> read(std::uint64_t sequence, std::string& error) const;
  std::string remove(std::uint64_t sequence);  // error or empty

  // The sequence numbers queued, oldest first (as read at open() plus enqueued since).
  const std::set<std::uint64_t>& pending() const { return pending_; }
  const std::filesystem::path& dir() const { return dir_; }

  static std::string item_name(std::uint64_t sequence);  // 00000000000000000042.json

 private:
  Outbox(std::filesystem::path dir, base::UniqueFd lock_fd)
      : dir_(std::move(dir)), lock_fd_(std::move(lock_fd)) {}
  std::string load();

  std::filesystem::path dir_;
  base::UniqueFd lock_fd_;  // holds the flock; closing it releases the lock
  std::uint64_t last_sequence_ = 0;
  std::set<std::uint64_t> pending_;
};

}  // namespace kakunin::handoff
