# cmake -DSOURCE_DIR=... -DGIT_EXECUTABLE=... -DPROJECT_VERSION=... -DTEMPLATE=... -DOUTPUT=... -P this file
# Writes OUTPUT from TEMPLATE with STATION_VERSION_STRING; configure_file leaves an unchanged file alone.
set(STATION_VERSION_STRING "${PROJECT_VERSION}")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git") # a directory in a clone, a file in a worktree
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --tags --always --dirty
        WORKING_DIRECTORY "${SOURCE_DIR}"
        OUTPUT_VARIABLE _describe OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
        RESULT_VARIABLE _result)
    if(_result EQUAL 0 AND _describe)
        set(STATION_VERSION_STRING "${PROJECT_VERSION}+${_describe}")
    endif()
endif()
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
