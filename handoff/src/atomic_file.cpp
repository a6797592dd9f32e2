#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace kakunin::handoff {
namespace {

std::string os_error(std::string_view what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the error close() gives (NFS/CIFS report late write errors there).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

std::string temp_name_for(std::string_view name) {
  static std::atomic<unsigned> counter{0};
  return std::string(kTempPrefix) + std::string(name) + "." + std::to_string(::getpid()) + "." +
         std::to_string(counter.fetch_add(1));
}

std::string write_all(int fd, std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("write", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

std::string sync_directory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return os_error("open folder " + dir.string(), errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) {  // EINVAL: the filesystem cannot sync folders
    return os_error("fsync folder " + dir.string(), errno);
  }
  return {};
}

std::string write_file_atomically(const std::filesystem::path& dir, std::string_view name,
                                  std::string_view bytes, mode_t mode) {
  FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return os_error("open folder " + dir.string(), errno);
  const std::string temp = temp_name_for(name);
  FileDescriptor fd(
      ::openat(dir_fd.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) return os_error("create temp file in " + dir.string(), errno);

  auto fail = [&](std::string error) {
    ::unlinkat(dir_fd.get(), temp.c_str(), 0);
    return error;
  };
  // The umask may have narrowed `mode` at creation; set exactly what was asked.
  if (::fchmod(fd.get(), mode) != 0) return fail(os_error("chmod temp file", errno));
  if (auto error = write_all(fd.get(), bytes); !error.empty()) return fail(error);
  if (::fsync(fd.get()) != 0) return fail(os_error("fsync temp file", errno));
  if (fd.close() != 0) return fail(os_error("close temp file", errno));
  if (::renameat(dir_fd.get(), temp.c_str(), dir_fd.get(), std::string(name).c_str()) != 0) {
    return fail(os_error("rename into place", errno));
  }
  if (::fsync(dir_fd.get()) != 0 && errno != EINVAL) {
    return os_error("fsync folder " + dir.string(), errno);
  }
  return {};
}

int remove_stale_temp_files(const std::filesystem::path& dir, std::chrono::seconds min_age) {
  int removed = 0;
  std::error_code ec;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kTempPrefix, 0) != 0) continue;
    std::error_code time_ec;
    const auto modified = entry.last_write_time(time_ec);
    if (time_ec || now - modified < min_age) continue;
    std::error_code remove_ec;
    if (std::filesystem::remove(entry.path(), remove_ec)) ++removed;
  }
  if (removed > 0) sync_directory(dir);
  return removed;
}

}  // namespace kakunin::handoff
