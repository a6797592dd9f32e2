#include <kakunin/kiosk/kiosk_loop.h>

namespace kakunin::kiosk {
namespace {

// About 30 turns a second: smooth preview, staff keys felt at once.
constexpr int kTurnMilliseconds = 30;

}  // namespace

LoopTurn kiosk_loop_turn(ui::KioskWindow& window, Counter& counter, int wait_ms) {
  LoopTurn turn;
  bool quit = false;
  for (const ui::StaffAction action : window.poll(wait_ms, &quit)) counter.staff(action);
  turn.keep_running = !quit;
  counter.step();
  const drivers::Frame* preview = counter.preview();
  const drivers::FrameView view = preview ? preview->view() : drivers::FrameView{};
  const ui::ScreenModel model = counter.machine().model();
  window.draw(model, preview ? &view : nullptr);
  turn.screen = model.screen;
  return turn;
}

int run_kiosk_loop(ui::KioskWindow& window, Counter& counter, const std::atomic<bool>& stop) {
  while (!stop.load()) {
    if (!kiosk_loop_turn(window, counter, kTurnMilliseconds).keep_running) break;
  }
  return 0;
}

}  // namespace kakunin::kiosk
