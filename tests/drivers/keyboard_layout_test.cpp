// Keyboard-wedge scanners: key events become exactly the text the scanner read,
// on US and on JIS (106/109) layouts, whatever order modifiers come back up in.
#include <kakunin/drivers/keyboard_layout.h>

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kakunin::drivers {
namespace {

constexpr std::string_view kQrAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

std::string read_text(const std::string& name) {
  std::ifstream in(std::string(KAKUNIN_TEST_DATA) + "/scanner/" + name);
  std::stringstream text;
  text << in.rdbuf();
  std::string result = text.str();
  while (!result.empty() && (result.back() == '\n' || result.back() == '\r')) result.pop_back();
  return result;
}

// A recording: one "type code value" line per struct input_event, # comments.
std::vector<KeyEvent> read_recording(const std::string& name) {
  std::ifstream in(std::string(KAKUNIN_TEST_DATA) + "/scanner/" + name);
  std::vector<KeyEvent> events;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int type = 0, code = 0, value = 0;
    fields >> type >> code >> value;
    events.push_back({static_cast<std::uint16_t>(type), static_cast<std::uint16_t>(code), value});
  }
  return events;
}

std::vector<std::string> decode_all(KeyboardLayout layout, const std::vector<KeyEvent>& events,
                                    KeyDecoderOptions options = {}) {
  KeyEventDecoder decoder(layout, options);
  std::vector<std::string> lines;
  for (const auto& event : events) {
    if (auto line = decoder.feed(event)) lines.push_back(*line);
  }
  return lines;
}

KeyEvent press(std::uint16_t code) { return {EV_KEY, code, 1}; }
KeyEvent release(std::uint16_t code) { return {EV_KEY, code, 0}; }
KeyEvent repeat(std::uint16_t code) { return {EV_KEY, code, 2}; }
KeyEvent sync() { return {EV_SYN, SYN_REPORT, 0}; }

// Where each QR alphanumeric punctuation character sits, written out by hand
// from xkb's symbols/us and symbols/jp(106) (evdev code = xkb keycode - 8).
struct Placement {
  char c;
  KeyStroke us;
  KeyStroke jis;
};
const Placement kPunctuation[] = {
    {' ', {KEY_SPACE, false}, {KEY_SPACE, false}},
    {'$', {KEY_4, true}, {KEY_4, true}},
    {'%', {KEY_5, true}, {KEY_5, true}},
    {'*', {KEY_8, true}, {KEY_APOSTROPHE, true}},     // JIS: Shift + the ':' key
    {'+', {KEY_EQUAL, true}, {KEY_SEMICOLON, true}},  // JIS: Shift + ';'
    {'-', {KEY_MINUS, false}, {KEY_MINUS, false}},
    {'.', {KEY_DOT, false}, {KEY_DOT, false}},
    {'/', {KEY_SLASH, false}, {KEY_SLASH, false}},
    {':', {KEY_SEMICOLON, true}, {KEY_APOSTROPHE, false}},  // JIS: its own key
};

TEST(KeyboardLayout, PlacesQrPunctuationWhereEachLayoutHasIt) {
  for (const auto& placement : kPunctuation) {
    SCOPED_TRACE(std::string("character '") + placement.c + "'");
    EXPECT_EQ(key_for_char(KeyboardLayout::us, placement.c), placement.us);
    EXPECT_EQ(key_for_char(KeyboardLayout::jis, placement.c), placement.jis);
    EXPECT_EQ(char_for_key(KeyboardLayout::us, placement.us.code, placement.us.shift), placement.c);
    EXPECT_EQ(char_for_key(KeyboardLayout::jis, placement.jis.code, placement.jis.shift),
              placement.c);
  }
}

TEST(KeyboardLayout, JisExtraKeysTypeBackslashAndUnderscore) {
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_YEN, false), '\\');  // ¥ key
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_RO, true), '_');     // ろ key
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_LEFTBRACE, false), '@');
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_2, true), '"');
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_MINUS, true), '=');
  // 半角/全角 sits where US has the grave key, and types nothing.
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_GRAVE, false), std::nullopt);
  EXPECT_EQ(char_for_key(KeyboardLayout::us, KEY_GRAVE, false), '`');
  EXPECT_EQ(char_for_key(KeyboardLayout::jis, KEY_0, true), std::nullopt);
}

TEST(KeyboardLayout, EveryQrCharacterRoundTripsOnBothLayouts) {
  for (const auto layout : {KeyboardLayout::us, KeyboardLayout::jis}) {
    SCOPED_TRACE(std::string(layout_name(layout)));
    const auto events = key_events_for_text(kQrAlphanumeric, layout);
    ASSERT_TRUE(events.has_value());
    EXPECT_EQ(decode_all(layout, *events), std::vector<std::string>{std::string(kQrAlphanumeric)});
  }
}

