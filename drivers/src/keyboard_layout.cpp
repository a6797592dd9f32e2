// Key tables for US and JIS (106/109) keyboards, as Linux's xkb "us" and "jp(106)"
// layouts map evdev key codes, and the decoder from key events to lines.
//
// Written by hand: libxkbcommon could map keys, but it needs a keymap compiled from
// the system's xkb data (absent on a minimal kiosk), and the scanner only ever
// sends printable ASCII; two small tables are easier to audit than a keymap.
#include <kakunin/drivers/keyboard_layout.h>

#include <linux/input-event-codes.h>

#include <array>

namespace kakunin::drivers {
namespace {

// A key on the main block: its code and the characters without/with Shift
// ('\0': the key types nothing at that level).
struct KeyCharacters {
  std::uint16_t code;
  char plain;
  char shifted;
};

// Keys whose characters are the same on both layouts.
constexpr std::array kCommonKeys = {
    KeyCharacters{KEY_Q, 'q', 'Q'},     KeyCharacters{KEY_W, 'w', 'W'},
    KeyCharacters{KEY_E, 'e', 'E'},     KeyCharacters{KEY_R, 'r', 'R'},
    KeyCharacters{KEY_T, 't', 'T'},     KeyCharacters{KEY_Y, 'y', 'Y'},
    KeyCharacters{KEY_U, 'u', 'U'},     KeyCharacters{KEY_I, 'i', 'I'},
    KeyCharacters{KEY_O, 'o', 'O'},     KeyCharacters{KEY_P, 'p', 'P'},
    KeyCharacters{KEY_A, 'a', 'A'},     KeyCharacters{KEY_S, 's', 'S'},
    KeyCharacters{KEY_D, 'd', 'D'},     KeyCharacters{KEY_F, 'f', 'F'},
    KeyCharacters{KEY_G, 'g', 'G'},     KeyCharacters{KEY_H, 'h', 'H'},
    KeyCharacters{KEY_J, 'j', 'J'},     KeyCharacters{KEY_K, 'k', 'K'},
    KeyCharacters{KEY_L, 'l', 'L'},     KeyCharacters{KEY_Z, 'z', 'Z'},
    KeyCharacters{KEY_X, 'x', 'X'},     KeyCharacters{KEY_C, 'c', 'C'},
    KeyCharacters{KEY_V, 'v', 'V'},     KeyCharacters{KEY_B, 'b', 'B'},
    KeyCharacters{KEY_N, 'n', 'N'},     KeyCharacters{KEY_M, 'm', 'M'},
    KeyCharacters{KEY_1, '1', '!'},     KeyCharacters{KEY_3, '3', '#'},
    KeyCharacters{KEY_4, '4', '$'},     KeyCharacters{KEY_5, '5', '%'},
    KeyCharacters{KEY_COMMA, ',', '<'}, KeyCharacters{KEY_DOT, '.', '>'},
    KeyCharacters{KEY_SLASH, '/', '?'}, KeyCharacters{KEY_SPACE, ' ', ' '},
};

// xkb "us".
constexpr std::array kUsKeys = {
    KeyCharacters{KEY_2, '2', '@'},         KeyCharacters{KEY_6, '6', '^'},
    KeyCharacters{KEY_7, '7', '&'},         KeyCharacters{KEY_8, '8', '*'},
    KeyCharacters{KEY_9, '9', '('},         KeyCharacters{KEY_0, '0', ')'},
    KeyCharacters{KEY_MINUS, '-', '_'},     KeyCharacters{KEY_EQUAL, '=', '+'},
    KeyCharacters{KEY_LEFTBRACE, '[', '{'}, KeyCharacters{KEY_RIGHTBRACE, ']', '}'},
    KeyCharacters{KEY_SEMICOLON, ';', ':'}, KeyCharacters{KEY_APOSTROPHE, '\'', '"'},
    KeyCharacters{KEY_GRAVE, '`', '~'},     KeyCharacters{KEY_BACKSLASH, '\\', '|'},
};

// xkb "jp(106)" (JIS 106/109). Keys are named by their US position: the key
// right of L (KEY_SEMICOLON) is ';' '+', the next (KEY_APOSTROPHE) is ':' '*',
// the key left of Enter (KEY_BACKSLASH, ANSI's backslash scancode) is ']' '}'.
// KEY_GRAVE is 半角/全角 and KEY_YEN (¥) and KEY_RO (ろ) are the two extra keys.
// Shift+0 types nothing, as on Windows, which is what scanners emulate (xkb
// puts a tilde there; no scanner sends it, '~' is Shift+^).
constexpr std::array kJisKeys = {
    KeyCharacters{KEY_2, '2', '"'},          KeyCharacters{KEY_6, '6', '&'},
    KeyCharacters{KEY_7, '7', '\''},         KeyCharacters{KEY_8, '8', '('},
    KeyCharacters{KEY_9, '9', ')'},          KeyCharacters{KEY_0, '0', '\0'},
    KeyCharacters{KEY_MINUS, '-', '='},      KeyCharacters{KEY_EQUAL, '^', '~'},
    KeyCharacters{KEY_YEN, '\\', '|'},       KeyCharacters{KEY_LEFTBRACE, '@', '`'},
    KeyCharacters{KEY_RIGHTBRACE, '[', '{'}, KeyCharacters{KEY_SEMICOLON, ';', '+'},
    KeyCharacters{KEY_APOSTROPHE, ':', '*'}, KeyCharacters{KEY_BACKSLASH, ']', '}'},
    KeyCharacters{KEY_RO, '\\', '_'},
};

// Keypad keys type the same on both layouts (scanners in "keypad" mode use them
// for digits); NumLock is taken as on, as scanners that use the keypad expect.
constexpr std::array kKeypadKeys = {
    KeyCharacters{KEY_KP0, '0', '0'},        KeyCharacters{KEY_KP1, '1', '1'},
    KeyCharacters{KEY_KP2, '2', '2'},        KeyCharacters{KEY_KP3, '3', '3'},
    KeyCharacters{KEY_KP4, '4', '4'},        KeyCharacters{KEY_KP5, '5', '5'},
    KeyCharacters{KEY_KP6, '6', '6'},        KeyCharacters{KEY_KP7, '7', '7'},
    KeyCharacters{KEY_KP8, '8', '8'},        KeyCharacters{KEY_KP9, '9', '9'},
    KeyCharacters{KEY_KPASTERISK, '*', '*'}, KeyCharacters{KEY_KPPLUS, '+', '+'},
    KeyCharacters{KEY_KPMINUS, '-', '-'},    KeyCharacters{KEY_KPDOT, '.', '.'},
    KeyCharacters{KEY_KPSLASH, '/', '/'},
};

template <typename Table>
const KeyCharacters* find_key(const Table& table, std::uint16_t code) {
  for (const auto& key : table) {
    if (key.code == code) return &key;
  }
  return nullptr;
}

const KeyCharacters* find_key(KeyboardLayout layout, std::uint16_t code) {
  if (const auto* key = find_key(kCommonKeys, code)) return key;
  if (const auto* key = find_key(kKeypadKeys, code)) return key;
  return layout == KeyboardLayout::jis ? find_key(kJisKeys, code) : find_key(kUsKeys, code);
}

template <typename Table>
std::optional<KeyStroke> find_char(const Table& table, char c) {
  for (const auto& key : table) {
    if (key.plain == c) return KeyStroke{key.code, false};
  }
  for (const auto& key : table) {
    if (key.shifted == c) return KeyStroke{key.code, true};
  }
  return std::nullopt;
}

// Modifier keys, one bit each.
int modifier_bit(std::uint16_t code) {
  switch (code) {
    case KEY_LEFTSHIFT:
      return 0;
    case KEY_RIGHTSHIFT:
      return 1;
    case KEY_LEFTCTRL:
      return 2;
    case KEY_RIGHTCTRL:
      return 3;
    case KEY_LEFTALT:
      return 4;
    case KEY_RIGHTALT:
      return 5;
    case KEY_LEFTMETA:
      return 6;
    case KEY_RIGHTMETA:
      return 7;
    default:
      return -1;
  }
}
constexpr std::uint8_t kShiftBits = 0b0000'0011;
constexpr std::uint8_t kCommandBits = 0b1111'1100;
constexpr std::string_view kJhc1Prefix = "JHC1:";

// Keys a scanner may send that are neither characters nor mistakes: lock keys
// and the IME toggles of a JIS board. They are skipped without counting.
bool is_ignorable(std::uint16_t code) {
  switch (code) {
    case KEY_CAPSLOCK:
    case KEY_NUMLOCK:
    case KEY_SCROLLLOCK:
    case KEY_ZENKAKUHANKAKU:
    case KEY_HENKAN:
    case KEY_MUHENKAN:
    case KEY_KATAKANAHIRAGANA:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<char> char_for_key(KeyboardLayout layout, std::uint16_t code, bool shift) {
  // KEY_GRAVE is a character key on US only; on JIS it is 半角/全角.
  if (layout == KeyboardLayout::jis && code == KEY_GRAVE) return std::nullopt;
  const auto* key = find_key(layout, code);
  if (!key) return std::nullopt;
  const char c = shift ? key->shifted : key->plain;
  if (c == '\0') return std::nullopt;
  return c;
}

std::optional<KeyStroke> key_for_char(KeyboardLayout layout, char c) {
  if (c == '\0') return std::nullopt;
  if (auto stroke = find_char(kCommonKeys, c)) return stroke;
  return layout == KeyboardLayout::jis ? find_char(kJisKeys, c) : find_char(kUsKeys, c);
}

std::string_view layout_name(KeyboardLayout layout) {
  return layout == KeyboardLayout::jis ? "jis" : "us";
}

std::optional<std::vector<KeyEvent>> key_events_for_text(std::string_view text,
                                                         KeyboardLayout layout) {
  std::vector<KeyEvent> events;
  events.reserve(text.size() * 4 + 4);
  const auto emit = [&events](std::uint16_t code, std::int32_t value) {
    events.push_back({EV_KEY, code, value});
    events.push_back({EV_SYN, SYN_REPORT, 0});
  };
  for (const char c : text) {
    const auto stroke = key_for_char(layout, c);
    if (!stroke) return std::nullopt;
    if (stroke->shift) emit(KEY_LEFTSHIFT, 1);
    emit(stroke->code, 1);
    emit(stroke->code, 0);
    if (stroke->shift) emit(KEY_LEFTSHIFT, 0);
  }
  emit(KEY_ENTER, 1);
  emit(KEY_ENTER, 0);
  return events;
}

KeyEventDecoder::KeyEventDecoder(KeyboardLayout layout, KeyDecoderOptions options)
    : layout_(layout), options_(options) {}

bool KeyEventDecoder::track_modifier(const KeyEvent& event) {
  const int bit = modifier_bit(event.code);
  if (bit < 0) return false;
  const auto mask = static_cast<std::uint8_t>(1U << bit);
  if (event.value == 0) {
    held_modifiers_ = static_cast<std::uint8_t>(held_modifiers_ & ~mask);
  } else {
    held_modifiers_ = static_cast<std::uint8_t>(held_modifiers_ | mask);
  }
  return true;
}

std::optional<std::string> KeyEventDecoder::feed(const KeyEvent& event) {
  if (event.type == EV_SYN) {
    if (event.code == SYN_DROPPED) {
      discard_partial();
      resyncing_ = true;
    } else if (event.code == SYN_REPORT) {
      resyncing_ = false;
    }
    return std::nullopt;
  }
  if (event.type != EV_KEY || resyncing_) return std::nullopt;
  if (track_modifier(event)) return std::nullopt;
  if (event.value == 2) {
    // Autorepeat is the kernel's answer to a key held down, not a character in
    // the symbol: a scanner presses each key once, so a stalled press must not
    // double a character (the text would then fail its signature for no reason).
    ++counters_.repeats_ignored;
    return std::nullopt;
  }
  if (event.value != 1) return std::nullopt;  // releases
  if (event.code == KEY_ENTER || event.code == KEY_KPENTER) return end_line();
  type_key(event.code);
  return std::nullopt;
}

void KeyEventDecoder::type_key(std::uint16_t code) {
  if (is_ignorable(code)) return;
  const bool command = (held_modifiers_ & kCommandBits) != 0;
  const auto c =
      command ? std::nullopt : char_for_key(layout_, code, (held_modifiers_ & kShiftBits) != 0);
  if (!c) {
    ++counters_.dropped_keys;
    return;
  }
  if (overlong_) return;
  note_other_layout(code);
  if (line_.size() >= options_.max_line_bytes) {
    overlong_ = true;
    line_.clear();
    return;
  }
  line_.push_back(*c);
}

void KeyEventDecoder::note_other_layout(std::uint16_t code) {
  if (other_layout_prefix_.size() >= kJhc1Prefix.size()) return;
  const auto other = layout_ == KeyboardLayout::jis ? KeyboardLayout::us : KeyboardLayout::jis;
  const auto c = char_for_key(other, code, (held_modifiers_ & kShiftBits) != 0);
  other_layout_prefix_.push_back(c.value_or('\0'));
}

std::optional<std::string> KeyEventDecoder::end_line() {
  const bool other_layout_says_jhc1 = other_layout_prefix_ == kJhc1Prefix;
  other_layout_prefix_.clear();
  if (overlong_) {
    overlong_ = false;
    ++counters_.overlong_lines;
    return std::nullopt;
  }
  if (line_.empty()) return std::nullopt;
  ++counters_.lines;
  if (other_layout_says_jhc1 && !line_.starts_with(kJhc1Prefix)) ++counters_.layout_mismatches;
  std::string line;
  line.swap(line_);
  return line;
}

bool KeyEventDecoder::discard_partial() {
  held_modifiers_ = 0;
  other_layout_prefix_.clear();
  if (!has_partial()) return false;
  line_.clear();
  overlong_ = false;
  ++counters_.discarded_partials;
  return true;
}

}  // namespace kakunin::drivers
