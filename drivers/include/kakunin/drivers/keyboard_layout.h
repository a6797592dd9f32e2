// Keyboard-wedge scanners: a handheld 2D scanner that decodes the QR itself and
// "types" the text as USB HID key presses. The kiosk reads those key events from
// evdev (not typed text from a window), so it must know which character each key
// makes on the layout the scanner was set up for: the QR alphanumeric characters
// ':' '*' '+' sit on different keys on a US and on a Japanese (JIS 106/109) board.
//
// Everything here is pure (no device): a table per layout, the inverse table for
// making recordings, and the decoder that turns an event stream into lines.
//
//   drivers::KeyEventDecoder decoder(config::KeyboardLayout::jis);
//   for (const drivers::KeyEvent& event : events_from_evdev) {
//     if (std::optional<std::string> line = decoder.feed(event)) deliver(*line);  // "JHC1:..."
//   }
#pragma once

#include <kakunin/config/config.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::drivers {

using config::KeyboardLayout;

// One key that types a character: an evdev key code (linux/input-event-codes.h,
// KEY_A = 30, ...) and whether Shift is held.
struct KeyStroke {
  std::uint16_t code = 0;
  bool shift = false;
  friend bool operator==(const KeyStroke&, const KeyStroke&) = default;
};

// The ASCII character a key types on `layout`; nullopt for modifiers, Enter,
// function keys and keys that type nothing there (Shift+0 on JIS).
std::optional<char> char_for_key(KeyboardLayout layout, std::uint16_t code, bool shift);

// The key that types `c` on `layout` (the main block, never the keypad); nullopt
// for characters the layout cannot type (control characters, bytes over 0x7e).
std::optional<KeyStroke> key_for_char(KeyboardLayout layout, char c);

// "us" or "jis", as in the configuration file.
std::string_view layout_name(KeyboardLayout layout);

// One evdev event (the type, code and value of a struct input_event).
struct KeyEvent {
  std::uint16_t type = 0;  // EV_KEY = 1; EV_SYN, EV_MSC, ... are skipped
  std::uint16_t code = 0;
  std::int32_t value = 0;  // 1 press, 0 release, 2 autorepeat
  friend bool operator==(const KeyEvent&, const KeyEvent&) = default;
};

// What a keyboard-wedge scanner sends for `text` then Enter on `layout`: Shift
// pressed around shifted characters, each key pressed and released, an EV_SYN
// after every event. nullopt when a character cannot be typed on the layout.
// Used for recordings in tests, fuzz seeds and the scanner simulator.
std::optional<std::vector<KeyEvent>> key_events_for_text(std::string_view text,
                                                         KeyboardLayout layout);

struct KeyDecoderOptions {
  // A longer line is refused whole (a JHC1 text is well under 4 KB; a stuck key
  // must not grow memory without end).
  std::size_t max_line_bytes = 8192;
};

struct KeyDecoderCounters {
  std::uint64_t lines = 0;
  std::uint64_t dropped_keys = 0;     // keys that type nothing (F1, Ctrl+x, unknown codes)
  std::uint64_t repeats_ignored = 0;  // value-2 autorepeat events
  std::uint64_t overlong_lines = 0;
  std::uint64_t discarded_partials = 0;
  // Lines that do not start with "JHC1:" on the configured layout but would on
  // the other one: the scanner is set up for the other keyboard. The line is
  // still delivered as configured (the verifier refuses it); this is for the
  // status page, so the IT vendor sees the cause instead of "not JHC1".
  std::uint64_t layout_mismatches = 0;
};

// Turns key events into lines: a character on each key press, Enter (main or
// keypad) ends a line, empty lines are skipped. Shift is tracked per key (left and
// right apart), so the order modifiers are released in does not matter. When the
// kernel says it dropped events (SYN_DROPPED, its buffer overflowed) the partial
// line is dropped too: it has a hole in it.
class KeyEventDecoder {
 public:
  explicit KeyEventDecoder(KeyboardLayout layout, KeyDecoderOptions options = {});

  // The finished line when this event was the Enter that ends one.
  std::optional<std::string> feed(const KeyEvent& event);

  // Forgets a partial line (the scanner went quiet or away mid-symbol) and the
  // held modifiers; true when there was a partial line.
  bool discard_partial();
  bool has_partial() const { return !line_.empty() || overlong_; }

  KeyboardLayout layout() const { return layout_; }
  const KeyDecoderCounters& counters() const { return counters_; }

 private:
  bool track_modifier(const KeyEvent& event);
  void type_key(std::uint16_t code);
  void note_other_layout(std::uint16_t code);
  std::optional<std::string> end_line();

  KeyboardLayout layout_;
  KeyDecoderOptions options_;
  std::string line_;
  std::string other_layout_prefix_;  // the line's first characters on the other layout
  bool overlong_ = false;
  std::uint8_t held_modifiers_ = 0;  // one bit per modifier key (left, right apart)
  bool resyncing_ = false;           // after SYN_DROPPED, until the next SYN_REPORT
  KeyDecoderCounters counters_;
};

}  // namespace kakunin::drivers
