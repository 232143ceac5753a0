// A simulated device's non-volatile storage: named blobs ("slot-0/certificate-chain.pem"), kept in memory
// and, when a state directory is given, mirrored to files there (written atomically) so that tests can
// inspect them and a restarted simulator remembers them.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace station::drivers {

class DeviceStorage
{
public:
    explicit DeviceStorage(QString directory = {});

    /// Reads everything under the state directory (nothing to do without one).
    [[nodiscard]] Result<void> load();

    [[nodiscard]] bool contains(const QString &name) const { return m_blobs.contains(name); }
    [[nodiscard]] QByteArray read(const QString &name) const { return m_blobs.value(name); }
    [[nodiscard]] Result<void> write(const QString &name, const QByteArray &data);
    [[nodiscard]] Result<void> remove(const QString &name);
    /// Names that start with `prefix` ("slot-0/"), sorted.
    [[nodiscard]] QStringList names(const QString &prefix = {}) const;

    [[nodiscard]] QString directory() const { return m_directory; }
    [[nodiscard]] QString pathOf(const QString &name) const;

private:
    QString m_directory;
    QMap<QString, QByteArray> m_blobs;
};

} // namespace station::drivers
