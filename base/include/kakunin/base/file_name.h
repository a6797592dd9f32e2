// A kiosk id (or any configured text) as a part of a file name other programs
// scan: the hand-off's result files, the outbox, the online check's requests.
#pragma once

#include <string>
#include <string_view>

namespace kakunin::base {

// `text` reduced to [A-Za-z0-9-] (anything else becomes '-'); "kiosk" when empty.
std::string file_name_safe(std::string_view text);

}  // namespace kakunin::base
