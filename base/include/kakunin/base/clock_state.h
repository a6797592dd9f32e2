// Whether the wall clock can be trusted to judge a QR valid for 30 seconds: the
// one state from the clock check (sync::ClockCheck, which finds it) to the
// screens (which show it) and the audit purge (which refuses an untrusted clock).
//
//   base::ClockState state = clock_check.report().state;
//   if (base::clock_warns(state)) show_warning();     // the amber 時刻 warning
//   log.info("clock: " + std::string(base::clock_state_name(state)));  // "ok", ...
//
// The status page has three words for it: 同期済み (ok), 未確認 (unknown) and
// 同期されていません for both warning states.
#pragma once

#include <string_view>

namespace kakunin::base {

enum class ClockState {
  ok,                // nothing says the clock is wrong
  unknown,           // neither signal is available yet
  not_synchronised,  // the kernel says no time synchronisation is running, or its
                     // maximum error exceeds the allowed offset
  offset_too_large,  // differs from the sync server by more than the allowed offset
};

// "ok", "unknown", "not_synchronised", "offset_too_large".
constexpr std::string_view clock_state_name(ClockState state) {
  switch (state) {
    case ClockState::ok:
      return "ok";
    case ClockState::unknown:
      return "unknown";
    case ClockState::not_synchronised:
      return "not_synchronised";
    case ClockState::offset_too_large:
      return "offset_too_large";
  }
  return "unknown";
}

// True when the screens must show that the time may be wrong.
constexpr bool clock_warns(ClockState state) {
  return state == ClockState::not_synchronised || state == ClockState::offset_too_large;
}

}  // namespace kakunin::base
