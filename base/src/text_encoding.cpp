#include <kakunin/base/text_encoding.h>
#include <kakunin/base/utf8.h>

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace kakunin::base {
namespace {

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

bool is_utf8_name(const char* encoding) {
  return strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0;
}

// The 1-based position of the input at byte offset `at`, as the header promises.
std::size_t position_of(std::string_view input, std::size_t at, bool counts_characters) {
  if (!counts_characters) return at + 1;
  return decode_utf8_lossy(input.substr(0, at)).size() + 1;
}

}  // namespace

Result<std::string> convert_encoding(std::string_view input, const char* to, const char* from) {
  iconv_t raw = iconv_open(to, from);
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return Error{std::string("iconv cannot convert ") + from + " to " + to};
  }
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::string out(input.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(input.data());  // iconv's API is not const-correct
  std::size_t in_left = input.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    const std::size_t done = iconv(raw, &in_ptr, &in_left, &out_ptr, &out_left);
    if (done != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {  // 4x room covers every encoding used here; stay correct anyway
      const auto used = static_cast<std::size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    const bool counts_characters = is_utf8_name(from) && is_valid_utf8(input);
    const std::size_t position =
        position_of(input, static_cast<std::size_t>(in_ptr - input.data()), counts_characters);
    return Error{std::string(errno == EILSEQ ? "no " : "incomplete input for ") + to +
                 " mapping for " + (counts_characters ? "character " : "byte ") +
                 std::to_string(position)};
  }
  out.resize(static_cast<std::size_t>(out_ptr - out.data()));
  return out;
}

Result<std::string> utf8_to_cp932(std::string_view utf8) {
  if (!is_valid_utf8(utf8)) return Error{"not well-formed UTF-8"};
  return convert_encoding(utf8, "CP932", "UTF-8");
}

Result<std::string> cp932_to_utf8(std::string_view cp932) {
  return convert_encoding(cp932, "UTF-8", "CP932");
}

}  // namespace kakunin::base
