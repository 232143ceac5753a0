// Watches everything a unit can appear as — serial ports (Qt Serial Port, scanned on a worker thread),
// USB devices (libusb hotplug or polling, on libusb's own thread) and explicitly added ports — and
// reports arrivals after a settle delay and departures at once. Nothing here blocks the thread it lives
// on (the GUI thread is fine). When USB cannot be watched it says so once via notice().
#pragma once

#include "DevicePort.h"
#include "DiscoveryConfig.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class QThread;

namespace station::drivers {

class SerialPortScanner;
class UsbMonitor;

/// The concrete DeviceSource of a station: what core's provisioning engine sees as arrivals and departures.
class DeviceDiscovery : public DeviceSource
{
    Q_OBJECT
public:
    explicit DeviceDiscovery(DiscoveryConfig config, QObject *parent = nullptr);
    ~DeviceDiscovery() override;

    void start();
    void stop();

    /// Adds a path to watch (a simulator's link); reported as an ExplicitPort once it exists and settled.
    void addPort(const QString &path);
    void removePort(const QString &path);

    /// Devices present and settled.
    [[nodiscard]] QList<DiscoveredDevice> devices() const override { return m_settled.values(); }

private:
    void onSerialScanned(const QList<DiscoveredDevice> &ports);
    void checkExplicitPorts();
    void appeared(const DiscoveredDevice &device);
    void disappeared(const QString &id);
    void maybeInitialDone();

    DiscoveryConfig m_config;
    QThread *m_scanThread = nullptr;
    SerialPortScanner *m_scanner = nullptr;
    UsbMonitor *m_usb = nullptr;
    QTimer m_scanTimer;
    QHash<QString, DiscoveredDevice> m_pending; ///< appeared, settling
    QHash<QString, DiscoveredDevice> m_settled; ///< reported
    QHash<QString, QTimer *> m_settleTimers;
    QHash<QString, DiscoveredDevice> m_lastSerial;
    bool m_started = false;
    bool m_serialScanned = false;
    bool m_usbScanned = false;
    bool m_initialDone = false;
    bool m_scanInFlight = false;
    QStringList m_notices;
};

} // namespace station::drivers
