#!/usr/bin/env bash
# Builds Kakunin in build/ (warnings are errors) and runs every test.
# The README's test command and the first step of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KAKUNIN_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAKUNIN_WERROR=ON \
  ${KAKUNIN_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
