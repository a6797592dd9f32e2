#!/usr/bin/env bash
# The README's demo command: builds Kakunin, makes a TEST world of sample
# material (no camera, no real keys, no real people) and verifies a scripted set of
# QR codes — valid ones of both profiles, a screenshot replayed later, a forged one,
# a revoked one, a URL — through `kakunin verify`, printing each verdict.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KAKUNIN_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target kakunin kakunin-make-sample >/dev/null

world=$(mktemp -d)
trap 'rm -rf "$world"' EXIT
"$build_dir"/kakunin-make-sample "$world" >/dev/null
now=$(cat "$world/now")

echo "Kakunin demo — sample world in $world (TEST material, test mode)"
while IFS='|' read -r name expected; do
  set +e
  result=$("$build_dir"/kakunin verify --mode test --json --now "$now" \
    --trust-list "$world/trustlist.cose" --revocations "$world/revocations.cose" \
    --pinned-key "$world/trustlist-signing.pub.pem" --text "$(cat "$world/qr/$name.txt")")
  set -e
  verdict=$(sed -n 's/.*"verdict":"\([a-z_0-9]*\)".*/\1/p' <<<"$result")
  message=$(sed -n 's/.*"message_ja":"\([^"]*\)".*/\1/p' <<<"$result")
  mark=$([ "$verdict" = "$expected" ] && echo "ok " || echo "BAD")
  printf '%s %-28s %-20s %s\n' "$mark" "$name" "$verdict" "$message"
  [ "$verdict" = "$expected" ] || exit 1
done <"$world/qr/expected.txt"
