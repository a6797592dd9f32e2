// Owns one POSIX file descriptor and closes it exactly once.
//
//   base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
//   if (!fd) return base::system_error("cannot open " + path.string(), errno);
//   ::read(fd.get(), buffer, size);
//   return fd;                                  // ownership moves with it
//
// close() closes early and reports what close(2) said: on NFS and CIFS a late
// write error shows up only there, so a writer must look at it.
#pragma once

#include <kakunin/base/result.h>

namespace kakunin::base {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // Gives the descriptor up without closing it.
  [[nodiscard]] int release();
  // Closes the held descriptor (ignoring close's result) and holds `fd` instead.
  void reset(int fd = -1);
  // Closes now; the error close(2) reported, if any. Closing an empty one is ok.
  Status close();

 private:
  int fd_ = -1;
};

}  // namespace kakunin::base
