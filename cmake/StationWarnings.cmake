# One INTERFACE target carries the project's warning and sanitizer flags; every project target links it.
add_library(station_warnings INTERFACE)
target_compile_options(station_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
target_compile_definitions(station_warnings INTERFACE
    QT_NO_FOREACH
    OPENSSL_API_COMPAT=30000
    OPENSSL_NO_DEPRECATED)
if(STATION_WERROR)
    target_compile_options(station_warnings INTERFACE -Werror)
endif()
if(STATION_SANITIZE)
    target_compile_options(station_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(station_warnings INTERFACE -fsanitize=address,undefined)
endif()
