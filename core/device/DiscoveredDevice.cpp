#include "DiscoveredDevice.h"

namespace station::device {

QString discoveredKindName(DiscoveredKind kind)
{
    switch (kind) {
    case DiscoveredKind::SerialPort: return QStringLiteral("serial");
    case DiscoveredKind::UsbDevice: return QStringLiteral("usb");
    case DiscoveredKind::ExplicitPort: return QStringLiteral("explicit");
    }
    return QStringLiteral("unknown");
}

QString DiscoveredDevice::describe() const
{
    QString text = discoveredKindName(kind).leftJustified(9) + (path.isEmpty() ? busPath : path);
    if (hasUsbIdentity())
        text +=
            QStringLiteral("  %1:%2").arg(vendorId, 4, 16, QLatin1Char('0')).arg(productId, 4, 16, QLatin1Char('0'));
    const QString who = (manufacturer + QLatin1Char(' ') + product).trimmed();
    if (!who.isEmpty())
        text += QStringLiteral("  %1").arg(who);
    if (!serialNumber.isEmpty())
        text += QStringLiteral("  serial %1").arg(serialNumber);
    if (kind != DiscoveredKind::UsbDevice && !busPath.isEmpty())
        text += QStringLiteral("  usb %1").arg(busPath);
    return text;
}

} // namespace station::device
