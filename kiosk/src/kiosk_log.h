// The kiosk's log: one StreamLogSink on standard error (the journal under systemd,
// with each line's syslog priority) and a Logger at the configuration's [log] level.
// `kakunin run` and `kakunin sync --once` build one and hand its logger to every
// part (sync, hand-off, counter, screens, tones).
//
//   KioskLog log(config, err);
//   Syncer syncer(settings, pins, store, log.logger());
#pragma once

#include <kakunin/base/log.h>
#include <kakunin/config/config.h>

#include <ostream>

namespace kakunin::kiosk {

class KioskLog {
 public:
  KioskLog(const config::KioskConfig& config, std::ostream& err);
  KioskLog(const KioskLog&) = delete;
  KioskLog& operator=(const KioskLog&) = delete;

  base::Logger logger() const { return logger_; }

 private:
  base::StreamLogSink sink_;
  base::Logger logger_;
};

}  // namespace kakunin::kiosk
