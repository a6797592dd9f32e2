#include <kakunin/base/utf8.h>

namespace kakunin::base {
namespace {

constexpr char32_t kReplacement = U'\uFFFD';

// The code point of the well-formed sequence at text[at] and its length in bytes,
// or a length of 0 when none starts there.
struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;
};

Decoded decode_at(const unsigned char* text, std::size_t size, std::size_t at) {
  const unsigned char lead = text[at];
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;  // below it the form is overlong
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code_point = lead & 0x1F, smallest = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code_point = lead & 0x0F, smallest = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code_point = lead & 0x07, smallest = 0x10000;
  } else {
    return {};  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (size - at < length) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char next = text[at + k];
    if ((next & 0xC0) != 0x80) return {};
    code_point = code_point << 6 | (next & 0x3F);
  }
  if (code_point < smallest || code_point > 0x10FFFF) return {};
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return {};
  return {code_point, length};
}

bool valid(const unsigned char* text, std::size_t size) {
  for (std::size_t at = 0; at < size;) {
    const Decoded d = decode_at(text, size, at);
    if (d.length == 0) return false;
    at += d.length;
  }
  return true;
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

bool is_valid_utf8(std::string_view text) { return valid(bytes_of(text), text.size()); }

bool is_valid_utf8(std::span<const std::uint8_t> bytes) {
  return valid(bytes.data(), bytes.size());
}

std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Decoded d = decode_at(bytes_of(text), text.size(), at);
    if (d.length == 0) return std::nullopt;
    out += d.code_point;
    at += d.length;
  }
  return out;
}

std::u32string decode_utf8_lossy(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Decoded d = decode_at(bytes_of(text), text.size(), at);
    out += d.length == 0 ? kReplacement : d.code_point;
    at += d.length == 0 ? 1 : d.length;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t cp : text) append_utf8(out, cp);
  return out;
}

}  // namespace kakunin::base
