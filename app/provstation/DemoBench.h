// The demo's outside world: the lab CA and EST server on loopback, a product profile written for it and
// simulated units on pseudo-terminals — what a real line has in other machines and on the bench. It runs
// on its own thread (DemoSetup moves it there) so that TLS handshakes, CA creation and the simulators'
// UART pacing never compete with the operator screen's event loop.
#pragma once

#include "DevicePort.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>
#include <vector>

namespace station::est {
class LabEstServer;
}
namespace station::drivers {
class SimulatedDevice;
}

namespace station::app {

struct DemoUnit {
    QString serial;
    QString link; ///< the pty's symlink: the port the station watches
    drivers::Protocol protocol = drivers::Protocol::Station;
    QString fault;          ///< the simulator's fault plan ("keygen-fail"), empty for a healthy unit
    bool expectPass = true; ///< false for the unit the demo breaks on purpose
};

/// What the bench built, for the station side.
struct DemoWorld {
    QString directory;
    QString profilePath;
    QString manifestPath;
    QUrl estUrl;
    QList<DemoUnit> units;
};

class DemoBench : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QString directory; ///< where the CA, profile, units and manifest live
        int unitCount = 6; ///< at least 3: one nRF91 modem and one faulty unit are among them
        qint32 baudRate = 115200;
    };

    explicit DemoBench(Options options, QObject *parent = nullptr);
    ~DemoBench() override;

    /// Creates the CA, starts the server and the simulators; started() or failed(). Call on the bench thread.
    Q_INVOKABLE void start();
    /// Stops the simulators and the server. Call on the bench thread.
    Q_INVOKABLE void stop();

signals:
    void started(const station::app::DemoWorld &world);
    void failed(const QString &message);

private:
    [[nodiscard]] QString writeProfile(const QUrl &url, QString *error) const;

    Options m_options;
    est::LabEstServer *m_server = nullptr;
    std::vector<std::unique_ptr<drivers::SimulatedDevice>> m_units;
};

} // namespace station::app

Q_DECLARE_METATYPE(station::app::DemoWorld)
