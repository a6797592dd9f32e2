#include "run_health.h"

#include <string>

namespace kakunin::kiosk {

ui::HealthInfo RunHealth::health() const {
  ui::HealthInfo info;
  const audit::RecordingStatus recording = audit_.recording_status();
  switch (recording.state) {
    case audit::RecordingState::recording:
      info.recording = ui::RecordingDisplay::recording;
      break;
    case audit::RecordingState::delayed:
      info.recording = ui::RecordingDisplay::delayed;
      break;
    case audit::RecordingState::not_recording:
      info.recording = ui::RecordingDisplay::not_recording;
      break;
  }
  info.rows_waiting = recording.rows_waiting;
  info.disk_low = recording.problem == audit::RecordingProblem::disk_full;
  if (handoff_) add_handoff_health(handoff_->queue(), info);
  if (online_) add_online_health(online_->figures(), info);
  return info;
}

void add_online_health(const online::OnlineCheck::Figures& figures, ui::HealthInfo& info) {
  info.online_enabled = true;
  info.online_asked = figures.asked;
  info.online_answered = figures.answered;
  info.online_timed_out = figures.timed_out;
  info.online_refused_files = figures.refused_files;
  info.online_write_failures = figures.write_failures;
  info.online_last_answer = figures.last_answer;
}

void add_handoff_health(const handoff::QueueFigures& queue, ui::HealthInfo& info) {
  info.handoff_enabled = true;
  info.handoff_pending = queue.pending;
  info.handoff_quarantined = queue.quarantined;
  for (const handoff::ChannelFigures& channel : queue.channels) {
    const std::string name(handoff::channel_name(channel.channel));
    if (!channel.answering && !info.handoff_not_answering) {
      info.handoff_not_answering = true;
      info.handoff_stuck_channel = name;
    }
    if (channel.last_delivery &&
        (!info.handoff_last_sent || *channel.last_delivery > *info.handoff_last_sent)) {
      info.handoff_last_sent = channel.last_delivery;
    }
    // Logged English with no personal data, so fit for the status page too.
    if (!channel.last_error.empty() && info.handoff_last_error.empty()) {
      info.handoff_last_error = name + ": " + channel.last_error;
    }
  }
}

}  // namespace kakunin::kiosk
