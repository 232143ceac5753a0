# The version shown to users (provctl --version, provstation's About box): the project version, refined by
# `git describe` when building from a checkout ("0.1.0+1d6e518-dirty"); the project version alone from a
# source tarball or without git. Generated at build time by cmake/StationVersionGenerate.cmake, so a new
# commit shows without re-running CMake; the header is rewritten only when the text changes (nothing
# recompiles otherwise). Also run once here, so that the header exists right after configuring.
find_package(Git QUIET)
set(STATION_VERSION_HEADER "${PROJECT_BINARY_DIR}/generated/StationVersion.h")
set(_station_version_command "${CMAKE_COMMAND}"
    "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "-DGIT_EXECUTABLE=${GIT_EXECUTABLE}"
    "-DPROJECT_VERSION=${PROJECT_VERSION}"
    "-DTEMPLATE=${CMAKE_CURRENT_LIST_DIR}/StationVersion.h.in"
    "-DOUTPUT=${STATION_VERSION_HEADER}"
    -P "${CMAKE_CURRENT_LIST_DIR}/StationVersionGenerate.cmake")
execute_process(COMMAND ${_station_version_command} COMMAND_ERROR_IS_FATAL ANY)
add_custom_target(station_version
    COMMAND ${_station_version_command}
    BYPRODUCTS "${STATION_VERSION_HEADER}"
    COMMENT "" VERBATIM)
