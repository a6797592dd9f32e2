#include <kakunin/base/read_file.h>
#include <kakunin/base/unique_fd.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace kakunin::base {
namespace {

template <typename Buffer>
Result<Buffer> read_bounded(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string name = path.string();
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd) return system_error("cannot open " + name, errno);
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return system_error("cannot stat " + name, errno);
  if (!S_ISREG(status.st_mode)) return Error{name + " is not a regular file", 0};
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return system_error("cannot read " + name, errno);
  }
  const auto too_large = [&] {
    return Error{name + " is larger than " + std::to_string(max_bytes) + " bytes", EFBIG};
  };
  if (status.st_size < 0 || static_cast<std::uintmax_t>(status.st_size) > max_bytes)
    return too_large();

  // The file's size and one byte more: a file that did not grow is read without
  // a reallocation (which would hold two copies of a 64 MiB list at once), and the
  // spare byte tells one that grew.
  Buffer bytes(static_cast<std::size_t>(status.st_size) + 1, {});
  std::size_t used = 0;
  for (;;) {
    // One byte of room beyond the limit tells a file that grew past it.
    if (used == bytes.size())
      bytes.resize(std::min(max_bytes + 1, std::max<std::size_t>(used * 2, 4096)));
    if (used == bytes.size()) return too_large();
    const ssize_t got = ::read(fd.get(), bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return system_error("cannot read " + name, errno);
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
    if (used > max_bytes) return too_large();
  }
  bytes.resize(used);
  return bytes;
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  return read_bounded<std::string>(path, max_bytes);
}

Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path,
                                                  std::size_t max_bytes) {
  return read_bounded<std::vector<std::uint8_t>>(path, max_bytes);
}

}  // namespace kakunin::base
