#pragma once

#include <kakunin/kiosk/counter.h>
#include <kakunin/ui/screen.h>

#include <atomic>

namespace kakunin::kiosk {

struct LoopTurn {
  bool keep_running = true;  // false once the window was closed
  ui::ScreenKind screen = ui::ScreenKind::idle;
};

// One turn: staff input (waiting at most `wait_ms` for it), the counter's step,
// and the screen drawn with the newest camera frame.
LoopTurn kiosk_loop_turn(ui::KioskWindow& window, Counter& counter, int wait_ms);

// Turns until the window is closed or `stop` is set. Returns 0.
int run_kiosk_loop(ui::KioskWindow& window, Counter& counter, const std::atomic<bool>& stop);

}  // namespace kakunin::kiosk
