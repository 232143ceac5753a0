#include "TestSupport.h"

#include <QFile>
#include <QTcpServer>

namespace station::test {

QString provctlPath()
{
#ifdef PROVCTL_PATH
    return QStringLiteral(PROVCTL_PATH);
#else
    return QStringLiteral("provctl");
#endif
}

quint16 freeTcpPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace station::test
