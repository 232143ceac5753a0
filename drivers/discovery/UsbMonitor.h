// Watches USB devices with libusb: hotplug callbacks where the platform has them, periodic enumeration
// otherwise. libusb runs on its own thread (every libusb call there has a bounded timeout and the loop
// checks a stop flag); results reach the owner's thread through queued signals. When libusb cannot run
// (no USB bus in a container, no permission) it says so once through unavailable() and stops.
#pragma once

#include "DevicePort.h"

#include <QObject>

#include <atomic>
#include <chrono>
#include <thread>

namespace station::drivers {

class UsbMonitor : public QObject
{
    Q_OBJECT
public:
    /// Only devices `filter` names by VID/PID are opened (to read their strings); see DiscoveryConfig.
    UsbMonitor(std::chrono::milliseconds pollInterval, DeviceFilter filter, QObject *parent = nullptr);
    ~UsbMonitor() override;

    void start();
    /// Stops the libusb thread (returns within about 200 ms).
    void stop();

signals:
    void arrived(const station::device::DiscoveredDevice &device);
    void left(const station::device::DiscoveredDevice &device);
    /// The devices present at start have all been reported (or USB is unavailable).
    void initialEnumerationDone();
    void unavailable(const QString &reason);

public:
    /// Whether a device with this descriptor VID/PID is opened: only when `filter` names it. An empty
    /// filter opens nothing (bare USB devices are never units without a VID/PID in the profile).
    [[nodiscard]] static bool opensDevice(const DeviceFilter &filter, quint16 vendorId, quint16 productId);

private:
    void run();

    std::chrono::milliseconds m_pollInterval;
    DeviceFilter m_filter;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
};

} // namespace station::drivers
