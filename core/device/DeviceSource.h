// The device port's other half: an abstract source of unit arrivals and departures. Core's station
// listens to it; drivers/'s DeviceDiscovery (serial ports, libusb hotplug, explicit ports) implements it,
// and tests drive it by hand.
#pragma once

#include "DiscoveredDevice.h"

#include <QList>
#include <QObject>

namespace station::device {

class DeviceSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~DeviceSource() override = default;

    /// Devices present and settled now.
    [[nodiscard]] virtual QList<DiscoveredDevice> devices() const = 0;

signals:
    void deviceArrived(const station::device::DiscoveredDevice &device);
    void deviceLeft(const station::device::DiscoveredDevice &device);
    /// Plain-language information for the operator (e.g. USB unavailable), each said once.
    void notice(const QString &text);
    /// The first scan of every source is complete and what it found has settled.
    void initialScanDone();
};

} // namespace station::device
