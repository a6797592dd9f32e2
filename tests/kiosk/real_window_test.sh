#!/usr/bin/env bash
# A real window: kakunin-demo on an X display (run under xvfb-run by ctest),
# a screenshot of the whole display after a few seconds, and checks that it
# shows the kiosk — a drawn screen with text and colour, not a blank or black
# window. Usage: real_window_test.sh KAKUNIN_DEMO OUTPUT.png
set -euo pipefail
kakunin_demo=$1
shot=$2
: "${DISPLAY:?run under xvfb-run}"

"$kakunin_demo" --quiet --width 1280 --height 800 --show-seconds 3 --gap-seconds 1 \
  >/dev/null 2>"$shot.log" &
demo=$!
trap 'kill "$demo" 2>/dev/null || true' EXIT
sleep 6
if ! kill -0 "$demo" 2>/dev/null; then
  echo "FAIL: kakunin-demo exited early:" >&2
  cat "$shot.log" >&2
  exit 1
fi
import -window root "$shot"
kill -TERM "$demo"
wait "$demo" || true
trap - EXIT

colours=$(identify -format '%k' "$shot")
mean=$(convert "$shot" -colorspace Gray -format '%[fx:mean]' info:)
size=$(identify -format '%wx%h' "$shot")
echo "screenshot $shot: $size, $colours colours, mean brightness $mean"
# A blank or black window has a handful of colours; the kiosk draws text,
# a camera preview and coloured cards.
if [ "$colours" -lt 200 ]; then
  echo "FAIL: the display looks blank ($colours colours)" >&2
  exit 1
fi
if awk -v m="$mean" 'BEGIN { exit !(m < 0.05 || m > 0.97) }'; then
  echo "FAIL: the display is almost all black or white (mean $mean)" >&2
  exit 1
fi
echo "PASS: the kiosk is on the display"
