// Helpers shared by the test executables: locating provctl, temporary directories, free ports.
#pragma once

#include <QByteArray>
#include <QString>

namespace station::test {

/// Absolute path of the provctl binary built with the tests.
QString provctlPath();
/// A TCP port on 127.0.0.1 that was free a moment ago.
quint16 freeTcpPort();
/// Reads a whole file (empty on failure; tests check with QVERIFY).
QByteArray readFile(const QString &path);
bool writeFile(const QString &path, const QByteArray &data);

} // namespace station::test
