#include "StationAssembly.h"

#include "ProfileDrivers.h"
#include "discovery/DeviceDiscovery.h"
#include "manifest/Manifest.h"
#include "provisioning/TrustSetup.h"

#include <QFileInfo>
#include <QHostInfo>

namespace station::app {

using namespace station::provisioning;

Result<std::unique_ptr<StationAssembly>> StationAssembly::create(const Options &options)
{
    auto profile = ProductProfile::load(options.profilePath);
    if (!profile)
        return fail(profile.error());
    *profile = TrustSetup::withConfirmedTrust(std::move(*profile), options.trustDir);
    std::unique_ptr<StationAssembly> a(new StationAssembly);
    a->m_manifestPath = options.manifestPath.isEmpty() ? manifest::Manifest::defaultPath() : options.manifestPath;
    auto opened = manifest::Manifest::open(a->m_manifestPath);
    if (!opened)
        return fail(opened.error());
    a->m_manifest = std::move(*opened);

    drivers::DiscoveryConfig dc;
    dc.explicitPorts = options.explicitPorts;
    dc.watchUsb = options.watchUsb;
    dc.settleDelay = options.settleDelay;
    dc.filter = profile->device.filter;
    a->m_discovery = std::make_unique<drivers::DeviceDiscovery>(dc);

    DriverProvider drivers = drivers::profileDriverProvider();
    if (!options.protocolByPort.isEmpty()) {
        QHash<QString, drivers::Protocol> byPath;
        for (auto it = options.protocolByPort.cbegin(); it != options.protocolByPort.cend(); ++it)
            byPath.insert(QFileInfo(it.key()).absoluteFilePath(), it.value());
        drivers = [base = std::move(drivers), byPath](const device::DiscoveredDevice &port, const ProductProfile &p) {
            const auto it = byPath.constFind(QFileInfo(port.path).absoluteFilePath());
            if (it == byPath.cend())
                return base(port, p);
            ProductProfile other = p;
            other.device.protocol = *it;
            return base(port, other);
        };
    }

    StationConfig sc;
    sc.operatorName = options.operatorName;
    sc.stationId = options.stationId.isEmpty() ? QHostInfo::localHostName() : options.stationId;
    // No secret prompt yet: a profile that asks for a passphrase fails setup with a clear message (the
    // GUI's supervisor dialog for it is not built).
    a->m_station =
        std::make_unique<Station>(*profile, sc, a->m_discovery.get(), std::move(drivers), a->m_manifest.get());
    return a;
}

StationAssembly::~StationAssembly()
{
    m_station.reset();
    if (m_discovery)
        m_discovery->stop();
    m_discovery.reset();
}

void StationAssembly::start()
{
    m_station->start();
    m_discovery->start();
}

} // namespace station::app
