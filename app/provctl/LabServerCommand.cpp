// provctl lab-server
#include "Commands.h"

#include <QTextStream>

namespace station::cli {

int runLabServer(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "provctl lab-server: not implemented yet\n";
    return 3;
}

} // namespace station::cli
