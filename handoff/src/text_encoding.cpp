#include "text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

namespace kakunin::handoff {
namespace {

// Length of the sequence a UTF-8 lead byte starts, 0 for an invalid lead byte.
int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Counts the characters (not bytes) of the UTF-8 prefix, for error positions.
std::size_t utf8_characters(std::string_view prefix) {
  std::size_t count = 0;
  for (unsigned char c : prefix) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
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
    const std::size_t position =
        input_is_utf8 ? utf8_characters(input.substr(0, at)) + 1 : at + 1;
    return {{}, std::string(errno == EILSEQ ? "no " : "incomplete input for ") + to +
                    " mapping for " + (input_is_utf8 ? "character " : "byte ") +
                    std::to_string(position)};
  }
  out.resize(static_cast<std::size_t>(out_ptr - out.data()));
  return {std::move(out), {}};
}

}  // namespace

std::optional<std::vector<char32_t>> decode_utf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = sequence_length(lead);
    if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) return std::nullopt;
    char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (int k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_xml_char(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  return cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF;
}

Converted utf8_to_cp932(std::string_view utf8) {
  if (!decode_utf8(utf8)) return {{}, "not well-formed UTF-8"};
  return convert(utf8, "CP932", "UTF-8", true);
}

Converted cp932_to_utf8(std::string_view cp932) {
  return convert(cp932, "UTF-8", "CP932", false);
}

}  // namespace kakunin::handoff
