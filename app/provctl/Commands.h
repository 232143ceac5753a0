// The provctl subcommands. Each lives in its own file and gets the arguments after its name
// (args[0] is "provctl <name>"). Each returns the process exit code; long-running ones (lab-server,
// simulate-device) run the event loop themselves.
#pragma once

#include <QStringList>

namespace station::cli {

int runLabServer(const QStringList &args);
int runEst(const QStringList &args);
int runDevice(const QStringList &args);
int runSimulateDevice(const QStringList &args);
int runProvision(const QStringList &args);
int runManifest(const QStringList &args);
int runProfile(const QStringList &args);

} // namespace station::cli
