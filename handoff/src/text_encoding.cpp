#include "text_encoding.h"

#include <kakunin/base/utf8.h>

#include <iconv.h>

#include <cerrno>
#include <memory>

namespace kakunin::handoff {
namespace {

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Counts the characters (not bytes) of the UTF-8 prefix, for error positions.
std::size_t utf8_characters(std::string_view prefix) {
  return base::decode_utf8_lossy(prefix).size();
}

Converted convert(std::string_view input, const char* to, const char* from, bool input_is_utf8) {
  iconv_t raw = iconv_open(to, from);
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return {{}, std::string("iconv cannot convert ") + from + " to " + to};
  }
  std::unique_ptr<void, IconvCloser> cd(raw);
  std::string out;
  out.resize(input.size() * 4 + 16);
  char* in_ptr = const_cast<char*>(input.data());  // iconv's API is not const-correct
  std::size_t in_left = input.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    const std::size_t done = iconv(raw, &in_ptr, &in_left, &out_ptr, &out_left);
    if (done != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {  // cannot happen with 4x room, but stay correct
      const std::size_t used = static_cast<std::size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    const std::size_t at = static_cast<std::size_t>(in_ptr - input.data());
    const std::size_t position = input_is_utf8 ? utf8_characters(input.substr(0, at)) + 1 : at + 1;
    return {{},
            std::string(errno == EILSEQ ? "no " : "incomplete input for ") + to + " mapping for " +
                (input_is_utf8 ? "character " : "byte ") + std::to_string(position)};
  }
  out.resize(static_cast<std::size_t>(out_ptr - out.data()));
  return {std::move(out), {}};
}

}  // namespace

bool is_xml_char(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

Converted utf8_to_cp932(std::string_view utf8) {
  if (!base::is_valid_utf8(utf8)) return {{}, "not well-formed UTF-8"};
  return convert(utf8, "CP932", "UTF-8", true);
}

Converted cp932_to_utf8(std::string_view cp932) { return convert(cp932, "UTF-8", "CP932", false); }

}  // namespace kakunin::handoff
