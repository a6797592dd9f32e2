// Reads of file:// URLs that the caller can abandon, inside the library.
//
// A read from a hung NFS/SMB share or a failing USB stick can sit in the kernel
// (in open() or read()) where nothing interrupts it. So each read runs on a worker
// thread of its own and the caller waits for it only until its deadline or its
// cancel flag; then it returns and the worker is left behind (detached). The
// worker holds only what it shares with this object by shared_ptr, so it touches
// nothing that may be gone when the kernel finally lets it return. A path whose
// earlier read has not returned yet is refused at once rather than given a second
// stuck thread, so a share that stays hung costs one thread per file, not one per
// attempt.
#pragma once

#include <kakunin/base/clock.h>
#include <kakunin/base/result.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace kakunin::net::detail {

using Bytes = std::vector<std::uint8_t>;
// Reads a whole file of at most max_bytes; base::read_file_bytes in the library,
// a test's stand-in in the tests.
using FileReader = std::function<base::Result<Bytes>(const std::filesystem::path&, std::size_t)>;

struct FileReadOutcome {
  enum class Kind {
    done,         // the reader returned: `result` holds its bytes or its error
    timed_out,    // the deadline passed first; the worker is left behind
    cancelled,    // the cancel flag turned true first; the worker is left behind
    still_stuck,  // an earlier read of this path has not returned yet; nothing started
    no_thread,    // no worker thread could be started
  };
  Kind kind = Kind::no_thread;
  base::Result<Bytes> result = base::Error{"not read", 0};
};

class FileReads : public std::enable_shared_from_this<FileReads> {
 public:
  // Always held by a shared_ptr (workers keep it alive).
  static std::shared_ptr<FileReads> make(FileReader reader);

  // Returns within `timeout` (measured on `clock`'s steady time) or about 50 ms
  // after `cancel` turns true.
  FileReadOutcome read(const std::filesystem::path& path, std::size_t max_bytes,
                       std::chrono::milliseconds timeout, const std::atomic<bool>& cancel,
                       const base::Clock& clock);

  // Workers started and not returned yet (for tests).
  std::size_t in_flight() const;

 private:
  explicit FileReads(FileReader reader) : reader_(std::move(reader)) {}
  bool claim(const std::string& path);
  void release(const std::string& path);

  FileReader reader_;
  mutable std::mutex mutex_;
  std::set<std::string> busy_;  // paths whose worker is out, guarded by mutex_
};

}  // namespace kakunin::net::detail
