#include <kakunin/kiosk/kiosk.h>

#include <chrono>
#include <thread>

namespace kakunin::kiosk {
namespace {

// A window turn waits up to 30 ms for staff input: about 30 turns a second,
// a smooth preview and keys felt at once.
constexpr int kWindowWaitMilliseconds = 30;
// Headless, a turn every 15 ms: a verdict is taken and told within a frame or so.
constexpr auto kHeadlessTurn = std::chrono::milliseconds(15);

}  // namespace

Kiosk::Kiosk(std::unique_ptr<Capture> capture, const TrustSource& trust,
             StateMachineSettings settings, const Clock& clock, base::Logger log)
    : capture_(std::move(capture)),
      machine_(std::move(settings), clock),
      counter_(machine_, capture_->texts(), capture_->frames(), trust, clock, std::move(log)) {
  counter_.on_read_again([this] { capture_->reset_reader(); });
}

Kiosk::~Kiosk() { capture_->stop(); }

void Kiosk::run(ui::KioskWindow* window, const LoopEnd& end, const AfterTurn& after_turn) {
  capture_->start();
  for (bool last = false; !last;) {
    if (end.stop && end.stop->load()) break;
    last = end.done && end.done();
    if (!turn(window, after_turn)) break;  // the window was closed
  }
  capture_->stop();
  finish_waiting_handoffs(window, after_turn);
}

// A hand-off held for its national answer is not dropped by a stop (SIGTERM, the
// last image of a folder): a few more turns, no new QR, until each has its answer
// or its online timeout (at most online.timeout_seconds; the cap is a backstop).
void Kiosk::finish_waiting_handoffs(ui::KioskWindow* window, const AfterTurn& after_turn) {
  constexpr auto kLongestWait = std::chrono::seconds(125);
  const auto until = std::chrono::steady_clock::now() + kLongestWait;
  while (counter_.handoffs_waiting() && std::chrono::steady_clock::now() < until) {
    turn(window, after_turn);
  }
}

bool Kiosk::turn(ui::KioskWindow* window, const AfterTurn& after_turn) {
  bool keep_running = true;
  bool changed = false;
  if (window) {
    const LoopTurn done = kiosk_loop_turn(*window, counter_, kWindowWaitMilliseconds);
    keep_running = done.keep_running;
    changed = done.drawn;
  } else {
    counter_.step();
  }
  if (after_turn) {
    const ui::ScreenModel model = machine_.model();
    if (!window) changed = counter_.screen_changed(model);
    after_turn({model, counter_.preview(), changed});
  }
  if (!window) std::this_thread::sleep_for(kHeadlessTurn);
  return keep_running;
}

LoopTurn kiosk_loop_turn(ui::KioskWindow& window, Counter& counter, int wait_ms) {
  LoopTurn turn;
  bool quit = false;
  for (const ui::StaffAction action : window.poll(wait_ms, &quit)) counter.staff(action);
  turn.keep_running = !quit;
  counter.step();
  const frame::Frame* preview = counter.preview();
  const frame::FrameView view = preview ? preview->view() : frame::FrameView{};
  const ui::ScreenModel model = counter.machine().model();
  turn.drawn = counter.screen_changed(model);
  if (turn.drawn) window.draw(model, preview ? &view : nullptr);
  turn.screen = model.screen;
  return turn;
}

}  // namespace kakunin::kiosk
