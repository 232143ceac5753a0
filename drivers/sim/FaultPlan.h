// The faults a simulator injects, parsed from `--fault` ("disconnect-after-bytes=N,disconnect-at=STEP,
// corrupt-every=N,stall-ms=T,refuse=COMMAND,keygen-fail,echo[=sticky]"). Steps and commands are matched
// case-insensitively; see SimulatorOptions for their names.
#pragma once

#include "Error.h"

#include <QString>
#include <QStringList>

namespace station::drivers {

struct FaultPlan {
    qint64 disconnectAfterBytes = 0; ///< unplug after sending this many bytes (0 = never)
    QString disconnectAt;            ///< unplug when this protocol step is requested
    qint64 corruptEvery = 0;         ///< flip one bit in every Nth byte sent (0 = never)
    int stallMs = 0;                 ///< wait this long before every answer
    QStringList refuse;              ///< commands answered with an error
    bool keyGenFail = false;
    /// nRF91: echo every command like a modem at ATE1 (the default after boot); Sticky ignores ATE0, as
    /// some AT host firmwares do.
    enum class Echo { Off, On, Sticky } echo = Echo::Off;

    [[nodiscard]] static Result<FaultPlan> parse(const QString &spec);
    [[nodiscard]] bool refuses(const QString &command) const;
    [[nodiscard]] bool isEmpty() const;
    [[nodiscard]] QString toString() const;
};

} // namespace station::drivers
