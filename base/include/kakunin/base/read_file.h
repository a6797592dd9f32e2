// The one bounded file reader: reads a whole regular file of at most `max_bytes`.
//
//   base::Result<std::string> pem = base::read_file(path, 64 * 1024);
//   base::Result<std::vector<std::uint8_t>> list = base::read_file_bytes(path, 64 << 20);
//   if (!list.ok()) log.warn(list.error().message);  // "PATH is larger than N bytes", ...
//
// Refuses what is not a regular file (a FIFO, a device, a folder) instead of
// reading it: the file is opened with O_NONBLOCK, so opening a FIFO with no writer
// (how a hung share or a failing USB stick can look) returns at once, checked with
// fstat, and only then switched back to blocking reads. A file that grows past
// `max_bytes` while it is read is refused too, so memory stays bounded. Never throws.
#pragma once

#include <kakunin/base/result.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kakunin::base {

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes);
Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path,
                                                  std::size_t max_bytes);

}  // namespace kakunin::base
