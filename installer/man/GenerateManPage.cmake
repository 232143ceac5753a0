# cmake -DEXECUTABLE=path/provctl -DMODE=commands|options -DTEMPLATE=provctl.1.in -DOUTPUT=provctl.1
#       -DPROJECT_VERSION=... -DSTATION_RELEASE_DATE=YYYY-MM-DD -DSTATION_DEVICE_GROUP=... -P GenerateManPage.cmake
# Fills the template's @COMMANDS@ (MODE commands: every command `EXECUTABLE --help` lists, each with its
# own --help) or @OPTIONS@ (MODE options: `EXECUTABLE --help`) with the program's help text, so the man
# page cannot fall behind the options. The program runs with HOME=~ so defaults read "~/.local/...", not
# the build machine's home, and offscreen (provstation needs no display for --help).
cmake_minimum_required(VERSION 3.25)
get_filename_component(program "${EXECUTABLE}" NAME)

function(station_help out)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E env --unset=XDG_DATA_HOME --unset=XDG_CONFIG_HOME
                            --unset=XDG_STATE_HOME "HOME=~" QT_QPA_PLATFORM=offscreen "${EXECUTABLE}" ${ARGN}
        OUTPUT_VARIABLE text ERROR_QUIET RESULT_VARIABLE result)
    if(NOT result EQUAL 0 OR text STREQUAL "")
        message(FATAL_ERROR "GenerateManPage: '${program} ${ARGN}' failed (${result})")
    endif()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as a no-fill block: backslashes and minus signs escaped, no line taken for a request.
function(station_roff_block out text usage)
    string(REPLACE "${EXECUTABLE}" "${usage}" text "${text}")
    string(REPLACE "\\" "\\e" text "${text}")
    string(REPLACE "-" "\\-" text "${text}")
    string(REGEX REPLACE "\n+$" "" text "${text}")
    string(REPLACE "\n." "\n\\&." text "${text}")
    string(REPLACE "\n'" "\n\\&'" text "${text}")
    if(text MATCHES "^[.']")
        set(text "\\&${text}")
    endif()
    set(${out} ".PP\n.nf\n${text}\n.fi" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "commands")
    station_help(usage --help)
    string(REGEX MATCH "Commands:\n(.*)\n\n" _ "${usage}")
    string(REPLACE "\n" ";" lines "${CMAKE_MATCH_1}")
    set(COMMANDS "")
    foreach(line IN LISTS lines)
        if(NOT line MATCHES "^  ([a-z][a-z-]*) +(.+)$")
            continue()
        endif()
        set(command "${CMAKE_MATCH_1}")
        set(summary "${CMAKE_MATCH_2}")
        string(REPLACE "-" "\\-" roff_command "${command}")
        station_help(help "${command}" --help)
        station_roff_block(block "${help}" "${program} ${command}")
        string(APPEND COMMANDS ".SS \"${program} ${roff_command}\"\n${summary}.\n${block}\n")
    endforeach()
    if(COMMANDS STREQUAL "")
        message(FATAL_ERROR "GenerateManPage: found no commands in '${program} --help'")
    endif()
    string(REGEX REPLACE "\n$" "" COMMANDS "${COMMANDS}")
elseif(MODE STREQUAL "options")
    station_help(help --help)
    station_roff_block(OPTIONS "${help}" "${program}")
else()
    message(FATAL_ERROR "GenerateManPage: MODE is commands or options")
endif()
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
