#include <kakunin/base/file_name.h>

namespace kakunin::base {

std::string file_name_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool keep =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out.push_back(keep ? c : '-');
  }
  return out.empty() ? "kiosk" : out;
}

}  // namespace kakunin::base
