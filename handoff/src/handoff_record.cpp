#include "handoff_record.h"

#include <kakunin/base/file_name.h>
#include <kakunin/base/japan_time.h>

#include "oqs_result_xml.h"

namespace kakunin::handoff {

std::string handoff_record_file_name(std::string_view kiosk_id, crypto::UnixSeconds checked_at,
                                     std::uint64_t sequence) {
  return "kakunin-handoff_" + base::file_name_safe(kiosk_id) + "_" +
         base::yyyymmddhhmmss(base::japan_time_at(checked_at)) + "_" + std::to_string(sequence) +
         ".json";
}

}  // namespace kakunin::handoff
