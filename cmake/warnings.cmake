# Every project target calls kakunin_warnings(target): the same strict warnings
# everywhere, and -Werror unless a developer turns it off locally.
function(kakunin_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(KAKUNIN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
