#include "DeviceFilter.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace station::device {

bool DeviceFilter::matches(const DiscoveredDevice &device) const
{
    if (device.kind == DiscoveredKind::ExplicitPort)
        return true;
    if (isEmpty())
        return device.kind == DiscoveredKind::SerialPort;
    for (const UsbId &id : usbIds)
        if (device.hasUsbIdentity() && device.vendorId == id.vendorId &&
            (id.productId == 0 || device.productId == id.productId))
            return true;
    if (!device.path.isEmpty()) {
        const QString name = QFileInfo(device.path).fileName();
        for (const QString &pattern : portNamePatterns) {
            const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern),
                                        QRegularExpression::CaseInsensitiveOption);
            if (re.match(name).hasMatch() || re.match(device.path).hasMatch())
                return true;
        }
    }
    return false;
}

Result<UsbId> DeviceFilter::parseVidPid(const QString &text)
{
    const QStringList parts = text.trimmed().split(QLatin1Char(':'));
    auto hex = [](QString s, bool *ok) {
        s = s.trimmed();
        if (s.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            s = s.mid(2);
        const uint v = s.toUInt(ok, 16);
        *ok = *ok && !s.isEmpty() && s.size() <= 4;
        return static_cast<quint16>(v);
    };
    bool okV = false, okP = true;
    UsbId id;
    id.vendorId = hex(parts.value(0), &okV);
    if (parts.size() == 2)
        id.productId = hex(parts.at(1), &okP);
    if (parts.size() > 2 || !okV || !okP || id.vendorId == 0)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a USB VID:PID").arg(text), {},
                    QStringLiteral("Write it as four hex digits each, e.g. 1915:910a."));
    return id;
}

} // namespace station::device
