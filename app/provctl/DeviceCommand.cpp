// provctl device
#include "Commands.h"

#include <QTextStream>

namespace station::cli {

int runDevice(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "provctl device: not implemented yet\n";
    return 3;
}

} // namespace station::cli
