// One thing discovery sees: a serial port (with its USB identity when it is a USB CDC/serial adapter), a
// raw USB device from libusb, or a port the operator added explicitly (a pty link, a fixture).
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace station::device {

enum class DiscoveredKind { SerialPort, UsbDevice, ExplicitPort };

[[nodiscard]] QString discoveredKindName(DiscoveredKind kind); ///< "serial", "usb", "explicit"

struct DiscoveredDevice {
    QString id; ///< stable key: "serial:/dev/ttyACM0", "usb:1-2.3", "explicit:/tmp/sim-1"
    DiscoveredKind kind = DiscoveredKind::SerialPort;
    QString path; ///< what a driver opens (serial, explicit); empty for raw USB devices
    quint16 vendorId = 0;
    quint16 productId = 0;
    QString serialNumber; ///< USB iSerialNumber, when readable
    QString manufacturer;
    QString product;
    QString busPath; ///< USB "bus-port.port" ("1-2.3")

    [[nodiscard]] bool hasUsbIdentity() const { return vendorId != 0 || productId != 0; }
    /// One line for logs and `provctl device list`.
    [[nodiscard]] QString describe() const;
    bool operator==(const DiscoveredDevice &) const = default;
};

} // namespace station::device

Q_DECLARE_METATYPE(station::device::DiscoveredDevice)
