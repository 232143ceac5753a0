// How discovery watches: scan intervals, the settle delay before a new device is reported, and ports
// the operator added by hand.
#pragma once

#include <QStringList>

#include <chrono>

namespace station::drivers {

struct DiscoveryConfig {
    std::chrono::milliseconds serialScanInterval{1000}; ///< serial ports have no portable hotplug event
    std::chrono::milliseconds usbPollInterval{1000};    ///< only where libusb has no hotplug support
    /// A device is reported this long after it appeared (USB enumeration, udev permissions, CDC setup).
    std::chrono::milliseconds settleDelay{300};
    QStringList explicitPorts; ///< paths (pty links, fixtures) watched for existence and reported as units
    bool watchUsb = true;
};

} // namespace station::drivers
