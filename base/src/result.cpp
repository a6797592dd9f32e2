#include <kakunin/base/result.h>

#include <system_error>

namespace kakunin::base {

Error system_error(std::string_view what, int error_number) {
  // std::error_code's text is strerror's, without strerror's shared buffer.
  return {
      std::string(what) + ": " + std::error_code(error_number, std::generic_category()).message(),
      error_number};
}

}  // namespace kakunin::base
