#include "SerialPortScanner.h"

#include <QSerialPortInfo>

namespace station::drivers {

QList<DiscoveredDevice> SerialPortScanner::enumerate()
{
    QList<DiscoveredDevice> out;
    const QList<QSerialPortInfo> ports = QSerialPortInfo::availablePorts();
    for (const QSerialPortInfo &info : ports) {
        DiscoveredDevice d;
        d.kind = DiscoveredKind::SerialPort;
        d.path = info.systemLocation();
        d.id = QStringLiteral("serial:") + d.path;
        if (info.hasVendorIdentifier())
            d.vendorId = info.vendorIdentifier();
        if (info.hasProductIdentifier())
            d.productId = info.productIdentifier();
        d.serialNumber = info.serialNumber();
        d.manufacturer = info.manufacturer();
        d.product = info.description();
        out.append(d);
    }
    return out;
}

void SerialPortScanner::scan()
{
    emit scanned(m_lister ? m_lister() : enumerate());
}

} // namespace station::drivers
