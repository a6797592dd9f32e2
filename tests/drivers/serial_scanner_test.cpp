// USB-serial scanners: every line the scanner sends arrives once, whatever it ends
// lines with; half lines and runaway lines never reach the verifier; an unplugged
// scanner is reported and picked up again. The serial port is a pseudo-terminal.
#include <kakunin/drivers/scanner.h>

#include "scanner_test_support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <random>

namespace kakunin::drivers {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::RecordingTextSink;
namespace fs = std::filesystem;

TEST(LineSplitter, SplitsOnCrLfAndCrLf) {
  LineSplitter splitter;
  EXPECT_EQ(splitter.feed("JHC1:A\rJHC1:B\nJHC1:C\r\nJHC1:D"),
            (std::vector<std::string>{"JHC1:A", "JHC1:B", "JHC1:C"}));
  EXPECT_TRUE(splitter.has_partial());
  EXPECT_EQ(splitter.feed("\n\n\r\r\n"), std::vector<std::string>{"JHC1:D"});
  EXPECT_FALSE(splitter.has_partial());
  EXPECT_EQ(splitter.counters().lines, 4u);
}

TEST(LineSplitter, JoinsALineSplitAcrossReads) {
  LineSplitter splitter;
  EXPECT_TRUE(splitter.feed("JHC1:NCF").empty());
  EXPECT_TRUE(splitter.feed("OX N%").empty());
  EXPECT_TRUE(splitter.feed("\r").size() == 1);
  EXPECT_EQ(splitter.feed("\n").size(), 0u);  // the LF of that CR LF is no second line
}

TEST(LineSplitter, KeepsBytesAsTheyAre) {
  LineSplitter splitter;
  const std::string bytes("JHC1:\x00\t\xff\x80", 9);
  EXPECT_EQ(splitter.feed(bytes + "\n"), std::vector<std::string>{bytes});
}

TEST(LineSplitter, RefusesOverlongLineWholeAndReadsTheNext) {
  LineSplitter splitter(8);
  EXPECT_TRUE(splitter.feed("123456789").empty());
  EXPECT_TRUE(splitter.feed("ABCDEFGH").empty());  // still the overlong line
  EXPECT_EQ(splitter.feed("\r\n12345678\r\n"), std::vector<std::string>{"12345678"});
  EXPECT_EQ(splitter.counters().overlong_lines, 1u);
}

TEST(LineSplitter, DiscardedPartialDoesNotPrefixTheNextLine) {
  LineSplitter splitter;
  splitter.feed("JHC1:HALF");
  EXPECT_TRUE(splitter.discard_partial());
  EXPECT_FALSE(splitter.discard_partial());
  EXPECT_EQ(splitter.feed("JHC1:WHOLE\r"), std::vector<std::string>{"JHC1:WHOLE"});
  EXPECT_EQ(splitter.counters().discarded_partials, 1u);
}

// A pseudo-terminal: the test writes on the master what a scanner would send; the
// scanner opens the slave as its serial port.
class PseudoTerminal {
 public:
  PseudoTerminal() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
    std::array<char, 128> name{};
    if (::ptsname_r(master_, name.data(), name.size()) == 0) slave_path_ = name.data();
  }
  ~PseudoTerminal() { unplug(); }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  bool ok() const { return master_ >= 0 && !slave_path_.empty(); }
  const std::string& slave_path() const { return slave_path_; }
  void send(std::string_view bytes) {
    ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void unplug() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
  }

 private:
  int master_ = -1;
  std::string slave_path_;
};

SerialScannerOptions options_for(const std::string& device) {
  SerialScannerOptions options;
  options.device = device;
  options.baud = 115200;
  // Long enough that a test thread held up on a loaded machine does not cut a
  // line it sends in two writes; the test of the timeout sets its own.
  options.timings.partial_line_timeout = 2s;
  options.timings.reopen_initial = 5ms;
  options.timings.reopen_max = 20ms;
  return options;
}

