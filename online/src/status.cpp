#include <kakunin/online/status.h>

namespace kakunin::online {

std::string_view online_state_name(OnlineState state) {
  switch (state) {
    case OnlineState::pending:
      return "pending";
    case OnlineState::confirmed:
      return "confirmed";
    case OnlineState::mismatch:
      return "mismatch";
    case OnlineState::not_entitled:
      return "not_entitled";
    case OnlineState::unavailable:
      return "unavailable";
  }
  return "unavailable";
}

std::string_view online_reason_name(OnlineReason reason) {
  switch (reason) {
    case OnlineReason::none:
      return "none";
    case OnlineReason::lost:
      return "lost";
    case OnlineReason::replaced:
      return "replaced";
    case OnlineReason::not_found:
      return "not_found";
    case OnlineReason::several_found:
      return "several_found";
    case OnlineReason::error_answer:
      return "error_answer";
    case OnlineReason::timed_out:
      return "timed_out";
    case OnlineReason::request_failed:
      return "request_failed";
    case OnlineReason::not_asked:
      return "not_asked";
  }
  return "none";
}

}  // namespace kakunin::online
