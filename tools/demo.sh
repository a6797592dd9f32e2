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
printf '%-3s %-26s %-20s %-20s %s\n' "" "QR" "verdict" "expected" "message shown to staff"
failures=0
while IFS='|' read -r name expected; do
  # kakunin verify exits 1 for a refused QR: that is a result here, not an error.
  result=$("$build_dir"/kakunin verify --mode test --json --now "$now" \
    --trust-list "$world/trustlist.cose" --revocations "$world/revocations.cose" \
    --pinned-key "$world/trustlist-signing.pub.pem" --text "$(cat "$world/qr/$name.txt")") || true
  verdict=$(sed -n 's/.*"verdict":"\([a-z_0-9]*\)".*/\1/p' <<<"$result")
  message=$(sed -n 's/.*"message_ja":"\([^"]*\)".*/\1/p' <<<"$result")
  if [ "$verdict" = "$expected" ]; then mark="ok "; else mark="BAD"; failures=$((failures + 1)); fi
  printf '%s %-26s %-20s %-20s %s\n' "$mark" "$name" "${verdict:-(none)}" "$expected" "$message"
done <"$world/qr/expected.txt"

if [ "$failures" -ne 0 ]; then
  echo "demo: $failures verdict(s) differ from the expected ones" >&2
  exit 1
fi
echo "Every verdict is the expected one."
