// provctl est
#include "Commands.h"

#include <QTextStream>

namespace station::cli {

int runEst(const QStringList &args)
{
    Q_UNUSED(args)
    QTextStream(stderr) << "provctl est: not implemented yet\n";
    return 3;
}

} // namespace station::cli
