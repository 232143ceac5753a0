// Assertions for the crypto fuzz targets: a failure must be a proper station::Error (non-empty message),
// and anything that looks wrong aborts so the smoke run (and libFuzzer) reports the input.
#pragma once

#include "Error.h"

#include <cstdio>

namespace station::fuzz {

[[noreturn]] inline void fuzzFailure(const char *what)
{
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    __builtin_trap();
}

inline void checkError(const Error &error, const char *where)
{
    if (error.message.trimmed().isEmpty())
        fuzzFailure(where);
}

} // namespace station::fuzz
