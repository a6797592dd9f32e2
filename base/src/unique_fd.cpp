#include <kakunin/base/unique_fd.h>

#include <unistd.h>

#include <cerrno>

namespace kakunin::base {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  // close(2) is not retried on EINTR: on Linux the descriptor is gone either way.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status UniqueFd::close() {
  if (fd_ < 0) return {};
  const int fd = release();
  if (::close(fd) != 0) return system_error("close", errno);
  return {};
}

}  // namespace kakunin::base
