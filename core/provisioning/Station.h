// The station: N slots running jobs concurrently, one per attached unit, each slot bound to its
// physical port (slot 3 stays the third socket on the bench, behind a hub too). It listens to a
// DeviceSource for arrivals and departures, builds each unit's driver through an injected provider
// (app/ wires drivers/ in; core never opens a device), shares one EST setup per profile, routes scans
// to the unit they name, and exposes per-slot state for the GUI and the CLI.
#pragma once

#include "EstSetup.h"
#include "ProductProfile.h"
#include "ProvisioningJob.h"

#include "device/DeviceDriver.h"
#include "device/DeviceSource.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace station::manifest {
class Manifest;
}

namespace station::provisioning {

/// Builds the driver for a unit on a port; an error when the port cannot be served.
using DriverProvider = std::function<Result<std::unique_ptr<device::DeviceDriver>>(const device::DiscoveredDevice &,
                                                                                   const ProductProfile &)>;

struct StationConfig {
    QString operatorName;
    QString stationId;
};

/// What a slot shows.
struct SlotInfo {
    int index = 0;        ///< 0-based; the GUI shows index + 1
    QString portId;       ///< DiscoveredDevice::id
    QString portPath;     ///< what the operator reads ("/dev/ttyACM0", "usb 1-2.3")
    bool present = false; ///< a unit is plugged in
    JobState state = JobState::Detected;
    QString serial;
    QString stepText; ///< the state's label, or the progress text
    qint64 progressDone = 0;
    qint64 progressTotal = 0;
    qint64 startedMsSinceEpoch = 0;
    std::optional<JobResult> result; ///< the last finished job, until the unit is removed
};

struct ScanAnswer {
    bool accepted = false;
    int slot = -1;   ///< the slot the scan went to
    QString message; ///< for the operator: what happened, and what to do when refused
};

class Station : public QObject
{
    Q_OBJECT
public:
    Station(ProductProfile profile, StationConfig config, device::DeviceSource *source, DriverProvider drivers,
            manifest::Manifest *manifest, SecretPrompt askSecret = {}, QObject *parent = nullptr);
    ~Station() override;

    /// Prepares EST (credentials, bootstrap, CA set), then takes units: ready() or setupFailed().
    void start();
    [[nodiscard]] bool isReady() const { return m_ready; }
    /// The answer to secretNeeded() (a passphrase the profile asks for once per start).
    void provideSecret(crypto::SecretBytes secret);

    /// A scanned label: starts the job of the unit it names.
    ScanAnswer scan(const QString &text);
    /// A scan meant for the unit in `slot` (a fixture that scans the socket's unit, provctl's --barcode
    /// with one unit): a label naming another unit fails that unit with barcode-mismatch.
    ScanAnswer scanForSlot(int slot, const QString &text);
    /// The supervisor confirms re-provisioning the unit in `slot`.
    void confirm(int slot);
    void cancel(int slot);
    void cancelAll();

    [[nodiscard]] const ProductProfile &profile() const { return m_profile; }
    [[nodiscard]] QList<SlotInfo> allSlots() const;
    [[nodiscard]] int slotCount() const { return int(m_slots.size()); }
    [[nodiscard]] SlotInfo slotInfo(int index) const;
    /// Jobs running now (not finished).
    [[nodiscard]] int activeJobs() const;
    [[nodiscard]] est::EstClient *estClient() const;

signals:
    void ready();
    void setupFailed(const station::Error &error);
    /// The profile asks a person for `what` before the station can start: answer with provideSecret().
    void secretNeeded(const QString &what);
    void status(const QString &text);
    /// A slot was added (a new port) or changed.
    void slotAdded(int index);
    void slotChanged(int index);
    void jobFinished(int index, const station::provisioning::JobResult &result);
    /// Station-wide information for the operator (device source notices, setup progress).
    void notice(const QString &text);

private:
    struct Slot {
        SlotInfo info;
        device::DiscoveredDevice device; ///< the unit's port, while it is plugged in
        ProvisioningJob *job = nullptr;
    };

    void onArrived(const device::DiscoveredDevice &device);
    void onLeft(const device::DiscoveredDevice &device);
    void startJob(int index, const device::DiscoveredDevice &device);
    int slotFor(const device::DiscoveredDevice &device);
    [[nodiscard]] static QString placeOf(const device::DiscoveredDevice &device);
    [[nodiscard]] int findSlot(const std::function<bool(const Slot &)> &pred) const;

    ProductProfile m_profile;
    StationConfig m_config;
    QPointer<device::DeviceSource> m_source;
    DriverProvider m_drivers;
    manifest::Manifest *m_manifest;
    EstSetup *m_est = nullptr;
    bool m_ready = false;
    QList<Slot> m_slots;
    QList<device::DiscoveredDevice> m_waitingForSetup;
};

} // namespace station::provisioning
