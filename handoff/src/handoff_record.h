// The name of a hand-off's JSON file; the record itself is kakunin/handoff/record.h.
#pragma once

#include <kakunin/crypto/jhc1.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace kakunin::handoff {

// kakunin-handoff_<kiosk>_<yyyyMMddHHmmss>_<seq>.json
std::string handoff_record_file_name(std::string_view kiosk_id, crypto::UnixSeconds checked_at,
                                     std::uint64_t sequence);

}  // namespace kakunin::handoff
