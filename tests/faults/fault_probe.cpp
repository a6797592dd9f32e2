// kakunin-fault-probe: one file system operation, for testing the fault shim (and
// for trying a fault setting by hand before writing a test around it).
//
//   export KAKUNIN_FAULT_DIR=/tmp/share KAKUNIN_FAULT_ACTION=fail KAKUNIN_FAULT_ERRNO=ENOSPC
//   LD_PRELOAD=build/tests/faults/libkakunin_fault_shim.so  (then, on the same line)
//       build/tests/faults/kakunin-fault-probe write /tmp/share/file  ->  error: No space ...
//
// Prints "ok" (exit 0) or "error: <the OS's reason>" (exit 1); usage errors exit 2.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace {

int report(bool ok) {
  if (ok) {
    std::puts("ok");
    return 0;
  }
  std::printf("error: %s\n", std::strerror(errno));
  return 1;
}

// open, write, fsync, close: what a careful writer does.
bool write_through(int fd) {
  if (fd < 0) return false;
  const std::string_view bytes = "kakunin fault probe\n";
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
                  ::fsync(fd) == 0;
  const int saved = errno;
  const bool closed = ::close(fd) == 0;
  if (!ok) errno = saved;
  return ok && closed;
}

bool read_all(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
  }
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return n == 0;
}

// A file created relative to a folder descriptor, as crash-safe writers do.
bool write_at(const char* dir, const char* name) {
  const int dir_fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return false;
  const bool ok =
      write_through(::openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  const int saved = errno;
  ::close(dir_fd);
  errno = saved;
  return ok;
}

// A folder opened as libstdc++'s directory_iterator does (open, fdopendir, closedir),
// then a file elsewhere that may get the same descriptor number.
bool list_then_write(const char* dir, const char* file) {
  DIR* listing = ::fdopendir(::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (listing == nullptr) return false;
  ::closedir(listing);
  return write_through(::open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view op = argc > 1 ? argv[1] : "";
  struct stat st {};
  if (op == "write" && argc == 3) {
    return report(write_through(::open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)));
  }
  if (op == "write-at" && argc == 4) return report(write_at(argv[2], argv[3]));
  if (op == "list-then-write" && argc == 4) return report(list_then_write(argv[2], argv[3]));
  if (op == "read" && argc == 3) return report(read_all(argv[2]));
  if (op == "stat" && argc == 3) return report(::stat(argv[2], &st) == 0);
  if (op == "mkdir" && argc == 3) return report(::mkdir(argv[2], 0700) == 0);
  if (op == "rename" && argc == 4) return report(::rename(argv[2], argv[3]) == 0);
  if (op == "unlink" && argc == 3) return report(::unlink(argv[2]) == 0);
  std::fputs(
      "usage: kakunin-fault-probe write|read|stat|mkdir|unlink PATH | write-at DIR NAME | "
      "rename FROM TO | list-then-write DIR FILE\n",
      stderr);
  return 2;
}