TEST(SerialScanner, DeliversEachScannedLine) {
  PseudoTerminal port;
  ASSERT_TRUE(port.ok());
  RecordingTextSink sink;
  SerialScanner scanner(options_for(port.slave_path()), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  port.send("JHC1:NCFOX N%TSM$*+-./:\r\n");
  port.send("JHC1:SECOND\r");
  port.send("JHC1:THI");
  port.send("RD\n");
  ASSERT_TRUE(sink.wait_texts(3));
  EXPECT_EQ(sink.texts(),
            (std::vector<std::string>{"JHC1:NCFOX N%TSM$*+-./:", "JHC1:SECOND", "JHC1:THIRD"}));
  const auto scan = sink.scans()[0];
  EXPECT_TRUE(scan.corners.empty());
  EXPECT_EQ(scan.frame_sequence, 0u);
  EXPECT_NE(scan.captured_at, SteadyTime{});
  EXPECT_EQ(scanner.stats().lines, 3u);
  EXPECT_EQ(scanner.stats().status.state, SourceState::running);
}

TEST(SerialScanner, ForgetsAHalfLineAfterTheScannerGoesQuiet) {
  PseudoTerminal port;
  ASSERT_TRUE(port.ok());
  RecordingTextSink sink;
  auto options = options_for(port.slave_path());
  options.timings.partial_line_timeout = 50ms;
  SerialScanner scanner(options, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  port.send("JHC1:INTERRUPTED-SCA");
  ASSERT_TRUE(eventually([&] { return scanner.stats().discarded_partials == 1; }));
  port.send("JHC1:NEXT\r\n");
  ASSERT_TRUE(sink.wait_texts(1));
  EXPECT_EQ(sink.texts(), std::vector<std::string>{"JHC1:NEXT"});
}

TEST(SerialScanner, RefusesRunawayLine) {
  PseudoTerminal port;
  ASSERT_TRUE(port.ok());
  RecordingTextSink sink;
  auto options = options_for(port.slave_path());
  options.max_line_bytes = 64;
  SerialScanner scanner(options, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  port.send(std::string(100, 'A') + "\r\nJHC1:OK\r\n");
  ASSERT_TRUE(sink.wait_texts(1));
  EXPECT_EQ(sink.texts(), std::vector<std::string>{"JHC1:OK"});
  EXPECT_EQ(scanner.stats().refused_lines, 1u);
}

TEST(SerialScanner, ReportsUnpluggedScannerAndReopensIt) {
  // Like /dev/serial/by-id/..., a stable link that points at whatever node the
  // scanner gets when it comes back.
  std::random_device random;
  const auto dir = fs::temp_directory_path() / ("kakunin-serial-" + std::to_string(random()));
  fs::create_directories(dir);
  const auto link = dir / "usb-scanner";
  auto first = std::make_unique<PseudoTerminal>();
  ASSERT_TRUE(first->ok());
  fs::create_symlink(first->slave_path(), link);

  RecordingTextSink sink;
  SerialScanner scanner(options_for(link.string()), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  first->send("JHC1:BEFORE\r\n");
  ASSERT_TRUE(sink.wait_texts(1));

  first.reset();  // unplugged
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_NE(sink.offline_reason().find("serial scanner " + link.string() + " unplugged"),
            std::string::npos)
      << sink.offline_reason();

  PseudoTerminal second;  // plugged in again
  ASSERT_TRUE(second.ok());
  fs::remove(link);
  fs::create_symlink(second.slave_path(), link);
  ASSERT_TRUE(sink.wait_state(SourceState::running, 2));
  second.send("JHC1:AFTER\n");
  ASSERT_TRUE(sink.wait_texts(2));
  EXPECT_EQ(sink.texts(), (std::vector<std::string>{"JHC1:BEFORE", "JHC1:AFTER"}));
  EXPECT_GE(scanner.stats().reopens, 1u);
  scanner.stop();
  fs::remove_all(dir);
}

TEST(SerialScanner, ReportsMissingDeviceWithReason) {
  RecordingTextSink sink;
  SerialScanner scanner(options_for("/dev/ttyACM97"), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_EQ(sink.offline_reason(), "no such device /dev/ttyACM97 (scanner not connected)");
}

TEST(SerialScanner, RefusesAFileThatIsNoSerialPort) {
  RecordingTextSink sink;
  SerialScanner scanner(options_for("/dev/null"), sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_EQ(sink.offline_reason(), "/dev/null is not a serial port");
}

TEST(SerialScanner, RefusesABaudRateTermiosCannotSet) {
  PseudoTerminal port;
  RecordingTextSink sink;
  auto options = options_for(port.slave_path());
  options.baud = 12345;
  SerialScanner scanner(options, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::offline));
  EXPECT_NE(sink.offline_reason().find("unsupported baud rate 12345"), std::string::npos);
  EXPECT_TRUE(is_supported_baud(9600));
  EXPECT_FALSE(is_supported_baud(0));
}

TEST(SerialScanner, StopIsPromptWhileWaitingForBytes) {
  PseudoTerminal port;
  ASSERT_TRUE(port.ok());
  RecordingTextSink sink;
  auto options = options_for(port.slave_path());
  options.timings.partial_line_timeout = 60s;
  SerialScanner scanner(options, sink);
  scanner.start();
  ASSERT_TRUE(sink.wait_state(SourceState::running));
  port.send("JHC1:HALF");
  const auto before = std::chrono::steady_clock::now();
  scanner.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  EXPECT_TRUE(sink.texts().empty());
}

TEST(SerialScanner, TakesDeviceAndBaudFromSettings) {
  config::CaptureSettings settings;
  settings.kind = config::CaptureKind::serial_scanner;
  settings.device = "/dev/ttyACM1";
  settings.baud = 115200;
  const auto options = serial_scanner_options(settings);
  EXPECT_EQ(options.device, "/dev/ttyACM1");
  EXPECT_EQ(options.baud, 115200);
}

}  // namespace
}  // namespace kakunin::drivers
