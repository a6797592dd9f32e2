// Keyboard-wedge scanners through evdev: key events read from the device become
// the scanned text on the configured layout; an unplugged scanner is reported and
// picked up again; a device the kiosk cannot take for itself is refused. Events
// come through a FIFO standing in for /dev/input/eventN (same read() of struct
// input_event; it cannot be grabbed, so `exclusive` is off except where tested).
#include <kakunin/drivers/scanner.h>

#include "scanner_test_support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace kakunin::drivers {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::RecordingTextSink;
namespace fs = std::filesystem;

class HidScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir = fs::temp_directory_path() / ("kakunin-hid-" + std::to_string(random()));
    fs::create_directories(dir);
    fifo = dir / "event-kbd";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  }
  void TearDown() override {
    close_writer();
    fs::remove_all(dir);
  }

  HidScannerOptions options(KeyboardLayout layout) const {
    HidScannerOptions options;
    options.device = fifo.string();
    options.layout = layout;
    options.exclusive = false;
    options.timings.partial_line_timeout = 2s;  // see the serial scanner tests
    options.timings.reopen_initial = 5ms;
    options.timings.reopen_max = 20ms;
    return options;
  }

  // The scanner must have the FIFO open for reading first.
  void open_writer() {
    ASSERT_TRUE(eventually([&] {
      writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      return writer >= 0;
    }));
  }
  void close_writer() {
    if (writer >= 0) ::close(writer);
    writer = -1;
  }

  // Writes the events as struct input_event, in chunks of `chunk` bytes so that
  // events arrive split across reads.
  void send(const std::vector<KeyEvent>& events, std::size_t chunk = 4096) {
    std::string bytes;
    for (const auto& event : events) {
      input_event raw{};
      raw.type = event.type;
      raw.code = event.code;
      raw.value = event.value;
      bytes.append(reinterpret_cast<const char*>(&raw), sizeof raw);
    }
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      const auto part = std::min(chunk, bytes.size() - at);
      ASSERT_EQ(::write(writer, bytes.data() + at, part), static_cast<ssize_t>(part));
    }
  }

  fs::path dir;
  fs::path fifo;
  int writer = -1;
};

TEST_F(HidScannerTest, DeliversTheScannedTextOnJisLayout) {
  RecordingTextSink sink;
  HidScanner scanner(options(KeyboardLayout::jis), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  open_writer();
  const std::string text = "JHC1:NCFOX N%TSMAHN-H. SFC46/MYP$*+";
  send(*key_events_for_text(text, KeyboardLayout::jis), 7);
  ASSERT_TRUE(sink.wait_texts(1));
  EXPECT_EQ(sink.texts(), std::vector<std::string>{text});
  EXPECT_EQ(scanner.stats().lines, 1u);
}

TEST_F(HidScannerTest, DeliversTheScannedTextOnUsLayout) {
  RecordingTextSink sink;
  HidScanner scanner(options(KeyboardLayout::us), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  open_writer();
  send(*key_events_for_text("JHC1:A*B+C", KeyboardLayout::us));
  send(*key_events_for_text("JHC1:SECOND", KeyboardLayout::us));
  ASSERT_TRUE(sink.wait_texts(2));
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{"JHC1:A*B+C", "JHC1:SECOND"}));
  EXPECT_EQ(scanner.stats().layout_mismatches, 0u);
}

TEST_F(HidScannerTest, ShowsAScannerSetUpForTheOtherLayout) {
  RecordingTextSink sink;
  HidScanner scanner(options(KeyboardLayout::us), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  open_writer();
  send(*key_events_for_text("JHC1:NCF", KeyboardLayout::jis));
  ASSERT_TRUE(sink.wait_texts(1));
  EXPECT_EQ(sink.texts(), std::vector<std::string>{"JHC1'NCF"});
  EXPECT_EQ(scanner.stats().layout_mismatches, 1u);
}

TEST_F(HidScannerTest, ForgetsAHalfScanAfterTheScannerGoesQuiet) {
  RecordingTextSink sink;
  auto quick = options(KeyboardLayout::us);
  quick.timings.partial_line_timeout = 50ms;
  HidScanner scanner(quick, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  open_writer();
  auto half = *key_events_for_text("JHC1:HALF", KeyboardLayout::us);
  half.resize(half.size() - 4);  // no Enter
  send(half);
  ASSERT_TRUE(eventually([&] { return scanner.stats().discarded_partials == 1; }));
  send(*key_events_for_text("JHC1:WHOLE", KeyboardLayout::us));
  ASSERT_TRUE(sink.wait_texts(1));
  EXPECT_EQ(sink.texts(), std::vector<std::string>{"JHC1:WHOLE"});
}

TEST_F(HidScannerTest, ReportsUnpluggedScannerAndReopensIt) {
  RecordingTextSink sink;
  HidScanner scanner(options(KeyboardLayout::jis), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  open_writer();
  send(*key_events_for_text("JHC1:BEFORE", KeyboardLayout::jis));
  ASSERT_TRUE(sink.wait_texts(1));
  close_writer();  // unplugged: the reader sees the end of input
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_NE(sink.offline_reason().find("unplugged"), std::string::npos) << sink.offline_reason();
  ASSERT_TRUE(sink.wait_state(SourceState::running, 2));
  open_writer();
  send(*key_events_for_text("JHC1:AFTER", KeyboardLayout::jis));
  ASSERT_TRUE(sink.wait_texts(2));
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{"JHC1:BEFORE", "JHC1:AFTER"}));
}

TEST_F(HidScannerTest, RefusesADeviceItCannotTakeForItself) {
  // Without EVIOCGRAB the scanner's keys would also type into other windows.
  RecordingTextSink sink;
  auto exclusive = options(KeyboardLayout::us);
  exclusive.exclusive = true;
  HidScanner scanner(exclusive, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_NE(sink.offline_reason().find("cannot take " + fifo.string() + " for the kiosk alone"),
            std::string::npos)
      << sink.offline_reason();
}

TEST_F(HidScannerTest, ReportsMissingDeviceWithReason) {
  RecordingTextSink sink;
  auto missing = options(KeyboardLayout::us);
  missing.device = "/dev/input/event97";
  HidScanner scanner(missing, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_EQ(sink.offline_reason(), "no such device /dev/input/event97 (scanner not connected)");
}

TEST_F(HidScannerTest, TakesDeviceAndLayoutFromSettings) {
  config::CaptureSettings settings;
  settings.kind = config::CaptureKind::hid_scanner;
  settings.device = "/dev/input/by-id/usb-scanner-event-kbd";
  settings.keyboard_layout = KeyboardLayout::jis;
  const auto options = hid_scanner_options(settings);
  EXPECT_EQ(options.device, settings.device);
  EXPECT_EQ(options.layout, KeyboardLayout::jis);
  EXPECT_TRUE(options.exclusive);
}

}  // namespace
}  // namespace kakunin::drivers
