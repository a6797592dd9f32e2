#include "base45.h"

#include <array>

namespace kakunin::crypto {
namespace {

// Written by hand: no Debian library offers Base45, and the decoder is a page.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

constexpr std::array<int, 256> make_reverse_table() {
  std::array<int, 256> table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr auto kReverse = make_reverse_table();

}  // namespace

std::optional<Bytes> base45_decode(std::string_view text) {
  if (text.size() % 3 == 1) return std::nullopt;
  Bytes out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t group = std::min<std::size_t>(3, text.size() - i);
    std::uint32_t value = 0;
    std::uint32_t weight = 1;
    for (std::size_t j = 0; j < group; ++j) {
      const int digit = kReverse[static_cast<unsigned char>(text[i + j])];
      if (digit < 0) return std::nullopt;
      value += static_cast<std::uint32_t>(digit) * weight;
      weight *= 45;
    }
    if (group == 3) {
      if (value > 0xFFFF) return std::nullopt;
      out.push_back(static_cast<std::uint8_t>(value >> 8));
      out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    } else {
      if (value > 0xFF) return std::nullopt;
      out.push_back(static_cast<std::uint8_t>(value));
    }
  }
  return out;
}

}  // namespace kakunin::crypto
