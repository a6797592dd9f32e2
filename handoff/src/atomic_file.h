// Whole-file writes a reader can never see half of: a temp file in the same folder,
// fsync, rename over the final name, fsync of the folder.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace kakunin::handoff {

// Temp files start with this, so a レセコン that picks up OQSsiquc01res_*.xml or
// *.json never sees one, and a restart can remove what a crash left.
inline constexpr std::string_view kTempPrefix = ".kakunin-tmp-";

// Writes `bytes` to dir/name with permission bits `mode`. Returns an English error
// (with the OS reason, never the content) or empty on success. On failure the
// final name is untouched and the temp file is removed.
std::string write_file_atomically(const std::filesystem::path& dir, std::string_view name,
                                  std::string_view bytes, mode_t mode);

// fsync of a folder, so a rename or unlink in it survives a power cut.
std::string sync_directory(const std::filesystem::path& dir);

// Removes temp files an interrupted write left in `dir`; returns how many. In a
// folder other kiosks may write to at the same time (a shared `res` folder), pass a
// `min_age` longer than any write takes so their in-flight temp files are left alone.
int remove_stale_temp_files(const std::filesystem::path& dir,
                            std::chrono::seconds min_age = std::chrono::seconds{0});

}  // namespace kakunin::handoff
