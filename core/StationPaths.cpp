#include "StationPaths.h"

#include <QDir>
#include <QStandardPaths>
#include <QtGlobal>

namespace station::paths {

namespace {
const QString kFolder = QStringLiteral("provisioning-station");
} // namespace

QString dataDirectory()
{
    // Generic, not per executable: provstation and provctl share the manifest.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/') + kFolder;
}

QString manifestFile()
{
    return dataDirectory() + QStringLiteral("/manifest.sqlite");
}

QString labDirectory()
{
    return dataDirectory() + QStringLiteral("/lab");
}

QString logDirectory()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    return QStandardPaths::writableLocation(QStandardPaths::GenericStateLocation) + QLatin1Char('/') + kFolder;
#elif defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    // XDG_STATE_HOME is where logs belong (what GenericStateLocation returns from Qt 6.7 on).
    QString state = qEnvironmentVariable("XDG_STATE_HOME");
    if (!QDir::isAbsolutePath(state))
        state = QDir::homePath() + QStringLiteral("/.local/state");
    return state + QLatin1Char('/') + kFolder;
#else
    return dataDirectory() + QStringLiteral("/logs");
#endif
}

} // namespace station::paths
