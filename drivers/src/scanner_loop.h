// Private: the reader thread both handheld scanners share. It opens the device,
// waits in poll() on it and on a wake-up eventfd (so stop() is prompt and a read
// never blocks), hands bytes to the device's parser, delivers lines, drops a
// partial line after the timeout, and on unplug reports offline and re-opens with
// backoff.
#pragma once

#include <kakunin/base/unique_fd.h>
#include <kakunin/drivers/scanner.h>

#include <mutex>
#include <string_view>
#include <thread>

namespace kakunin::drivers {

// A scanner device: how to open it and how to parse its bytes. The loop calls
// parse/discard under its own mutex, so stats() may read the counters meanwhile.
class ScannerDevice {
 public:
  virtual ~ScannerDevice() = default;
  virtual std::string describe() const = 0;
  // Opens non-blocking; the descriptor, or an empty one with `reason` set (English).
  virtual base::UniqueFd open(std::string& reason) = 0;
  // Appends the lines these bytes complete.
  virtual void parse(std::string_view bytes, std::vector<std::string>& lines) = 0;
  virtual bool discard_partial() = 0;
  virtual bool has_partial() const = 0;
  virtual void add_counters(ScannerStats& stats) const = 0;
};

class ScannerLoop {
 public:
  ScannerLoop(std::unique_ptr<ScannerDevice> device, ScannerTimings timings, QrTextSink& sink);
  ~ScannerLoop();
  void start();
  void stop();
  ScannerStats stats() const;

 private:
  void run();
  // Reads until the device goes away (returns why) or stop() (returns "").
  std::string read_until_gone(int fd);
  bool wait_unless_stopped(std::chrono::milliseconds delay);
  void report(SourceState state, std::string reason);

  std::unique_ptr<ScannerDevice> device_;  // parse/discard under mutex_
  ScannerTimings timings_;
  QrTextSink& sink_;
  base::UniqueFd wake_fd_;  // an eventfd that stop() makes readable
  std::thread thread_;
  mutable std::mutex mutex_;
  SourceStatus status_;        // protected by mutex_
  std::uint64_t reopens_ = 0;  // protected by mutex_
  bool started_ = false;
};

std::string errno_text(int error);

}  // namespace kakunin::drivers
