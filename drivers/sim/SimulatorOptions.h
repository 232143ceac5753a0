// How a device simulator is set up: what `provctl simulate-device` parses and what tests fill in.
//
// Step names for --fault disconnect-at (both protocols): hello, identify, keygen, write-trust,
// write-cert, write-key, commit, readback, reset. Command names for --fault refuse: the same step names,
// and for the nRF91 also the AT command names (cfun, cmee, cgsn, cgmr, deviceuuid, keygen, cmng).
#pragma once

#include "FaultPlan.h"

#include <QString>

namespace station::drivers {

struct SimulatorOptions {
    QString linkPath;         ///< symlink to the pty's slave side
    QString serialNumber;     ///< empty: from the state dir, or a new random one
    QString stateDir;         ///< empty: nothing survives the process
    qint32 baudRate = 115200; ///< bytes are paced like a UART at this rate; 0 = not paced
    bool bootChatter = false; ///< print a boot log at start and log lines between answers
    FaultPlan faults;
    int replugDelayMs = 800; ///< after a disconnect fault the unit comes back after this long (-1: never)
    int maxPayload = 256;    ///< station protocol: the device's frame payload limit
    /// Station protocol: the unit's minor version of version 1 (1: frame-size negotiation; 0: a 1.0 unit).
    int stationMinorVersion = 1;
};

} // namespace station::drivers
