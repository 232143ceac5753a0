#include "UsbMonitor.h"

#include <QLoggingCategory>
#include <QMap>
#include <QMetaObject>

#include <libusb.h>

#include <mutex>
#include <vector>

Q_LOGGING_CATEGORY(lcUsb, "station.drivers.usb")

namespace station::drivers {

namespace {

QString busPathOf(libusb_device *dev)
{
    uint8_t ports[8];
    const int n = libusb_get_port_numbers(dev, ports, sizeof ports);
    QString path = QString::number(libusb_get_bus_number(dev));
    for (int i = 0; i < n; ++i)
        path += (i == 0 ? QLatin1Char('-') : QLatin1Char('.')) + QString::number(ports[i]);
    if (n <= 0)
        path += QStringLiteral(":%1").arg(libusb_get_device_address(dev)); // root hub
    return path;
}

QString readString(libusb_device_handle *h, uint8_t index)
{
    if (!h || index == 0)
        return {};
    unsigned char buf[256];
    const int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    return n > 0 ? QString::fromLatin1(reinterpret_cast<const char *>(buf), n).trimmed() : QString();
}

DiscoveredDevice describe(libusb_device *dev, const DeviceFilter &filter)
{
    DiscoveredDevice d;
    d.kind = DiscoveredKind::UsbDevice;
    d.busPath = busPathOf(dev);
    d.id = QStringLiteral("usb:") + d.busPath;
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(dev, &desc) == 0) {
        d.vendorId = desc.idVendor;
        d.productId = desc.idProduct;
        libusb_device_handle *h = nullptr;
        // Strings need the device opened: only units the profile names are; without permission (no udev
        // rule) their strings stay empty.
        if (UsbMonitor::opensDevice(filter, desc.idVendor, desc.idProduct) && libusb_open(dev, &h) == 0) {
            d.manufacturer = readString(h, desc.iManufacturer);
            d.product = readString(h, desc.iProduct);
            d.serialNumber = readString(h, desc.iSerialNumber);
            libusb_close(h);
        }
    }
    return d;
}

struct HotplugQueue {
    std::mutex mutex;
    std::vector<std::pair<libusb_device *, bool>> events; ///< device (ref'd), arrived
};

int LIBUSB_CALL onHotplug(libusb_context *, libusb_device *dev, libusb_hotplug_event event, void *user)
{
    auto *queue = static_cast<HotplugQueue *>(user);
    std::lock_guard lock(queue->mutex);
    queue->events.emplace_back(libusb_ref_device(dev), event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
    return 0;
}

} // namespace

UsbMonitor::UsbMonitor(std::chrono::milliseconds pollInterval, DeviceFilter filter, QObject *parent)
    : QObject(parent), m_pollInterval(pollInterval), m_filter(std::move(filter))
{}

bool UsbMonitor::opensDevice(const DeviceFilter &filter, quint16 vendorId, quint16 productId)
{
    for (const UsbId &id : filter.usbIds)
        if (id.vendorId == vendorId && (id.productId == 0 || id.productId == productId))
            return true;
    return false;
}

UsbMonitor::~UsbMonitor()
{
    stop();
}

void UsbMonitor::start()
{
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void UsbMonitor::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void UsbMonitor::run()
{
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection); };
    libusb_context *ctx = nullptr;
    const int rc = libusb_init(&ctx);
    if (rc != 0) {
        const QString reason =
            QStringLiteral("USB devices cannot be watched (libusb: %1); continuing with serial ports only. "
                           "Units on USB serial adapters are still found.")
                .arg(QString::fromLatin1(libusb_strerror(static_cast<libusb_error>(rc))));
        post([this, reason] {
            emit unavailable(reason);
            emit initialEnumerationDone();
        });
        return;
    }
    QMap<libusb_device *, DiscoveredDevice> known;
    auto arrive = [&](libusb_device *dev) {
        const DiscoveredDevice d = describe(dev, m_filter);
        known.insert(dev, d);
        post([this, d] { emit arrived(d); });
    };
    auto leave = [&](libusb_device *dev) {
        const auto it = known.find(dev);
        if (it == known.end())
            return;
        const DiscoveredDevice d = it.value();
        known.erase(it);
        post([this, d] { emit left(d); });
    };

    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        HotplugQueue queue;
        libusb_hotplug_callback_handle handle = 0;
        const int reg = libusb_hotplug_register_callback(
            ctx,
            static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            onHotplug, &queue, &handle);
        if (reg == 0) {
            qCDebug(lcUsb) << "watching USB with hotplug callbacks";
            bool initial = true;
            while (!m_stop) {
                std::vector<std::pair<libusb_device *, bool>> events;
                {
                    std::lock_guard lock(queue.mutex);
                    events.swap(queue.events);
                }
                for (auto &[dev, arrived] : events) {
                    if (arrived && !known.contains(dev)) {
                        arrive(dev); // `known` keeps the callback's reference
                        continue;
                    }
                    if (!arrived && known.contains(dev)) {
                        leave(dev);
                        libusb_unref_device(dev); // the reference `known` held
                    }
                    libusb_unref_device(dev);
                }
                if (initial) {
                    initial = false;
                    post([this] { emit initialEnumerationDone(); });
                }
                timeval tv{0, 200000};
                libusb_handle_events_timeout_completed(ctx, &tv, nullptr);
            }
            libusb_hotplug_deregister_callback(ctx, handle);
            std::lock_guard lock(queue.mutex);
            for (auto &e : queue.events)
                libusb_unref_device(e.first);
            for (auto it = known.begin(); it != known.end(); ++it)
                libusb_unref_device(it.key());
            libusb_exit(ctx);
            return;
        }
    }

    // No hotplug: enumerate periodically and report the difference.
    qCDebug(lcUsb) << "watching USB by periodic enumeration";
    bool initial = true;
    while (!m_stop) {
        libusb_device **list = nullptr;
        const ssize_t n = libusb_get_device_list(ctx, &list);
        if (n < 0) {
            const QString reason = QStringLiteral("USB devices cannot be listed (libusb: %1); continuing with serial "
                                                  "ports only.")
                                       .arg(QString::fromLatin1(libusb_strerror(static_cast<libusb_error>(n))));
            post([this, reason] {
                emit unavailable(reason);
                emit initialEnumerationDone();
            });
            break;
        }
        QList<libusb_device *> present;
        for (ssize_t i = 0; i < n; ++i) {
            present.append(list[i]);
            if (!known.contains(list[i])) {
                libusb_ref_device(list[i]);
                arrive(list[i]);
            }
        }
        const QList<libusb_device *> before = known.keys();
        for (libusb_device *dev : before) {
            if (!present.contains(dev)) {
                leave(dev);
                libusb_unref_device(dev);
            }
        }
        libusb_free_device_list(list, 1);
        if (initial) {
            initial = false;
            post([this] { emit initialEnumerationDone(); });
        }
        for (auto waited = std::chrono::milliseconds(0); waited < m_pollInterval && !m_stop;
             waited += std::chrono::milliseconds(50))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto it = known.begin(); it != known.end(); ++it)
        libusb_unref_device(it.key());
    libusb_exit(ctx);
}

} // namespace station::drivers
