// A pseudo-terminal pair for device simulators: the simulator holds the master side, the station opens
// the slave (through a symlink at a stable path). All POSIX calls (posix_openpt, grantpt, unlockpt,
// termios, symlink) live in this one class so a port to another OS replaces only this file.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QObject>
#include <QString>

class QSocketNotifier;

namespace station::drivers {

class PseudoTerminal : public QObject
{
    Q_OBJECT
public:
    explicit PseudoTerminal(QObject *parent = nullptr);
    ~PseudoTerminal() override;

    /// Creates the pair, puts the slave in raw mode and points `linkPath` at it (replacing a stale link).
    [[nodiscard]] Result<void> open(const QString &linkPath);
    /// Closes both sides and removes the link: to the station this looks like an unplug.
    void close();
    [[nodiscard]] bool isOpen() const { return m_master >= 0; }

    /// Writes what the slave side can take now; returns the number of bytes accepted (may be fewer).
    [[nodiscard]] qint64 write(QByteArrayView bytes);
    [[nodiscard]] QString slavePath() const { return m_slavePath; }
    [[nodiscard]] QString linkPath() const { return m_linkPath; }

signals:
    void received(const QByteArray &bytes);
    /// The master can take more bytes (after write() accepted fewer than offered).
    void writable();

private:
    void onReadable();

    int m_master = -1;
    int m_slave = -1; ///< kept open so the master never sees a hang-up while the station is away
    QString m_slavePath;
    QString m_linkPath;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
};

} // namespace station::drivers
