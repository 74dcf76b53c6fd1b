# The Debian package, made by CPack from the install rules of cmake/install.cmake:
#   cmake --build build --target package   ->   build/sileram_VERSION_ARCH.deb
# CPack rather than a debian/ folder: the package comes from the same CMake build and install
# rules as a source install, without debhelper; dpkg-shlibdeps still computes Depends.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sileram)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sileram maintainers <sileram@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "customer signals through ten improvement steps")
# The synopsis above; the extended description below, one string (CPack indents its lines).
set(CPACK_PACKAGE_DESCRIPTION
    "sileram walks customer signals (complaints, ideas, questions) through a
ten-step improvement process in one SQLite file: submit, triage, impact
analysis, root cause, actions, measurement and closing, with reports and
feedback mail to the people who submitted them.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Depends from the libraries the binary links (dpkg-shlibdeps), plus libcurl and libpq by hand:
# they are loaded with dlopen when mail goes out and at the first PostgreSQL connection, so no
# tool can see them (src/mail/curl_library.cpp, src/storage/postgres/libpq_library.cpp).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.85.0), libpq5 (>= 14)")
# md5sums and the other control files 0644, as dpkg-deb makes them.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
