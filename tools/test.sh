#!/usr/bin/env bash
# Builds Kakunin in build/ (warnings are errors) and runs every test.
# The README's test command and the first build step of .ci/run.
# KAKUNIN_BUILD_DIR picks another build folder; KAKUNIN_CMAKE_ARGS adds options.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${KAKUNIN_BUILD_DIR:-build}
# The top-level CMakeLists.txt uses ccache as the compiler launcher when installed.
echo "test.sh: configuring $build_dir/ ..." >&2
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAKUNIN_WERROR=ON \
  ${KAKUNIN_CMAKE_ARGS:-} >/dev/null
# ninja shows [done/total] as it goes; the first build takes about 9 minutes on 2 cores.
echo "test.sh: building everything (the first build takes about 9 minutes on 2 cores) ..." >&2
cmake --build "$build_dir" -j"$(nproc)"
echo "test.sh: running the tests (about 2 minutes; one line per test) ..." >&2
ctest --test-dir "$build_dir" --output-on-failure -j2
