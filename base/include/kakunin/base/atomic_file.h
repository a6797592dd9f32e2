// Crash-safe whole-file writes: a reader, a crash or a power cut at any moment
// finds the old file or the whole new one, never a part.
//
//   base::Status s = base::write_file_atomically(state_dir / "trustlist.cose", bytes,
//                                                {.mode = 0640});
//   if (!s.ok()) log.error(s.error().message);    // English, with the OS's reason
//
//   // Never replace an existing file (a key another process may be creating too):
//   auto s = base::write_file_atomically(key_path, key, {.if_exists = base::IfExists::keep});
//   if (!s.ok() && s.error().os_error == EEXIST) { /* someone else's key is in place */ }
//
// How: a temporary file in the same folder (so rename is atomic), written, fsync'ed
// and closed (close errors count: NFS/CIFS report late write errors there), renamed
// (or hard-linked, for IfExists::keep) over the final name, then the folder
// fsync'ed so the rename itself survives a power cut. Without the file fsync a
// power cut after the rename can leave an empty file under the new name. A folder
// fsync that the file system does not support (EINVAL, ENOTSUP: CIFS, some FUSE
// file systems) counts as done; those file systems give no stronger promise.
//
// Temporary files are dot files starting with kTempPrefix, so a reader that picks
// up *.xml, *.json or *.cose never sees one; remove_stale_temp_files() clears what
// a crash left. Never throws.
#pragma once

#include <kakunin/base/result.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace kakunin::base {

inline constexpr std::string_view kTempPrefix = ".kakunin-tmp-";

enum class IfExists {
  replace,  // the new file replaces an existing one (rename)
  keep,     // an existing file stays; the write fails with os_error EEXIST (link)
};

struct WriteOptions {
  // Exactly these permission bits (set after creation, so the umask cannot narrow them).
  mode_t mode = 0600;
  IfExists if_exists = IfExists::replace;
  // false: the caller fsyncs the folder itself (sync_folder), e.g. to tell "in
  // place" from "durable", or once after writing several files.
  bool sync_folder = true;
};

// On failure before the rename the final name is untouched and the temporary file
// removed. When only the folder fsync fails the new file is already in place (the
// message says so); pass sync_folder = false to handle that case apart.
Status write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                             const WriteOptions& options = {});
Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                             const WriteOptions& options = {});

// fsync of a folder, so a rename or unlink in it survives a power cut. EINVAL and
// ENOTSUP (the file system cannot sync folders) count as success.
Status sync_folder(const std::filesystem::path& folder);

// Removes temporary files an interrupted write left in `folder`; returns how many.
// In a folder that other processes write to at the same time (a shared `res`
// folder, a state folder an operator's `kakunin sync --once` also writes), pass a
// `min_age` longer than any write takes, so their writes in flight are left alone.
int remove_stale_temp_files(const std::filesystem::path& folder,
                            std::chrono::seconds min_age = std::chrono::seconds{0});

}  // namespace kakunin::base
