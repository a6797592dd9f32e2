// Crash-safe replacement of a held list. Written with POSIX calls because the
// standard library cannot fsync a file or a folder, and both are needed: without
// the file fsync a power cut after rename can leave an empty file under the new
// name; without the folder fsync the rename itself can be lost.
#include <kakunin/sync/sync.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace kakunin::sync {
namespace {

std::string os_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// Closes the descriptor and, unless released, removes the temporary file.
class TemporaryFile {
 public:
  TemporaryFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void keep() { kept_ = true; }

 private:
  int fd_;
  std::string path_;
  bool kept_ = false;
};

bool write_all(int fd, crypto::ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool fsync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

bool write_file_atomically(const std::filesystem::path& path, crypto::ByteView bytes,
                           std::string* error) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  // Same folder, so rename() is atomic (same file system); a dot name so a crash
  // leftover is never mistaken for a list.
  std::string pattern = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    *error = os_error("cannot create a temporary file in", folder);
    return false;
  }
  TemporaryFile temp(fd, pattern);
  if (::fchmod(temp.fd(), 0640) != 0 || !write_all(temp.fd(), bytes)) {
    *error = os_error("cannot write", temp.path());
    return false;
  }
  if (::fsync(temp.fd()) != 0) {
    *error = os_error("cannot fsync", temp.path());
    return false;
  }
  if (!temp.close()) {
    *error = os_error("cannot close", temp.path());
    return false;
  }
  if (::rename(temp.path().c_str(), path.c_str()) != 0) {
    *error = os_error("cannot rename the new list to", path);
    return false;
  }
  temp.keep();
  if (!fsync_folder(folder)) {
    // The new file is in place; only its durability across a power cut is unsure.
    *error = os_error("replaced, but cannot fsync the folder", folder);
    return false;
  }
  return true;
}

std::optional<crypto::Bytes> read_whole_file(const std::filesystem::path& path,
                                             std::int64_t max_bytes, std::string* error) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    *error = "cannot open " + path.string();
    return std::nullopt;
  }
  const std::streamoff size = file.tellg();
  if (size < 0 || size > max_bytes) {
    *error = path.string() + " is larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  crypto::Bytes bytes(static_cast<std::size_t>(size));
  file.seekg(0);
  if (!file.read(reinterpret_cast<char*>(bytes.data()), size)) {
    *error = "cannot read " + path.string();
    return std::nullopt;
  }
  return bytes;
}

}  // namespace kakunin::sync
