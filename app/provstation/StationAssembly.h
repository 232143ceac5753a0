// The station's object graph as provctl provision builds it — manifest, device discovery, the profile's
// drivers and core's Station — for the operator GUI, with a real profile or the demo's. Owns the objects
// and tears them down in a safe order (the station and its jobs first, then discovery, then the manifest).
#pragma once

#include "DevicePort.h"
#include "provisioning/Station.h"

#include <QHash>
#include <QStringList>

#include <chrono>
#include <memory>

namespace station::drivers {
class DeviceDiscovery;
class ScannerPort;
} // namespace station::drivers
namespace station::manifest {
class Manifest;
}

namespace station::app {

class StationAssembly
{
public:
    struct Options {
        QString profilePath;
        QString manifestPath; ///< empty: Manifest::defaultPath()
        QString operatorName;
        QString stationId; ///< empty: the host name
        QStringList explicitPorts;
        bool watchUsb = true;
        /// Ports whose unit speaks another protocol than the profile's (the demo's mixed bench).
        QHash<QString, drivers::Protocol> protocolByPort;
        std::chrono::milliseconds settleDelay{300};
        /// Where a supervisor's confirmed EST trust anchors are kept (TrustSetup): a profile that bootstraps
        /// its trust uses them when they exist. Empty: the profile as it is.
        QString trustDir;
    };

    [[nodiscard]] static Result<std::unique_ptr<StationAssembly>> create(const Options &options);
    ~StationAssembly();
    StationAssembly(const StationAssembly &) = delete;
    StationAssembly &operator=(const StationAssembly &) = delete;

    [[nodiscard]] provisioning::Station *station() const { return m_station.get(); }
    /// The profile's serial-port barcode scanner, or null when it has none.
    [[nodiscard]] drivers::ScannerPort *scanner() const { return m_scanner.get(); }
    [[nodiscard]] QString manifestPath() const { return m_manifestPath; }
    /// Prepares EST and starts watching for units.
    void start();

private:
    StationAssembly() = default;

    QString m_manifestPath;
    std::unique_ptr<manifest::Manifest> m_manifest;
    std::unique_ptr<drivers::DeviceDiscovery> m_discovery;
    std::unique_ptr<provisioning::Station> m_station;
    std::unique_ptr<drivers::ScannerPort> m_scanner;
};

} // namespace station::app
