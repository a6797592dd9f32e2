// The kiosk, wired in one place (scrcpy's scrcpy.c): capture → Counter (verify,
// state machine) → verdict sinks and screen, turned by one loop. `kakunin run`,
// kakunin-demo and `kakunin-bench e2e` all build it here and pass in only what
// differs: the capture, the trust source, the sinks, the window or none, and
// when the loop ends.
//
//   kiosk::Kiosk kiosk(kiosk::Capture::from_frames(std::move(source)), trust, settings, clock,
//   log); kiosk.add_sink(audit_sink);           // every verdict (verdict_sink.h)
//   kiosk.set_handoff(outbox);             // results sent to the receipt computer
//   kiosk.set_online(online_check);        // each valid result asked about online
//   kiosk.run(window.get(), {&kiosk::stop_on_signals(), [&] { return kiosk.capture().ended(); }});
#pragma once

#include <kakunin/kiosk/capture.h>
#include <kakunin/kiosk/counter.h>
#include <kakunin/kiosk/state_machine.h>
#include <kakunin/kiosk/trust_source.h>
#include <kakunin/kiosk/verdict_sink.h>
#include <kakunin/ui/screen.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace kakunin::kiosk {

// When the loop ends, besides the window being closed.
struct LoopEnd {
  const std::atomic<bool>* stop = nullptr;  // e.g. stop_on_signals(): SIGTERM, Ctrl-C
  // Asked before each turn; once true, that turn is the last (it takes what the
  // capture handed over before: the last texts of an image folder).
  std::function<bool()> done;
};

// What the screen shows after a turn. `changed` is false when it is the same
// picture as after the turn before (the same model, no newer camera frame):
// nothing needs drawing again.
struct Shown {
  const ui::ScreenModel& model;
  const frame::Frame* preview;
  bool changed;
};
// Called after each turn (offscreen screenshots, the benchmark's "result drawn"
// time, the watchdog's ping).
using AfterTurn = std::function<void(const Shown& shown)>;

class Kiosk {
 public:
  // `trust` and `clock` must outlive the kiosk; `log` gets English lines.
  Kiosk(std::unique_ptr<Capture> capture, const TrustSource& trust, StateMachineSettings settings,
        const Clock& clock, base::Logger log = {});
  ~Kiosk();  // stops the capture

  // Sinks must outlive the kiosk (see Counter).
  void add_sink(VerdictSink& sink) { counter_.add_sink(sink); }
  void set_handoff(HandoffTarget& target) { counter_.set_handoff(target); }
  void set_online(online::OnlineAsker& asker) { counter_.set_online(asker); }
  void set_health(const HealthSource& health) { counter_.set_health(health); }

  // Starts the capture and turns until `end` (or the window is closed), then
  // stops the capture; a hand-off still waiting for its national answer gets it
  // (or its online timeout) before run() returns. With a window each turn takes staff input and
  // draws; without one (`window` nullptr) the loop turns headless.
  void run(ui::KioskWindow* window, const LoopEnd& end, const AfterTurn& after_turn = {});

  Capture& capture() { return *capture_; }
  StateMachine& machine() { return machine_; }
  Counter& counter() { return counter_; }

 private:
  bool turn(ui::KioskWindow* window, const AfterTurn& after_turn);
  void finish_waiting_handoffs(ui::KioskWindow* window, const AfterTurn& after_turn);

  std::unique_ptr<Capture> capture_;
  StateMachine machine_;
  Counter counter_;
};

struct LoopTurn {
  bool keep_running = true;  // false once the window was closed
  ui::ScreenKind screen = ui::ScreenKind::idle;
  bool drawn = false;  // the screen had changed and was drawn
};

// One turn in a window: staff input (waiting at most `wait_ms` for it), the
// counter's step, and the screen drawn with the newest camera frame if anything
// on it changed.
LoopTurn kiosk_loop_turn(ui::KioskWindow& window, Counter& counter, int wait_ms);

}  // namespace kakunin::kiosk
