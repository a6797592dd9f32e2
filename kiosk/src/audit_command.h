// `kakunin audit verify|export|purge`: check the audit log's hash chain, export
// it as CSV, or purge rows past the retention (docs/audit.md).
#pragma once

#include "command.h"

#include <optional>
#include <ostream>
#include <string>

namespace kakunin::kiosk {

struct AuditOptions {
  enum class Action { verify, export_csv, purge };
  Action action = Action::verify;
  std::string config_file;    // read audit.database (and the key, for purge) from here
  std::string database_file;  // or name the database directly (verify, export)
  bool csv = false;
  std::string since;                // YYYY-MM-DD, a Japan-time day, inclusive
  std::string until;                // YYYY-MM-DD, inclusive
  std::optional<std::int64_t> now;  // purge as of this Unix time
};

// verify: 0 intact, 1 broken, 2 setup error. export, purge: 0 or 2.
int run_audit(const AuditOptions& options, std::ostream& out, std::ostream& err);

// Declares `audit` with its sub-commands on `app`.
Command add_audit_command(CLI::App& app);

}  // namespace kakunin::kiosk
