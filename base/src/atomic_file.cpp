// Written with POSIX calls because the standard library can fsync neither a file
// nor a folder, and both are needed (see atomic_file.h).
#include <kakunin/base/atomic_file.h>
#include <kakunin/base/unique_fd.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <system_error>

namespace kakunin::base {
namespace {

namespace fs = std::filesystem;

// A file system that cannot sync folders answers EINVAL (CIFS, many FUSE) or
// ENOTSUP; neither means the data is at risk beyond what that file system promises.
bool folder_sync_unsupported(int error) {
  return error == EINVAL || error == ENOTSUP || error == EOPNOTSUPP;
}

Status fsync_folder(int folder_fd, const fs::path& folder) {
  if (::fsync(folder_fd) != 0 && !folder_sync_unsupported(errno)) {
    return system_error("cannot fsync the folder " + folder.string(), errno);
  }
  return {};
}

UniqueFd open_folder(const fs::path& folder) {
  return UniqueFd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

// Unique within the process (a counter) and across processes (the pid). A name a
// crashed process with a recycled pid left behind is skipped by O_EXCL.
std::string next_temp_name(std::string_view final_name) {
  static std::atomic<unsigned> counter{0};
  return std::string(kTempPrefix) + std::string(final_name) + "." + std::to_string(::getpid()) +
         "." + std::to_string(counter.fetch_add(1));
}

Status write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return system_error("write", errno);
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return {};
}

// A created temporary file in `folder_fd`, removed again unless it was moved into place.
class TempFile {
 public:
  TempFile(int folder_fd, std::string name, UniqueFd fd)
      : folder_fd_(folder_fd), name_(std::move(name)), fd_(std::move(fd)) {}
  ~TempFile() {
    if (!name_.empty()) ::unlinkat(folder_fd_, name_.c_str(), 0);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  Status close() { return fd_.close(); }
  void forget() { name_.clear(); }  // it was renamed: nothing left to remove

 private:
  int folder_fd_;
  std::string name_;
  UniqueFd fd_;
};

Result<UniqueFd> create_exclusive(int folder_fd, const std::string& name, mode_t mode) {
  UniqueFd fd(::openat(folder_fd, name.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) return Error{"", errno};
  return fd;
}

Status write_file(const fs::path& path, const std::uint8_t* data, std::size_t size,
                  const WriteOptions& options) {
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string final_name = path.filename().string();
  if (final_name.empty() || final_name == "." || final_name == "..") {
    return Error{"cannot write " + path.string() + ": not a file name", EINVAL};
  }
  const UniqueFd folder_fd = open_folder(folder);
  if (!folder_fd) return system_error("cannot open the folder " + folder.string(), errno);

  std::string temp_name;
  UniqueFd temp_fd;
  for (int attempt = 0; attempt < 16 && !temp_fd; ++attempt) {
    temp_name = next_temp_name(final_name);
    auto created = create_exclusive(folder_fd.get(), temp_name, options.mode);
    if (created.ok()) {
      temp_fd = std::move(created).value();
    } else if (created.error().os_error != EEXIST) {
      return system_error("cannot create a temporary file in " + folder.string(),
                          created.error().os_error);
    }
  }
  if (!temp_fd)
    return Error{"cannot create a temporary file in " + folder.string() + ": names in use", EEXIST};
  TempFile temp(folder_fd.get(), temp_name, std::move(temp_fd));

  const std::string temp_path = (folder / temp.name()).string();
  // The umask may have narrowed the mode at creation; set exactly what was asked.
  if (::fchmod(temp.fd(), options.mode) != 0)
    return system_error("cannot chmod " + temp_path, errno);
  if (auto written = write_all(temp.fd(), data, size); !written.ok()) {
    return system_error("cannot write " + temp_path, written.error().os_error);
  }
  if (::fsync(temp.fd()) != 0) return system_error("cannot fsync " + temp_path, errno);
  if (auto closed = temp.close(); !closed.ok()) {
    return system_error("cannot close " + temp_path, closed.error().os_error);
  }

  if (options.if_exists == IfExists::replace) {
    if (::renameat(folder_fd.get(), temp.name().c_str(), folder_fd.get(), final_name.c_str()) !=
        0) {
      return system_error("cannot rename the new file to " + path.string(), errno);
    }
  } else {
    // link(2) never replaces: on EEXIST the existing file stays as it was.
    if (::linkat(folder_fd.get(), temp.name().c_str(), folder_fd.get(), final_name.c_str(), 0) !=
        0) {
      return system_error("cannot create " + path.string(), errno);
    }
    // The folder fsync below makes the link and this unlink durable together.
    ::unlinkat(folder_fd.get(), temp.name().c_str(), 0);
  }
  temp.forget();
  if (!options.sync_folder) return {};
  if (auto synced = fsync_folder(folder_fd.get(), folder); !synced.ok()) {
    return Error{path.string() + " is in place, but " + synced.error().message,
                 synced.error().os_error};
  }
  return {};
}

}  // namespace

Status write_file_atomically(const fs::path& path, std::span<const std::uint8_t> bytes,
                             const WriteOptions& options) {
  return write_file(path, bytes.data(), bytes.size(), options);
}

Status write_file_atomically(const fs::path& path, std::string_view bytes,
                             const WriteOptions& options) {
  return write_file(path, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                    options);
}

Status sync_folder(const fs::path& folder) {
  const UniqueFd fd = open_folder(folder);
  if (!fd) return system_error("cannot open the folder " + folder.string(), errno);
  return fsync_folder(fd.get(), folder);
}

int remove_stale_temp_files(const fs::path& folder, std::chrono::seconds min_age) {
  int removed = 0;
  std::error_code ec;
  // File times are compared with the file system's own clock: they are its stamps.
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().filename().string().rfind(kTempPrefix, 0) != 0) continue;
    std::error_code entry_ec;
    const auto modified = entry.last_write_time(entry_ec);
    if (entry_ec || now - modified < min_age) continue;
    if (fs::remove(entry.path(), entry_ec)) ++removed;
  }
  if (removed > 0) (void)sync_folder(folder);  // best effort: the next start tries again
  return removed;
}

}  // namespace kakunin::base
