// Fuzzes what a handheld scanner sends. First byte even: the rest is serial bytes,
// fed to the LineSplitter in chunks of (first byte / 2 + 1) bytes. Odd: the rest
// is key events, 4 bytes each (type mod 5, code little-endian, value mod 4), fed
// to the KeyEventDecoder on both layouts.
#include <kakunin/drivers/keyboard_layout.h>
#include <kakunin/drivers/scanner.h>

#include <cstdint>
#include <string_view>

namespace {

using namespace kakunin::drivers;

constexpr std::size_t kMaxLine = 64;  // small, so runaway lines are reached

void check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void fuzz_serial(const std::uint8_t* data, std::size_t size, std::size_t chunk) {
  LineSplitter splitter(kMaxLine);
  std::uint64_t delivered = 0;
  for (std::size_t at = 0; at < size; at += chunk) {
    const std::string_view bytes(reinterpret_cast<const char*>(data + at),
                                 std::min(chunk, size - at));
    for (const auto& line : splitter.feed(bytes)) {
      // A delivered line is never empty, never too long, never holds a line end.
      check(!line.empty() && line.size() <= kMaxLine);
      check(line.find_first_of("\r\n") == std::string::npos);
      ++delivered;
    }
  }
  check(splitter.counters().lines == delivered);
  splitter.discard_partial();
  check(!splitter.has_partial());
}

void fuzz_keys(const std::uint8_t* data, std::size_t size, KeyboardLayout layout) {
  KeyEventDecoder decoder(layout, KeyDecoderOptions{kMaxLine});
  std::uint64_t delivered = 0;
  for (std::size_t at = 0; at + 4 <= size; at += 4) {
    const KeyEvent event{static_cast<std::uint16_t>(data[at] % 5),
                         static_cast<std::uint16_t>(data[at + 1] | (data[at + 2] << 8)),
                         static_cast<std::int32_t>(data[at + 3] % 4)};
    if (auto line = decoder.feed(event)) {
      check(!line->empty() && line->size() <= kMaxLine);
      // Only printable ASCII comes out of a key table.
      for (const char c : *line) check(c >= 0x20 && c <= 0x7e);
      ++delivered;
    }
  }
  check(decoder.counters().lines == delivered);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if ((data[0] & 1) == 0) {
    fuzz_serial(data + 1, size - 1, static_cast<std::size_t>(data[0] / 2) + 1);
  } else {
    fuzz_keys(data + 1, size - 1, KeyboardLayout::us);
    fuzz_keys(data + 1, size - 1, KeyboardLayout::jis);
  }
  return 0;
}
