#include <kakunin/ui/screen_model.h>

namespace kakunin::ui {

std::string_view screen_name(ScreenKind kind) {
  switch (kind) {
    case ScreenKind::idle:
      return "idle";
    case ScreenKind::reading:
      return "reading";
    case ScreenKind::valid:
      return "valid";
    case ScreenKind::refused:
      return "refused";
    case ScreenKind::camera_offline:
      return "camera-offline";
    case ScreenKind::no_trust_list:
      return "no-trust-list";
    case ScreenKind::status:
      return "status";
  }
  return "unknown";
}

}  // namespace kakunin::ui
