// How discovery watches: scan intervals, the settle delay before a new device is reported, ports the
// operator added by hand, and the product profile's filter (which USB devices are worth opening).
#pragma once

#include "DevicePort.h"

#include <QList>
#include <QStringList>

#include <chrono>
#include <functional>

namespace station::drivers {

struct DiscoveryConfig {
    std::chrono::milliseconds serialScanInterval{1000}; ///< serial ports have no portable hotplug event
    std::chrono::milliseconds usbPollInterval{1000};    ///< only where libusb has no hotplug support
    /// A device is reported this long after it appeared (USB enumeration, udev permissions, CDC setup).
    std::chrono::milliseconds settleDelay{300};
    QStringList explicitPorts; ///< paths (pty links, fixtures) watched for existence and reported as units
    /// Lists the system's serial ports (on a thread of its own, every serialScanInterval). Off when the
    /// caller names its ports (`provctl provision --port`): enumerating every tty is then wasted work.
    bool watchSerial = true;
    bool watchUsb = true;
    /// USB devices are matched on their descriptor (VID/PID, read without opening them); only those the
    /// filter names are opened to read manufacturer, product and serial strings. Others are still reported,
    /// with VID/PID only: opening an arbitrary device can disturb it (and needs permissions).
    DeviceFilter filter;
    /// How long stop() waits for the serial scan thread; past that it is left to finish on its own.
    std::chrono::milliseconds stopWait{3000};
    /// Lists the serial ports (runs on the scan thread). Empty: Qt Serial Port's list.
    std::function<QList<DiscoveredDevice>()> listSerialPorts;
};

} // namespace station::drivers
