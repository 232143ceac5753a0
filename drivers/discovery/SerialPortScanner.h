// Lists serial ports with Qt Serial Port. Enumeration walks sysfs/udev (or the registry) and can take
// tens of milliseconds, so DeviceDiscovery runs this object on a worker thread and calls scan() there.
#pragma once

#include "DevicePort.h"

#include <QList>
#include <QObject>

#include <functional>

namespace station::drivers {

class SerialPortScanner : public QObject
{
    Q_OBJECT
public:
    using Lister = std::function<QList<DiscoveredDevice>()>;

    /// `lister` empty: enumerate().
    explicit SerialPortScanner(Lister lister = {}, QObject *parent = nullptr)
        : QObject(parent), m_lister(std::move(lister))
    {}

    /// The ports present now.
    [[nodiscard]] static QList<DiscoveredDevice> enumerate();

public slots:
    void scan();

signals:
    void scanned(const QList<station::device::DiscoveredDevice> &ports);

private:
    Lister m_lister;
};

} // namespace station::drivers
