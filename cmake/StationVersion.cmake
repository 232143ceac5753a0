# The version shown to users: the project version, refined by `git describe` when building from a checkout.
set(STATION_VERSION_STRING "${PROJECT_VERSION}")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --tags --always --dirty
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
        OUTPUT_VARIABLE _station_git_describe OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_station_git_describe)
        set(STATION_VERSION_STRING "${PROJECT_VERSION}+${_station_git_describe}")
    endif()
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/StationVersion.h.in" "${PROJECT_BINARY_DIR}/generated/StationVersion.h" @ONLY)
