#!/usr/bin/env bash
# The README's demo command: builds kakunin-demo and runs it — the kiosk's main
# job on built-in TEST data (no camera, no setup): members' phones present valid
# QRs of both profiles, a screenshot replayed a minute later, forgeries, a
# revoked and an out-of-date certificate and a URL QR, all through the kiosk's
# real pipeline (synthetic camera → decode → verify → screen).
#
# With a display ($DISPLAY or $WAYLAND_DISPLAY) the kiosk window opens and loops
# until closed; without one, one round is played headless, one JSON line per
# verdict, and the script fails if any verdict differs from the script's.
# Extra arguments go to kakunin-demo (see `build/kakunin-demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KAKUNIN_BUILD_DIR:-build}
# The first build takes minutes: say so, and let ninja show its [done/total]
# progress (one updating line in a terminal), so nobody thinks it hung.
echo "demo.sh: configuring $build_dir/ ..." >&2
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "demo.sh: building kakunin-demo (the first build takes about 5 minutes on 2 cores; later ones seconds) ..." >&2
cmake --build "$build_dir" -j"$(nproc)" --target kakunin-demo >&2
echo "demo.sh: built; starting the demo" >&2

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build_dir"/kakunin-demo "$@"
fi
echo "No display: playing one round of the demo headless (one JSON line per verdict)." >&2
exec "$build_dir"/kakunin-demo --headless --rounds 1 "$@"
