#!/usr/bin/env bash
# Builds Kakunin in build/ (warnings are errors) and runs every test.
# The README's test command and the first build step of .ci/run.
# KAKUNIN_BUILD_DIR picks another build folder; KAKUNIN_CMAKE_ARGS adds options.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KAKUNIN_BUILD_DIR:-build}
# The top-level CMakeLists.txt uses ccache as the compiler launcher when installed.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAKUNIN_WERROR=ON \
  ${KAKUNIN_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j2
