# Run at build time (cmake -P): writes the completion scripts of the built binary SILERAM into
# OUTPUT_DIR under the names the shells look for. CONFIG is an empty configuration file, so the
# scripts do not depend on a configuration found on the build machine.
foreach(pair "bash;bash/sileram" "zsh;zsh/_sileram" "fish;fish/sileram.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  get_filename_component(folder "${OUTPUT_DIR}/${name}" DIRECTORY)
  file(MAKE_DIRECTORY "${folder}")
  execute_process(COMMAND "${SILERAM}" --config "${CONFIG}" completion ${shell}
                  OUTPUT_FILE "${OUTPUT_DIR}/${name}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "sileram completion ${shell} failed: ${failed}")
  endif()
endforeach()
