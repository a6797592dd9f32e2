#include "kiosk_log.h"

#include <iostream>

namespace kakunin::kiosk {
namespace {

// The syslog prefix only where journald reads it: in-process tests and a terminal
// get plain lines.
base::StreamLogSink::Priority priority_for(const std::ostream& err) {
  return &err == &std::cerr && base::stderr_is_journal()
             ? base::StreamLogSink::Priority::syslog_prefix
             : base::StreamLogSink::Priority::none;
}

}  // namespace

KioskLog::KioskLog(const config::KioskConfig& config, std::ostream& err)
    : sink_(err, "kakunin", priority_for(err)),
      // config/ accepts only the four words; "info" is its default.
      logger_(sink_, base::parse_log_level(config.log.level).value_or(base::LogLevel::info)) {}

}  // namespace kakunin::kiosk
