# Run at every build (cmake -P): writes OUTPUT, a header with the git revision SOURCE_DIR was
# built from ("" outside a git checkout, as in a release tarball). The file is rewritten only
# when the revision changes, so a build without a new commit recompiles nothing.
set(revision "")
if(EXISTS "${SOURCE_DIR}/.git")
  find_package(Git QUIET)
  if(GIT_FOUND)
    # --match with no tag: always the abbreviated commit, "-dirty" when files were changed.
    execute_process(
      COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
              --match=no-tag-is-named-like-this
      OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
    if(failed)
      set(revision "")
    endif()
  endif()
endif()
set(text "#pragma once\n\n#include <string_view>\n\nnamespace sileram {\n\n"
         "// The git revision this binary was built from, empty outside a git checkout.\n"
         "inline constexpr std::string_view k_revision = \"${revision}\";\n\n"
         "} // namespace sileram\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