TEST(KeyboardLayout, RefusesToTypeWhatNoKeyMakes) {
  EXPECT_EQ(key_events_for_text("JHC1:\x01", KeyboardLayout::us), std::nullopt);
  EXPECT_EQ(key_events_for_text("確認", KeyboardLayout::jis), std::nullopt);
}

TEST(KeyEventDecoder, ReadsRecordedJhc1ScanOnUsLayout) {
  const auto text = read_text("jhc1-credential.txt");
  ASSERT_TRUE(text.starts_with("JHC1:"));
  EXPECT_EQ(decode_all(KeyboardLayout::us, read_recording("jhc1-credential-us.events")),
            std::vector<std::string>{text});
}

TEST(KeyEventDecoder, ReadsRecordedJhc1ScanOnJisLayout) {
  const auto text = read_text("jhc1-credential.txt");
  EXPECT_EQ(decode_all(KeyboardLayout::jis, read_recording("jhc1-credential-jis.events")),
            std::vector<std::string>{text});
}

TEST(KeyEventDecoder, GeneratedEventsMatchTheRecordings) {
  const auto text = read_text("jhc1-credential.txt");
  for (const auto layout : {KeyboardLayout::us, KeyboardLayout::jis}) {
    SCOPED_TRACE(std::string(layout_name(layout)));
    std::vector<KeyEvent> recorded_keys;
    for (const auto& event :
         read_recording("jhc1-credential-" + std::string(layout_name(layout)) + ".events")) {
      if (event.type == EV_KEY) recorded_keys.push_back(event);
    }
    std::vector<KeyEvent> generated_keys;
    const auto generated = key_events_for_text(text, layout);
    ASSERT_TRUE(generated.has_value());
    for (const auto& event : *generated) {
      if (event.type == EV_KEY) generated_keys.push_back(event);
    }
    EXPECT_EQ(generated_keys, recorded_keys);
  }
}

TEST(KeyEventDecoder, WrongLayoutGarblesThePrefix) {
  // A scanner set up for US read by a kiosk set to JIS: what the setting is for.
  const auto us_events = *key_events_for_text("JHC1:*+", KeyboardLayout::us);
  EXPECT_EQ(decode_all(KeyboardLayout::jis, us_events), std::vector<std::string>{"JHC1+(~"});
  const auto jis_events = *key_events_for_text("JHC1:*+", KeyboardLayout::jis);
  EXPECT_EQ(decode_all(KeyboardLayout::us, jis_events), std::vector<std::string>{"JHC1'\":"});
}

TEST(KeyEventDecoder, CountsScansThatReadAsJhc1OnTheOtherLayout) {
  for (const auto& [scanner, kiosk] : {std::pair{KeyboardLayout::us, KeyboardLayout::jis},
                                       std::pair{KeyboardLayout::jis, KeyboardLayout::us}}) {
    SCOPED_TRACE(std::string(layout_name(scanner)) + " scanner, " +
                 std::string(layout_name(kiosk)) + " kiosk");
    KeyEventDecoder decoder(kiosk);
    std::vector<KeyEvent> events = *key_events_for_text("JHC1:ABC", scanner);
    const auto right = *key_events_for_text("JHC1:DEF", kiosk);
    const auto other = *key_events_for_text("HELLO", scanner);
    events.insert(events.end(), right.begin(), right.end());
    events.insert(events.end(), other.begin(), other.end());
    std::vector<std::string> lines;
    for (const auto& event : events) {
      if (auto line = decoder.feed(event)) lines.push_back(*line);
    }
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_FALSE(lines[0].starts_with("JHC1:"));  // delivered as configured
    EXPECT_EQ(lines[1], "JHC1:DEF");
    EXPECT_EQ(decoder.counters().layout_mismatches, 1u);  // only the first
  }
}

TEST(KeyEventDecoder, ShiftReleasedBeforeOrAfterTheKeyGivesTheSameCharacter) {
  // US ':' with Shift let go first, then with the key let go first.
  const std::vector<KeyEvent> shift_first = {
      press(KEY_LEFTSHIFT), press(KEY_SEMICOLON),   release(KEY_LEFTSHIFT), release(KEY_SEMICOLON),
      press(KEY_SEMICOLON), release(KEY_SEMICOLON), press(KEY_ENTER),       release(KEY_ENTER)};
  EXPECT_EQ(decode_all(KeyboardLayout::us, shift_first), std::vector<std::string>{":;"});
  const std::vector<KeyEvent> key_first = {press(KEY_RIGHTSHIFT), press(KEY_SEMICOLON),
                                           release(KEY_SEMICOLON), release(KEY_RIGHTSHIFT),
                                           press(KEY_ENTER)};
  EXPECT_EQ(decode_all(KeyboardLayout::us, key_first), std::vector<std::string>{":"});
}

