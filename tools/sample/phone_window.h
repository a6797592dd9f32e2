// The live member-page simulator: an SDL2 window shaped like a phone showing
// MemberPage, redrawn every second (clock) with a new QR every refresh period.
#pragma once

#include "member_page.h"

#include <functional>
#include <string>

namespace kakunin::sample {

// Runs until the window is closed or Esc/Q is pressed. `now` gives the simulated
// time. Returns false with `error` set when no window can be opened (no display).
bool run_phone_window(MemberPage& page, const std::function<crypto::UnixSeconds()>& now, int scale,
                      std::string* error);

}  // namespace kakunin::sample
