// A DeviceSource for provctl provision: passes on what discovery sees, limited to the ports named on
// the command line (or every unit with --all), so a station run touches exactly the units it was given.
#pragma once

#include "DevicePort.h"

#include <QSet>

namespace station::cli {

class PortSelection : public device::DeviceSource
{
    Q_OBJECT
public:
    /// `paths` empty: everything `source` reports.
    PortSelection(device::DeviceSource *source, const QStringList &paths, QObject *parent = nullptr);

    [[nodiscard]] QList<device::DiscoveredDevice> devices() const override;

private:
    [[nodiscard]] bool selected(const device::DiscoveredDevice &d) const;

    device::DeviceSource *m_source;
    QSet<QString> m_paths;
};

} // namespace station::cli