TEST(KeyEventDecoder, OneShiftStillHeldKeepsShifting) {
  const std::vector<KeyEvent> events = {
      press(KEY_LEFTSHIFT), press(KEY_RIGHTSHIFT),   release(KEY_LEFTSHIFT), press(KEY_J),
      release(KEY_J),       release(KEY_RIGHTSHIFT), press(KEY_J),           press(KEY_ENTER)};
  EXPECT_EQ(decode_all(KeyboardLayout::jis, events), std::vector<std::string>{"Jj"});
}

TEST(KeyEventDecoder, IgnoresAutorepeatOfAStalledKey) {
  KeyEventDecoder decoder(KeyboardLayout::us);
  const std::vector<KeyEvent> events = {press(KEY_J),    repeat(KEY_J), repeat(KEY_J),
                                        release(KEY_J),  press(KEY_H),  release(KEY_H),
                                        press(KEY_ENTER)};
  std::vector<std::string> lines;
  for (const auto& event : events) {
    if (auto line = decoder.feed(event)) lines.push_back(*line);
  }
  EXPECT_EQ(lines, std::vector<std::string>{"jh"});
  EXPECT_EQ(decoder.counters().repeats_ignored, 2u);
}

TEST(KeyEventDecoder, DropsUnknownKeysAndCountsThem) {
  KeyEventDecoder decoder(KeyboardLayout::jis);
  const std::vector<KeyEvent> events = {
      press(KEY_F1),         press(KEY_1), press(KEY_LEFTCTRL), press(KEY_C),
      release(KEY_LEFTCTRL), press(KEY_2), press(0x2ff),        press(KEY_ZENKAKUHANKAKU),
      press(KEY_ENTER)};
  std::optional<std::string> line;
  for (const auto& event : events) {
    if (auto finished = decoder.feed(event)) line = finished;
  }
  EXPECT_EQ(line, "12");
  EXPECT_EQ(decoder.counters().dropped_keys, 3u);  // F1, Ctrl+C, 0x2ff; 半角/全角 is not a mistake
}

TEST(KeyEventDecoder, SkipsScanCodesSyncAndEmptyLines) {
  const std::vector<KeyEvent> events = {{EV_MSC, MSC_SCAN, 0x70028},
                                        press(KEY_ENTER),
                                        sync(),
                                        release(KEY_ENTER),
                                        sync(),
                                        press(KEY_KP1),
                                        {EV_LED, 0, 1},
                                        press(KEY_KPENTER),
                                        sync()};
  EXPECT_EQ(decode_all(KeyboardLayout::us, events), std::vector<std::string>{"1"});
}

TEST(KeyEventDecoder, RefusesOverlongLineAndReadsTheNext) {
  KeyEventDecoder decoder(KeyboardLayout::us, KeyDecoderOptions{8});
  std::vector<std::string> lines;
  const auto feed_text = [&](std::string_view text) {
    const auto events = key_events_for_text(text, KeyboardLayout::us);
    for (const auto& event : *events) {
      if (auto line = decoder.feed(event)) lines.push_back(*line);
    }
  };
  feed_text("123456789");
  feed_text("12345678");
  EXPECT_EQ(lines, std::vector<std::string>{"12345678"});
  EXPECT_EQ(decoder.counters().overlong_lines, 1u);
}

TEST(KeyEventDecoder, DropsTheLineWithAHoleAfterKernelDroppedEvents) {
  KeyEventDecoder decoder(KeyboardLayout::us);
  const std::vector<KeyEvent> events = {
      press(KEY_J), {EV_SYN, SYN_DROPPED, 0}, press(KEY_H), sync(), press(KEY_K), press(KEY_ENTER)};
  std::vector<std::string> lines;
  for (const auto& event : events) {
    if (auto line = decoder.feed(event)) lines.push_back(*line);
  }
  EXPECT_EQ(lines, std::vector<std::string>{"k"});
  EXPECT_EQ(decoder.counters().discarded_partials, 1u);
}

TEST(KeyEventDecoder, DiscardedPartialLineDoesNotLeakIntoTheNextScan) {
  KeyEventDecoder decoder(KeyboardLayout::us);
  for (const auto& event : {press(KEY_LEFTSHIFT), press(KEY_J), press(KEY_H)}) decoder.feed(event);
  EXPECT_TRUE(decoder.has_partial());
  EXPECT_TRUE(decoder.discard_partial());
  // The Shift held when the scanner vanished is forgotten too.
  std::optional<std::string> line;
  for (const auto& event : {press(KEY_K), press(KEY_ENTER)}) {
    if (auto finished = decoder.feed(event)) line = finished;
  }
  EXPECT_EQ(line, "k");
}

}  // namespace
}  // namespace kakunin::drivers
