// SIGINT and SIGTERM (Ctrl-C, systemd stop) ask the kiosk loop to end after its
// current turn, so capture, sync and hand-off threads are stopped cleanly and
// nothing queued is lost.
//
//   kiosk::LoopEnd end;
//   end.stop = &kiosk::stop_on_signals();  // set by SIGINT or SIGTERM
//   kiosk.run(window, end);                // returns after the turn that saw it
#pragma once

#include <atomic>

namespace kakunin::kiosk {

// Installs the handlers (once) and returns the flag they set; cleared on each call.
const std::atomic<bool>& stop_on_signals();

}  // namespace kakunin::kiosk
