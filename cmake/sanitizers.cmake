# KAKUNIN_SANITIZE builds everything with ASan + UBSan; UBSan findings abort so a
# test run cannot pass over them.
if(KAKUNIN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
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
