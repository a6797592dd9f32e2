// What the screens share besides the Painter's primitives: the palette, the
// layout arithmetic (boxes split by weights, in window pixels) and the few
// phrases more than one screen builds. Internal to kakunin_screens.
#pragma once

#include <kakunin/ui/screen.h>

#include <SDL.h>

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace kakunin::ui::detail {

// Colours: a dark room-friendly background; saturated green / red / amber for
// results and warnings, always with an icon and words beside them.
inline constexpr Rgb kBackground{0x1F, 0x26, 0x2E};
inline constexpr Rgb kWhite{0xFF, 0xFF, 0xFF};
inline constexpr Rgb kDim{0xB0, 0xBE, 0xC5};
inline constexpr Rgb kGreenBand{0x1B, 0x7A, 0x34};
inline constexpr Rgb kGreenBody{0xD0, 0xEF, 0xD4};
inline constexpr Rgb kGreenLabel{0x2E, 0x5E, 0x37};
inline constexpr Rgb kInk{0x10, 0x1A, 0x12};
inline constexpr Rgb kHint{0x6D, 0x4C, 0x00};
inline constexpr Rgb kRedBand{0x9A, 0x12, 0x12};
inline constexpr Rgb kRedBody{0xC6, 0x28, 0x28};
inline constexpr Rgb kRedSoft{0xFF, 0xD7, 0xD7};
inline constexpr Rgb kAmber{0xFF, 0xB3, 0x00};
inline constexpr Rgb kAmberInk{0x2A, 0x1C, 0x00};
inline constexpr Rgb kSlate{0x2B, 0x37, 0x3E};
inline constexpr Rgb kButton{0x45, 0x5A, 0x64};
inline constexpr Rgb kSendButton{0x15, 0x65, 0xC0};
inline constexpr Rgb kPreviewBack{0x00, 0x00, 0x00};
// The terminal tier (the kiosk cannot check now): neither the patient's fault
// nor the QR's, so neither amber nor red; its own luminance between the two.
inline constexpr Rgb kTerminalBody{0x60, 0x7D, 0x8B};
inline constexpr Rgb kTerminalSoft{0xE3, 0xEA, 0xED};
// A located QR before any verdict: not green, which would promise a result.
inline constexpr Rgb kOutline{0x4F, 0xC3, 0xF7};
// The online check's "no usable answer": neutral grey, neither good nor bad news
// (luma 144, between the amber mismatch and the green confirmation).
inline constexpr Rgb kOnlineGrey{0x90, 0x90, 0x90};
// The spinner while the national answer is awaited: its dots, and their colour at rest.
inline constexpr int kSpinnerDots = 8;
inline constexpr Rgb kSpinnerRest{0xCF, 0xD8, 0xDC};

Rect inset(const Rect& r, int dx, int dy);
// `r` cut along its width (columns) or height (rows) in proportion to `weights`,
// `gap` pixels between the parts.
std::vector<Rect> split(const Rect& r, std::span<const double> weights, int gap, bool horizontal);
std::vector<Rect> rows(const Rect& r, std::initializer_list<double> weights, int gap);
// `count` rows of one height (at least one), for a list whose length varies.
std::vector<Rect> equal_rows(const Rect& r, std::size_t count, int gap);
std::vector<Rect> columns(const Rect& r, std::initializer_list<double> weights, int gap);

SDL_Color sdl(Rgb c);
// `from` moved `amount` (0..1) of the way to `to`.
Rgb mix(Rgb from, Rgb to, double amount);

// "2026-12-01 09:30" in Japan time.
std::string japan_datetime(crypto::UnixSeconds instant);
std::string sex_text(crypto::Sex sex, Language language);
// 「動作中 30 fps」, 「未接続」 or 「カメラを起動しています」, the rate to `decimals` places;
// 「接続中」 for a running handheld scanner.
std::string camera_text(const ScreenModel& model, int decimals, Language language);

}  // namespace kakunin::ui::detail
