# cmake -DPROFILE_DIR=resources/profiles -DBRIDGES=usb-serial-bridges.txt -DGROUP=provstation
#       -DOUTPUT=70-provstation.rules -P GenerateUdevRules.cmake
# Writes the package's udev rules: members of GROUP (and, through uaccess, the user at the seat) may open
# the serial ports (tty) and the USB device nodes (for libusb) of
#   - every device of the vendors listed in BRIDGES (USB-serial bridges, debug probes), and
#   - every VID:PID pair in the device.usb_ids of the product profiles (PROFILE_DIR/*.json) that no vendor
#     line covers.
# Fails on a malformed id, so a typo in a shipped profile breaks the build rather than a workstation.
cmake_minimum_required(VERSION 3.25)
foreach(var PROFILE_DIR BRIDGES GROUP OUTPUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "GenerateUdevRules.cmake: -D${var}=... is required")
    endif()
endforeach()

file(GLOB PROFILES "${PROFILE_DIR}/*.json") # sorted: the same rules from the same files
set(access "GROUP=\"${GROUP}\", MODE=\"0660\", TAG+=\"uaccess\"")
set(vendors "")
set(body "")

file(STRINGS "${BRIDGES}" lines)
foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*(#|$)")
        continue()
    endif()
    if(NOT line MATCHES "^([0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])[ \t]+(.+)$")
        message(FATAL_ERROR "${BRIDGES}: '${line}' is not '<4 hex digits> <vendor name>'")
    endif()
    string(TOLOWER "${CMAKE_MATCH_1}" vid)
    set(name "${CMAKE_MATCH_2}")
    list(APPEND vendors "${vid}")
    string(APPEND body
        "# ${name}\n"
        "SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"${vid}\", ${access}\n"
        "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"${vid}\", ${access}\n")
endforeach()

set(pairs "")
foreach(profile IN LISTS PROFILES)
    file(READ "${profile}" json)
    get_filename_component(file "${profile}" NAME)
    string(JSON name ERROR_VARIABLE err GET "${json}" name)
    if(err)
        set(name "${file}")
    endif()
    string(JSON count ERROR_VARIABLE err LENGTH "${json}" device usb_ids)
    if(err)
        continue() # a profile without a USB filter (explicit ports only) adds no rule
    endif()
    if(count EQUAL 0)
        continue()
    endif()
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
        string(JSON id GET "${json}" device usb_ids ${i})
        if(NOT id MATCHES "^([0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]):([0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])$")
            message(FATAL_ERROR "${profile}: device.usb_ids[${i}] '${id}' is not VVVV:PPPP (hex)")
        endif()
        string(TOLOWER "${CMAKE_MATCH_1}" vid)
        string(TOLOWER "${CMAKE_MATCH_2}" pid)
        if(vid IN_LIST vendors)
            string(APPEND covered "#   ${vid}:${pid} (${name}): covered by the vendor line above\n")
            continue()
        endif()
        if("${vid}:${pid}" IN_LIST pairs)
            string(APPEND covered "#   ${vid}:${pid} (${name}): same rule as above\n")
            continue()
        endif()
        list(APPEND pairs "${vid}:${pid}")
        string(APPEND body
            "# ${name} (${file})\n"
            "SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"${vid}\", ATTRS{idProduct}==\"${pid}\", ${access}\n"
            "SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"${vid}\", ATTR{idProduct}==\"${pid}\", ${access}\n")
    endforeach()
endforeach()

set(text "# Provisioning Station: device access for the station's operators. Generated when the package was built
# (installer/udev/GenerateUdevRules.cmake) from resources/udev/usb-serial-bridges.txt and the VID:PID lists of
# the sample product profiles; edits here are lost on upgrade.
#
# Members of the group \"${GROUP}\" may open these units' serial ports and USB devices without root; so
# may the user logged in at the workstation's seat (uaccess). Add an operator with
#   adduser <user> ${GROUP}        (takes effect at their next login)
# For your own products' ids, add a file /etc/udev/rules.d/71-provstation-local.rules with lines like the
# ones below, then run: udevadm control --reload && udevadm trigger
# Note: GROUP replaces the port's usual group (dialout) for the devices listed here.

ACTION==\"remove\", GOTO=\"provstation_end\"

${body}")
if(covered)
    string(APPEND text "\n# Profile ids without a rule of their own:\n${covered}")
endif()
string(APPEND text "\nLABEL=\"provstation_end\"\n")
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT "${text}" @ONLY) # rewritten only when it changes
