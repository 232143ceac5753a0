#include "PortSelection.h"

#include <QFileInfo>

namespace station::cli {

PortSelection::PortSelection(device::DeviceSource *source, const QStringList &paths, QObject *parent)
    : DeviceSource(parent), m_source(source)
{
    for (const QString &p : paths)
        m_paths.insert(QFileInfo(p).absoluteFilePath());
    connect(source, &DeviceSource::deviceArrived, this, [this](const device::DiscoveredDevice &d) {
        if (selected(d))
            emit deviceArrived(d);
    });
    connect(source, &DeviceSource::deviceLeft, this, [this](const device::DiscoveredDevice &d) {
        if (selected(d))
            emit deviceLeft(d);
    });
    connect(source, &DeviceSource::notice, this, &DeviceSource::notice);
    connect(source, &DeviceSource::initialScanDone, this, &DeviceSource::initialScanDone);
}

bool PortSelection::selected(const device::DiscoveredDevice &d) const
{
    return m_paths.isEmpty() || m_paths.contains(QFileInfo(d.path).absoluteFilePath());
}

QList<device::DiscoveredDevice> PortSelection::devices() const
{
    QList<device::DiscoveredDevice> out;
    for (const device::DiscoveredDevice &d : m_source->devices()) {
        if (selected(d))
            out.append(d);
    }
    return out;
}

} // namespace station::cli
