# Install rules and the Debian package (CPack DEB): `cpack -G DEB` in the build
# folder makes kakunin_VERSION_ARCH.deb. What goes where and why: docs/install.md.
include(GNUInstallDirs)

set(KAKUNIN_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR}/../packaging)

install(TARGETS kakunin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The video-file module, loaded by kakunin only to read a video file (field
# tests): /usr/lib/kakunin/, where VideoFile::open looks (../lib/kakunin from
# the program).
install(TARGETS kakunin_video LIBRARY DESTINATION lib/kakunin)
foreach(tool kakunin-sample kakunin-bench)
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

# The commented default configuration, a conffile (dpkg keeps local edits).
install(FILES ${KAKUNIN_PACKAGING_DIR}/kakunin.toml DESTINATION /etc/kakunin)
install(FILES ${KAKUNIN_PACKAGING_DIR}/systemd/kakunin.service DESTINATION lib/systemd/system)
install(FILES ${KAKUNIN_PACKAGING_DIR}/debian/kakunin.sysusers
        DESTINATION lib/sysusers.d RENAME kakunin.conf)
install(FILES ${KAKUNIN_PACKAGING_DIR}/debian/kakunin.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME kakunin.conf)
install(FILES ${KAKUNIN_PACKAGING_DIR}/udev/70-kakunin-scanner.rules DESTINATION lib/udev/rules.d)
file(GLOB KAKUNIN_DOCS ${CMAKE_CURRENT_LIST_DIR}/../docs/*.md)
install(FILES ${KAKUNIN_DOCS} ${CMAKE_CURRENT_LIST_DIR}/../README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME kakunin)
set(CPACK_PACKAGE_VENDOR "Kakunin project")
set(CPACK_PACKAGE_CONTACT "Kakunin maintainers <kakunin@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "clinic kiosk that verifies signed health-insurance QR codes (JHC1)")
set(CPACK_PACKAGE_DESCRIPTION
    "Kakunin reads the signed dynamic QR shown on a member's phone with a camera or
handheld scanner, verifies it against a pinned trust list and revocation list,
shows the verified entitlement full screen and hands it to the receipt computer.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # kakunin_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps (libsystemd0 for the watchdog's
# sd_notify among them; .ci/package-check checks it is there); these are what the
# scripts and the kiosk use at run time without linking them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${KAKUNIN_PACKAGING_DIR}/debian/conffiles
    ${KAKUNIN_PACKAGING_DIR}/debian/postinst
    ${KAKUNIN_PACKAGING_DIR}/debian/prerm
    ${KAKUNIN_PACKAGING_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Release builds carry debug info; the kiosk does not need it (-80 % size).
set(CPACK_STRIP_FILES ON)
include(CPack)
