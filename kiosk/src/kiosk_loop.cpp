#include <kakunin/kiosk/kiosk_loop.h>

namespace kakunin::kiosk {
namespace {

// About 30 turns a second: smooth preview, staff keys felt at once.
constexpr int kTurnMilliseconds = 30;

void handle(const KioskEvent& event, KioskLoopParts& parts) {
  switch (event.kind) {
    case KioskEvent::Kind::play_valid_tone:
      if (parts.tones) parts.tones->play(ui::Tone::valid);
      return;
    case KioskEvent::Kind::play_refused_tone:
      if (parts.tones) parts.tones->play(ui::Tone::refused);
      return;
    case KioskEvent::Kind::record_audit:
    case KioskEvent::Kind::handoff_requested:
      if (parts.on_event) parts.on_event(event);
      return;
  }
}

}  // namespace

LoopTurn kiosk_loop_turn(KioskLoopParts& parts, int wait_ms) {
  LoopTurn turn;
  StateMachine& machine = *parts.machine;
  bool quit = false;
  for (ui::StaffAction action : parts.window->poll(wait_ms, &quit)) machine.staff(action);
  turn.keep_running = !quit;

  if (parts.trust_status) machine.trust_status(parts.trust_status());
  if (parts.clock_state) machine.clock_state(parts.clock_state());
  if (parts.frames) {
    machine.camera_state(parts.frames->camera_state());
    machine.camera_fps(parts.frames->fps());
  } else {
    machine.camera_state(parts.texts->scanner_state());
  }

  const std::vector<drivers::ScannedText> texts = parts.texts->take();
  if (!texts.empty()) {
    std::shared_ptr<const crypto::Verifier> verifier = parts.verifier ? parts.verifier() : nullptr;
    if (!verifier) {
      verifier = std::make_shared<const crypto::Verifier>(nullptr, nullptr, crypto::Mode::production);
    }
    feed(machine, *verifier, texts, *parts.clock);
  }
  machine.tick();
  for (const KioskEvent& event : machine.take_events()) handle(event, parts);

  if (parts.frames) parts.frames->take(parts.preview);
  const drivers::FrameView view = parts.preview.view();
  const ui::ScreenModel model = machine.model();
  parts.window->draw(model, parts.preview.pixels.empty() ? nullptr : &view);
  turn.screen = model.screen;
  return turn;
}

int run_kiosk_loop(KioskLoopParts& parts, const std::atomic<bool>& stop) {
  if (!parts.window || !parts.machine || !parts.clock || !parts.texts) return 2;
  while (!stop.load()) {
    if (!kiosk_loop_turn(parts, kTurnMilliseconds).keep_running) break;
  }
  return 0;
}

}  // namespace kakunin::kiosk
