// Process-wide protections for programs that hold key material in memory (provctl, the provstation GUI):
// no core dumps, and no other process of the same user attaching to read memory. Called first thing in
// main(); a core dump of a station that just handled a server-generated private key would contain it.
#pragma once

#include "Error.h"

namespace station {

class ProcessHardening
{
public:
    /// Linux: prctl(PR_SET_DUMPABLE, 0) (no core dump, no ptrace attach by the same user, /proc/<pid>/mem
    /// closed) and RLIMIT_CORE 0 (soft and hard). Elsewhere a no-op that succeeds. An error names the
    /// step that failed; the caller decides whether to carry on.
    [[nodiscard]] static Result<void> disableCoreDumps();
};

} // namespace station
