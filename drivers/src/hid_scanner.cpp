// Keyboard-wedge (HID) scanners through evdev: struct input_event read straight
// from /dev/input/eventN and decoded by KeyEventDecoder. No libevdev: reading
// fixed-size structs and one ioctl is all a scanner needs.
#include <kakunin/drivers/scanner.h>

#include "scanner_loop.h"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kakunin::drivers {
namespace {

class HidDevice final : public ScannerDevice {
 public:
  explicit HidDevice(HidScannerOptions options)
      : options_(std::move(options)),
        decoder_(options_.layout, KeyDecoderOptions{options_.max_line_bytes}) {}

  std::string describe() const override {
    return "keyboard scanner " + options_.device + " (" +
           std::string(layout_name(options_.layout)) + " layout)";
  }

  base::UniqueFd open(std::string& reason) override {
    pending_.clear();
    base::UniqueFd fd(::open(options_.device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
      const int error = errno;
      if (error == ENOENT || error == ENODEV || error == ENXIO) {
        reason = "no such device " + options_.device + " (scanner not connected)";
      } else if (error == EACCES || error == EPERM) {
        reason = "no permission to open " + options_.device +
                 " (the kiosk user must be in group input, or a udev rule must allow it)";
      } else {
        reason = "cannot open " + options_.device + ": " + errno_text(error);
      }
      return {};
    }
    if (options_.exclusive && ::ioctl(fd.get(), EVIOCGRAB, 1) != 0) {
      const int error = errno;
      reason = error == EBUSY ? options_.device + " is held by another program (EVIOCGRAB busy)"
                              : "cannot take " + options_.device +
                                    " for the kiosk alone (not an input event device? " +
                                    errno_text(error) + ")";
      return {};
    }
    return fd;
  }

  // evdev hands whole events to read(); a pipe (tests) may split them, so bytes
  // wait in `pending_` until an event is complete.
  void parse(std::string_view bytes, std::vector<std::string>& lines) override {
    pending_.append(bytes);
    std::size_t used = 0;
    while (pending_.size() - used >= sizeof(input_event)) {
      input_event event{};
      std::memcpy(&event, pending_.data() + used, sizeof event);
      used += sizeof event;
      if (auto line = decoder_.feed(KeyEvent{event.type, event.code, event.value})) {
        lines.push_back(std::move(*line));
      }
    }
    pending_.erase(0, used);
  }
  bool discard_partial() override { return decoder_.discard_partial(); }
  bool has_partial() const override { return decoder_.has_partial(); }
  void add_counters(ScannerStats& stats) const override {
    const auto& counters = decoder_.counters();
    stats.lines = counters.lines;
    stats.refused_lines = counters.overlong_lines;
    stats.discarded_partials = counters.discarded_partials;
    stats.dropped_keys = counters.dropped_keys;
    stats.layout_mismatches = counters.layout_mismatches;
  }

 private:
  HidScannerOptions options_;
  KeyEventDecoder decoder_;
  std::string pending_;
};

}  // namespace

HidScannerOptions hid_scanner_options(const config::CaptureSettings& settings) {
  HidScannerOptions options;
  options.device = settings.device;
  options.layout = settings.keyboard_layout;
  return options;
}

HidScanner::HidScanner(HidScannerOptions options, QrTextSink& sink) {
  const auto timings = options.timings;
  loop_ =
      std::make_unique<ScannerLoop>(std::make_unique<HidDevice>(std::move(options)), timings, sink);
}

HidScanner::~HidScanner() = default;
void HidScanner::start() { loop_->start(); }
void HidScanner::stop() { loop_->stop(); }
ScannerStats HidScanner::stats() const { return loop_->stats(); }

}  // namespace kakunin::drivers
