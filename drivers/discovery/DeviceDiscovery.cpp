#include "DeviceDiscovery.h"

#include "SerialPortScanner.h"
#include "UsbMonitor.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcDiscovery, "station.drivers.discovery")

namespace station::drivers {

DeviceDiscovery::DeviceDiscovery(DiscoveryConfig config, QObject *parent)
    : DeviceSource(parent), m_config(std::move(config))
{
    qRegisterMetaType<DiscoveredDevice>();
    qRegisterMetaType<QList<DiscoveredDevice>>();
    connect(&m_scanTimer, &QTimer::timeout, this, [this] {
        checkExplicitPorts();
        if (m_scanner && !m_scanInFlight) {
            m_scanInFlight = true;
            QMetaObject::invokeMethod(m_scanner, &SerialPortScanner::scan, Qt::QueuedConnection);
        }
    });
}

DeviceDiscovery::~DeviceDiscovery()
{
    stop();
}

void DeviceDiscovery::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_config.watchSerial) {
        m_scanThread = new QThread(this);
        m_scanThread->setObjectName(QStringLiteral("serial-scan"));
        m_scanner = new SerialPortScanner(m_config.listSerialPorts);
        m_scanner->moveToThread(m_scanThread);
        connect(m_scanThread, &QThread::finished, m_scanner, &QObject::deleteLater);
        connect(m_scanner, &SerialPortScanner::scanned, this, &DeviceDiscovery::onSerialScanned);
        m_scanThread->start();
    } else {
        m_serialScanned = true;
    }

    if (m_config.watchUsb) {
        m_usb = new UsbMonitor(m_config.usbPollInterval, m_config.filter, this);
        connect(m_usb, &UsbMonitor::arrived, this, &DeviceDiscovery::appeared);
        connect(m_usb, &UsbMonitor::left, this, [this](const DiscoveredDevice &d) { disappeared(d.id); });
        connect(m_usb, &UsbMonitor::unavailable, this, [this](const QString &reason) {
            if (m_notices.contains(reason))
                return;
            m_notices.append(reason);
            qCInfo(lcDiscovery) << reason;
            emit notice(reason);
        });
        connect(m_usb, &UsbMonitor::initialEnumerationDone, this, [this] {
            m_usbScanned = true;
            maybeInitialDone();
        });
        m_usb->start();
    } else {
        m_usbScanned = true;
    }
    m_scanTimer.start(m_config.serialScanInterval);
    checkExplicitPorts();
    if (m_scanner) {
        m_scanInFlight = true;
        QMetaObject::invokeMethod(m_scanner, &SerialPortScanner::scan, Qt::QueuedConnection);
    } else {
        maybeInitialDone();
    }
}

void DeviceDiscovery::stop()
{
    m_started = false;
    m_scanTimer.stop();
    if (m_usb) {
        m_usb->stop();
        delete m_usb;
        m_usb = nullptr;
    }
    if (m_scanThread) {
        m_scanThread->quit();
        if (m_scanThread->wait(m_config.stopWait)) {
            delete m_scanThread;
        } else {
            // Deleting a running QThread aborts the process; never terminate() it either. Leave it to end its
            // scan on its own: it (and the scanner, on finished) is deleted then. A deliberate, bounded leak.
            qCWarning(lcDiscovery) << "serial scan thread did not stop within" << m_config.stopWait.count()
                                   << "ms; it is left to finish on its own";
            QThread *thread = m_scanThread;
            disconnect(m_scanner, nullptr, this, nullptr);
            thread->setParent(nullptr);
            connect(thread, &QThread::finished, thread, &QObject::deleteLater);
            if (thread->isFinished())
                thread->deleteLater(); // finished between the wait and the connection
        }
        m_scanThread = nullptr;
        m_scanner = nullptr;
    }
    qDeleteAll(m_settleTimers);
    m_settleTimers.clear();
    m_pending.clear();
}

void DeviceDiscovery::addPort(const QString &path)
{
    if (!m_config.explicitPorts.contains(path))
        m_config.explicitPorts.append(path);
    checkExplicitPorts();
}

void DeviceDiscovery::removePort(const QString &path)
{
    m_config.explicitPorts.removeAll(path);
    disappeared(QStringLiteral("explicit:") + path);
}

void DeviceDiscovery::checkExplicitPorts()
{
    for (const QString &path : std::as_const(m_config.explicitPorts)) {
        const QString id = QStringLiteral("explicit:") + path;
        const bool exists = QFileInfo::exists(path); // follows symlinks: a dangling link is an unplugged unit
        const bool known = m_pending.contains(id) || m_settled.contains(id);
        if (exists && !known) {
            DiscoveredDevice d;
            d.kind = DiscoveredKind::ExplicitPort;
            d.path = path;
            d.id = id;
            appeared(d);
        } else if (!exists && known) {
            disappeared(id);
        }
    }
}

void DeviceDiscovery::onSerialScanned(const QList<DiscoveredDevice> &ports)
{
    m_scanInFlight = false;
    QHash<QString, DiscoveredDevice> now;
    for (const DiscoveredDevice &d : ports)
        now.insert(d.id, d);
    for (auto it = now.cbegin(); it != now.cend(); ++it)
        if (!m_lastSerial.contains(it.key()))
            appeared(it.value());
    for (auto it = m_lastSerial.cbegin(); it != m_lastSerial.cend(); ++it)
        if (!now.contains(it.key()))
            disappeared(it.key());
    m_lastSerial = now;
    if (!m_serialScanned) {
        m_serialScanned = true;
        maybeInitialDone();
    }
}

void DeviceDiscovery::appeared(const DiscoveredDevice &device)
{
    if (m_pending.contains(device.id) || m_settled.contains(device.id))
        return;
    qCDebug(lcDiscovery) << "appeared" << device.describe();
    m_pending.insert(device.id, device);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    m_settleTimers.insert(device.id, timer);
    connect(timer, &QTimer::timeout, this, [this, id = device.id] {
        delete m_settleTimers.take(id);
        const auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        const DiscoveredDevice d = it.value();
        m_pending.erase(it);
        m_settled.insert(id, d);
        qCInfo(lcDiscovery) << "arrived" << d.describe();
        emit deviceArrived(d);
    });
    timer->start(m_config.settleDelay);
}

void DeviceDiscovery::disappeared(const QString &id)
{
    if (QTimer *t = m_settleTimers.take(id))
        delete t;
    m_pending.remove(id); // left before it settled: never reported
    const auto it = m_settled.find(id);
    if (it == m_settled.end())
        return;
    const DiscoveredDevice d = it.value();
    m_settled.erase(it);
    qCInfo(lcDiscovery) << "left" << d.describe();
    emit deviceLeft(d);
}

void DeviceDiscovery::maybeInitialDone()
{
    if (m_initialDone || !m_serialScanned || !m_usbScanned)
        return;
    m_initialDone = true;
    // What the first scans found settles before the list counts as complete.
    QTimer::singleShot(m_config.settleDelay + std::chrono::milliseconds(20), this, &DeviceDiscovery::initialScanDone);
}

} // namespace station::drivers
