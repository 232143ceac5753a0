#include "ProcessHardening.h"

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#endif

namespace station {

Result<void> ProcessHardening::disableCoreDumps()
{
#ifdef Q_OS_LINUX
    // The limit first: it also covers the window in which a crash handler might still produce a dump.
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return fail(ErrorCode::Internal, QStringLiteral("Cannot disable core dumps"),
                    QStringLiteral("setrlimit(RLIMIT_CORE, 0): %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return fail(ErrorCode::Internal, QStringLiteral("Cannot make the process non-dumpable"),
                    QStringLiteral("prctl(PR_SET_DUMPABLE, 0): %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
#endif
    return {};
}

} // namespace station
