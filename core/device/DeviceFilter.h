// Which discovered devices are units under production, from the product profile: a VID/PID list (a PID
// of 0 matches any product of the vendor) and port-name wildcards ("ttyACM*"). Explicitly added ports
// are always units. An empty filter takes every serial port (never bare USB devices such as hubs).
#pragma once

#include "DiscoveredDevice.h"
#include "Error.h"

#include <QList>
#include <QStringList>

namespace station::device {

struct UsbId {
    quint16 vendorId = 0;
    quint16 productId = 0; ///< 0 = any
    bool operator==(const UsbId &) const = default;
};

struct DeviceFilter {
    QList<UsbId> usbIds;
    QStringList portNamePatterns; ///< wildcards on the port's file name ("ttyACM*", "cu.usbmodem*")

    [[nodiscard]] bool isEmpty() const { return usbIds.isEmpty() && portNamePatterns.isEmpty(); }
    [[nodiscard]] bool matches(const DiscoveredDevice &device) const;
    /// "1915:910a", "0x1915:0x910A", "1915" (any product).
    [[nodiscard]] static Result<UsbId> parseVidPid(const QString &text);
};

} // namespace station::device
