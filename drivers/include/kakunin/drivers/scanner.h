// Handheld 2D scanners: many counters already own one. The scanner decodes the QR
// itself and sends the text, either over a USB serial line (CDC-ACM, /dev/ttyACM0)
// or as key presses (HID keyboard wedge, /dev/input/eventN). Both deliver
// ScannedText to a QrTextSink and report SourceStatus like the camera: offline at
// once when unplugged, and re-opened by themselves with backoff.
//
// The byte and key-event parsing is pure (LineSplitter here, KeyEventDecoder in
// keyboard_layout.h) and fuzzed; the scanner classes add only the device.
//
//   drivers::SerialScanner scanner(drivers::serial_scanner_options(config.capture), sink);
//   scanner.start();  // sink.qr_text() for each scan, sink.status() when unplugged
//   ...
//   scanner.stop();
#pragma once

#include <kakunin/config/config.h>
#include <kakunin/drivers/frame_source.h>
#include <kakunin/drivers/keyboard_layout.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::drivers {

struct LineSplitterCounters {
  std::uint64_t lines = 0;
  std::uint64_t overlong_lines = 0;
  std::uint64_t discarded_partials = 0;
};

// Splits a serial byte stream into lines ended by CR, LF or CR LF (scanners are
// configured with any of them); empty lines are skipped. A line longer than
// `max_line_bytes` is refused whole, up to its end. Bytes are kept as they are.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes = 8192) : max_line_bytes_(max_line_bytes) {}

  // The lines this chunk completes, in order.
  std::vector<std::string> feed(std::string_view bytes);
  // Forgets a partial line; true when there was one.
  bool discard_partial();
  bool has_partial() const { return !line_.empty() || overlong_; }
  const LineSplitterCounters& counters() const { return counters_; }

 private:
  void end_line(std::vector<std::string>& lines);

  std::size_t max_line_bytes_;
  std::string line_;
  bool overlong_ = false;
  LineSplitterCounters counters_;
};

struct ScannerTimings {
  // A line not finished this long after its last byte is dropped: the scanner
  // was unplugged or garbled mid-symbol, and the next scan must start clean.
  std::chrono::milliseconds partial_line_timeout{500};
  std::chrono::milliseconds reopen_initial{250};
  std::chrono::milliseconds reopen_max{5000};
};

struct ScannerStats {
  SourceStatus status;
  std::uint64_t lines = 0;          // delivered to the sink
  std::uint64_t refused_lines = 0;  // overlong
  std::uint64_t discarded_partials = 0;
  std::uint64_t dropped_keys = 0;       // HID only: keys that type nothing on the layout
  std::uint64_t layout_mismatches = 0;  // HID only: scans that read "JHC1:" on the other layout
  std::uint64_t reopens = 0;
};

struct SerialScannerOptions {
  std::string device = "/dev/ttyACM0";
  int baud = 9600;  // 1200 ... 230400; CDC-ACM ignores it, real UARTs need it right
  std::size_t max_line_bytes = 8192;
  ScannerTimings timings;
};

struct HidScannerOptions {
  std::string device = "/dev/input/event0";    // better: /dev/input/by-id/usb-...-event-kbd
  KeyboardLayout layout = KeyboardLayout::us;  // what the scanner is set up to "type"
  // EVIOCGRAB: the scanner's keys reach only the kiosk, never another window (a
  // QR text typed into a browser's address bar would be a leak). Off only in tests
  // that feed events through a pipe, which cannot be grabbed.
  bool exclusive = true;
  std::size_t max_line_bytes = 8192;
  ScannerTimings timings;
};

SerialScannerOptions serial_scanner_options(const config::CaptureSettings& settings);
HidScannerOptions hid_scanner_options(const config::CaptureSettings& settings);

class ScannerLoop;  // the reader thread both scanners share (src/scanner_loop.h)

// Reads a USB-serial scanner through termios (raw mode, 8N1, no flow control).
class SerialScanner {
 public:
  SerialScanner(SerialScannerOptions options, QrTextSink& sink);
  ~SerialScanner();
  SerialScanner(const SerialScanner&) = delete;
  SerialScanner& operator=(const SerialScanner&) = delete;

  void start();
  void stop();  // prompt: the reader waits in poll() with a wake-up descriptor, never in read()
  ScannerStats stats() const;

 private:
  std::unique_ptr<ScannerLoop> loop_;
};

// Reads a keyboard-wedge scanner's key events from evdev (no libevdev needed).
class HidScanner {
 public:
  HidScanner(HidScannerOptions options, QrTextSink& sink);
  ~HidScanner();
  HidScanner(const HidScanner&) = delete;
  HidScanner& operator=(const HidScanner&) = delete;

  void start();
  void stop();
  ScannerStats stats() const;

 private:
  std::unique_ptr<ScannerLoop> loop_;
};

// The termios speed for a baud rate; false for rates termios has no constant for.
bool is_supported_baud(int baud);

}  // namespace kakunin::drivers
