# Warnings and sanitizers for our own code only: linked by each of our targets, never exported
# to the libraries we use.
add_library(sileram_warnings INTERFACE)
target_compile_options(sileram_warnings INTERFACE -Wall -Wextra -Wpedantic)
# Errors only where developers and CI ask for them (./dev turns it on): a user's or a packager's
# build with another compiler or optimisation level must not fail on a new warning, such as
# GCC 12's false -Wrestrict at -O3 (GCC bug 105329).
option(SILERAM_WARNINGS_AS_ERRORS "Treat compiler warnings in sileram's own code as errors" OFF)
if(SILERAM_WARNINGS_AS_ERRORS)
  target_compile_options(sileram_warnings INTERFACE -Werror)
  # GCC 12 at -O3 reports `"text" + std::string` as an overlapping memcpy (bug 105329) wherever
  # that operator+ is inlined: it stays a warning, shown in the log, rather than stop the
  # Release build each time a new line of code uses the operator.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(sileram_warnings INTERFACE -Wno-error=restrict)
  endif()
endif()

if(SILERAM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SILERAM_FUZZ needs Clang (libFuzzer): configure with CXX=clang++")
  endif()
  # The sanitizers plus coverage feedback for all our code; the fuzzer's main is linked into the
  # fuzz targets only, so the same build also gives a sanitized sileram and unit tests (the
  # coverage hooks are no-ops outside the fuzzer).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
elseif(SILERAM_SANITIZE)
  # Every target gets the sanitizers, so the whole process is instrumented alike.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
