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
    # float-cast-overflow is not part of GCC's "undefined" (it is of clang's): a double out of range cast
    # to an integer is what fuzz_atresponse found in a CBOR payload.
    target_compile_options(station_warnings INTERFACE -fsanitize=address,undefined,float-cast-overflow
        -fno-omit-frame-pointer -fno-sanitize-recover=undefined,float-cast-overflow)
    target_link_options(station_warnings INTERFACE -fsanitize=address,undefined,float-cast-overflow)
endif()
if(STATION_LIBFUZZER)
    # libstdc++ 12 offers <expected> only when __cpp_concepts >= 202002L; clang 16 implements what it needs
    # but still reports 201907L. Coverage instrumentation (fuzzer-no-link) everywhere, libFuzzer's main only
    # in the fuzz binaries (tests/fuzz/CMakeLists.txt). UBSan findings abort, so libFuzzer keeps the input.
    target_compile_options(station_warnings INTERFACE
        -U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(station_warnings INTERFACE -fsanitize=address,undefined)
endif()
# The hardening flags Debian builds its packages with (dpkg-buildflags: fortified libc calls, stack
# protector, full RELRO with immediate binding), for the binaries that get packaged: the release preset
# turns it on (installer/build-package.sh). Not with the sanitizers, which bring their own checks.
option(STATION_HARDENING "Build with Debian's hardening flags (fortify, stack protector, full RELRO)" OFF)
if(STATION_HARDENING AND NOT STATION_SANITIZE AND NOT STATION_LIBFUZZER)
    target_compile_definitions(station_warnings INTERFACE _FORTIFY_SOURCE=2)
    target_compile_options(station_warnings INTERFACE -fstack-protector-strong -fstack-clash-protection
        $<$<CXX_COMPILER_ID:GNU>:-fcf-protection>)
    target_link_options(station_warnings INTERFACE -Wl,-z,relro -Wl,-z,now)
endif()
