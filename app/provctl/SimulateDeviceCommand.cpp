// provctl simulate-device
#include "Commands.h"

#include <QTextStream>

namespace station::cli {

int runSimulateDevice(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "provctl simulate-device: not implemented yet\n";
    return 3;
}

} // namespace station::cli
