// Errors as values, the one shape for the libraries above crypto: a Result<T>
// holds a T or an Error, a Status holds nothing or an Error. Nothing in
// kakunin_base throws across its headers.
//
//   base::Result<std::string> key = base::read_file(path, 64 * 1024);
//   if (!key.ok()) return log.error("cannot read the key: " + key.error().message);
//   use(key.value());
//
//   base::Status written = base::write_file_atomically(path, bytes);
//   if (!written.ok() && written.error().os_error == ENOSPC) show_disk_full();
//
// Both are [[nodiscard]]: a failure cannot be dropped by forgetting to look.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kakunin::base {

struct Error {
  std::string message;  // English, one line, never personal data
  int os_error = 0;     // errno of the system call that failed, 0 when none did
};

// "what: <the OS's text for error_number>", with os_error set.
Error system_error(std::string_view what, int error_number);

// E: a library's own error with more to tell than Error (audit's keeps SQLite's
// result code); inside that library only, Error at its public headers.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  // Only when ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  // Only when !ok().
  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  Status(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }  // only when !ok()

 private:
  std::optional<Error> error_;
};

}  // namespace kakunin::base
