# What `cmake --install` puts where (under CMAKE_INSTALL_PREFIX, and DESTDIR when set), in the
# places Debian uses, so the .deb of cmake/package.cmake is made from the same rules.
include(GNUInstallDirs)

install(TARGETS sileram RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page gzipped with -9n (no name, no time stamp), as Debian policy 12.1 asks; man-db
# reads it on any system.
set(man_page ${CMAKE_CURRENT_BINARY_DIR}/man/sileram.1.gz)
add_custom_command(OUTPUT ${man_page}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
  COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/docs/sileram.1 > ${man_page}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/sileram.1
  COMMENT "Compressing the man page")

# The completion scripts come from the built binary (`sileram completion SHELL`), so they follow
# its commands and options.
set(completion_dir ${CMAKE_CURRENT_BINARY_DIR}/completions)
set(completion_config ${CMAKE_CURRENT_BINARY_DIR}/completions-empty-config.toml)
file(WRITE ${completion_config} "# empty: completions are generated without any site configuration\n")
set(completion_files ${completion_dir}/bash/sileram ${completion_dir}/zsh/_sileram
                     ${completion_dir}/fish/sileram.fish)
add_custom_command(OUTPUT ${completion_files}
  COMMAND ${CMAKE_COMMAND} -DSILERAM=$<TARGET_FILE:sileram> -DCONFIG=${completion_config}
          -DOUTPUT_DIR=${completion_dir} -P ${PROJECT_SOURCE_DIR}/cmake/completions.cmake
  DEPENDS sileram ${PROJECT_SOURCE_DIR}/cmake/completions.cmake
  COMMENT "Generating the bash, zsh and fish completions" VERBATIM)
add_custom_target(sileram_install_files ALL DEPENDS ${man_page} ${completion_files})

install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${completion_dir}/bash/sileram
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions)
install(FILES ${completion_dir}/zsh/_sileram
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions)
install(FILES ${completion_dir}/fish/sileram.fish
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d)

# share/doc/sileram: the README, the Debian copyright and changelog, and the examples (the demo,
# the Dutch mail templates, the systemd units and the cron line).
set(doc_dir ${CMAKE_INSTALL_DATAROOTDIR}/doc/sileram)
set(changelog ${CMAKE_CURRENT_BINARY_DIR}/doc/changelog.gz)
add_custom_command(OUTPUT ${changelog}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/doc
  COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog > ${changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog
  COMMENT "Compressing the changelog")
add_custom_target(sileram_changelog ALL DEPENDS ${changelog})
install(FILES README.md packaging/copyright ${changelog} DESTINATION ${doc_dir})
install(FILES examples/demo.toml DESTINATION ${doc_dir}/examples)
install(PROGRAMS examples/demo.sh DESTINATION ${doc_dir}/examples)
install(DIRECTORY examples/templates-nl examples/systemd examples/cron
        DESTINATION ${doc_dir}/examples)
