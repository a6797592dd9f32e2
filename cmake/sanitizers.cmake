# KAKUNIN_SANITIZE builds everything with ASan + UBSan; UBSan findings abort so a
# test run cannot pass over them.
if(KAKUNIN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# KAKUNIN_TSAN builds everything with ThreadSanitizer, for the threads of the
# kiosk (capture, decode, scanners, sync, hand-off, audit). TSan cannot share a
# process with ASan, so it is a build of its own; .ci/run's step 7 makes it so (by hand:
# build every target, or drop -L for every suite):
#   cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAKUNIN_TSAN=ON \
#     -DKAKUNIN_WERROR=ON -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_C_FLAGS=-O1
#   cmake --build build-tsan -j2
#   TSAN_OPTIONS=suppressions=$PWD/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1 \
#     ctest --test-dir build-tsan -j2 -L '^(kiosk|drivers|sync|handoff|audit|net)$'
# tests/tsan.supp holds only uninstrumented third-party libraries, each with its
# evidence; a report in Kakunin code is a bug to fix. Leave out TSan's log_path:
# with it the runtime creates the log's folder with mkdir() before it is ready,
# and in a child with the fault shim preloaded (tests/faults) that is the shim's
# mkdir, whose pthread_once then crashes the runtime (ThreadSanitizer:DEADLYSIGNAL).
option(KAKUNIN_TSAN "Build with ThreadSanitizer (not with KAKUNIN_SANITIZE or KAKUNIN_FUZZ)" OFF)
if(KAKUNIN_TSAN)
  if(KAKUNIN_SANITIZE OR KAKUNIN_FUZZ)
    message(FATAL_ERROR "KAKUNIN_TSAN cannot be combined with KAKUNIN_SANITIZE or KAKUNIN_FUZZ")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# KAKUNIN_FUZZ instruments the libraries for libFuzzer; the fuzz targets add the
# libFuzzer driver themselves.
if(KAKUNIN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KAKUNIN_FUZZ needs clang (CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
