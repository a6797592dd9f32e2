// USB-serial (CDC-ACM) scanners: termios in raw mode, lines split by LineSplitter.
#include <kakunin/drivers/scanner.h>

#include "scanner_loop.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

namespace kakunin::drivers {

std::vector<std::string> LineSplitter::feed(std::string_view bytes) {
  std::vector<std::string> lines;
  for (const char c : bytes) {
    if (c == '\r' || c == '\n') {
      end_line(lines);  // CR LF gives an empty second line, which is skipped
      continue;
    }
    if (overlong_) continue;
    if (line_.size() >= max_line_bytes_) {
      overlong_ = true;
      line_.clear();
      continue;
    }
    line_.push_back(c);
  }
  return lines;
}

void LineSplitter::end_line(std::vector<std::string>& lines) {
  if (overlong_) {
    overlong_ = false;
    ++counters_.overlong_lines;
    return;
  }
  if (line_.empty()) return;
  ++counters_.lines;
  lines.push_back(std::move(line_));
  line_.clear();
}

bool LineSplitter::discard_partial() {
  if (!has_partial()) return false;
  line_.clear();
  overlong_ = false;
  ++counters_.discarded_partials;
  return true;
}

namespace {

struct BaudRate {
  int baud;
  speed_t speed;
};
constexpr std::array kBaudRates = {
    BaudRate{1200, B1200},   BaudRate{2400, B2400},     BaudRate{4800, B4800},
    BaudRate{9600, B9600},   BaudRate{19200, B19200},   BaudRate{38400, B38400},
    BaudRate{57600, B57600}, BaudRate{115200, B115200}, BaudRate{230400, B230400},
};

std::optional<speed_t> speed_for(int baud) {
  for (const auto& rate : kBaudRates) {
    if (rate.baud == baud) return rate.speed;
  }
  return std::nullopt;
}

std::string open_failure(const std::string& device, int error, const char* group) {
  if (error == ENOENT || error == ENODEV || error == ENXIO) {
    return "no such device " + device + " (scanner not connected)";
  }
  if (error == EACCES || error == EPERM) {
    return "no permission to open " + device + " (the kiosk user must be in group " + group + ")";
  }
  return "cannot open " + device + ": " + errno_text(error);
}

class SerialDevice final : public ScannerDevice {
 public:
  explicit SerialDevice(SerialScannerOptions options)
      : options_(std::move(options)), splitter_(options_.max_line_bytes) {}

  std::string describe() const override { return "serial scanner " + options_.device; }

  base::UniqueFd open(std::string& reason) override {
    const auto speed = speed_for(options_.baud);
    if (!speed) {
      reason = "unsupported baud rate " + std::to_string(options_.baud) +
               " (use 9600, 19200, 38400, 57600 or 115200)";
      return {};
    }
    base::UniqueFd fd(::open(options_.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
      reason = open_failure(options_.device, errno, "dialout");
      return {};
    }
    if (!configure(fd.get(), *speed, reason)) return {};
    return fd;
  }

  void parse(std::string_view bytes, std::vector<std::string>& lines) override {
    for (auto& line : splitter_.feed(bytes)) lines.push_back(std::move(line));
  }
  bool discard_partial() override { return splitter_.discard_partial(); }
  bool has_partial() const override { return splitter_.has_partial(); }
  void add_counters(ScannerStats& stats) const override {
    stats.lines = splitter_.counters().lines;
    stats.refused_lines = splitter_.counters().overlong_lines;
    stats.discarded_partials = splitter_.counters().discarded_partials;
  }

 private:
  // Raw 8N1, no flow control, no echo, no line editing: the scanner's bytes
  // arrive as sent. TIOCEXCL keeps other programs (ModemManager probing a new
  // ttyACM with AT commands) from opening the port while the kiosk has it.
  bool configure(int fd, speed_t speed, std::string& reason) const {
    if (!::isatty(fd)) {
      reason = options_.device + " is not a serial port";
      return false;
    }
    termios settings{};
    if (::tcgetattr(fd, &settings) != 0) {
      reason = "cannot read the settings of " + options_.device + ": " + errno_text(errno);
      return false;
    }
    ::cfmakeraw(&settings);
    settings.c_cflag |= CLOCAL | CREAD;
    settings.c_cflag &= ~(CSTOPB | CRTSCTS);
    settings.c_cc[VMIN] = 0;
    settings.c_cc[VTIME] = 0;
    if (::cfsetispeed(&settings, speed) != 0 || ::cfsetospeed(&settings, speed) != 0 ||
        ::tcsetattr(fd, TCSANOW, &settings) != 0) {
      reason = "cannot set " + options_.device + " to raw mode at " +
               std::to_string(options_.baud) + " baud: " + errno_text(errno);
      return false;
    }
    ::ioctl(fd, TIOCEXCL);
    ::tcflush(fd, TCIFLUSH);  // bytes from before the open belong to no scan of ours
    return true;
  }

  SerialScannerOptions options_;
  LineSplitter splitter_;
};

}  // namespace

bool is_supported_baud(int baud) { return speed_for(baud).has_value(); }

SerialScannerOptions serial_scanner_options(const config::CaptureSettings& settings) {
  SerialScannerOptions options;
  options.device = settings.device;
  options.baud = settings.baud;
  return options;
}

SerialScanner::SerialScanner(SerialScannerOptions options, QrTextSink& sink) {
  const auto timings = options.timings;
  loop_ = std::make_unique<ScannerLoop>(std::make_unique<SerialDevice>(std::move(options)), timings,
                                        sink);
}

SerialScanner::~SerialScanner() = default;
void SerialScanner::start() { loop_->start(); }
void SerialScanner::stop() { loop_->stop(); }
ScannerStats SerialScanner::stats() const { return loop_->stats(); }

}  // namespace kakunin::drivers
