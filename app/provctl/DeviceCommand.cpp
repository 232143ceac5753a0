// provctl device list | info: what discovery sees, and what a unit says about itself.
#include "Commands.h"
#include "DevicePort.h"
#include "DriverFactory.h"
#include "discovery/DeviceDiscovery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

namespace station::cli {

namespace {

using namespace station::drivers;

void printUsage(QTextStream &s)
{
    s << "Usage: provctl device list [--port PATH]... [--vid-pid VID:PID]... [--name PATTERN] [--settle-ms N] "
         "[--json]\n"
         "       provctl device info --port PATH --protocol station|nrf91 [--baud N] [--slot N] [--timeout-ms N] "
         "[--json]\n\n"
         "list  prints the serial ports and USB devices discovery sees (after the settle delay), marking those\n"
         "      that pass the filter as units. Explicit --port paths (e.g. a simulator's link) are included.\n"
         "info  opens the unit, identifies it and reads back what its provisioning slot holds.\n";
}

QJsonObject toJson(const DiscoveredDevice &d, bool unit)
{
    QJsonObject o{{QStringLiteral("id"), d.id},
                  {QStringLiteral("kind"), discoveredKindName(d.kind)},
                  {QStringLiteral("path"), d.path},
                  {QStringLiteral("unit"), unit}};
    if (d.vendorId || d.productId) {
        o.insert(QStringLiteral("vid"), QStringLiteral("%1").arg(d.vendorId, 4, 16, QLatin1Char('0')));
        o.insert(QStringLiteral("pid"), QStringLiteral("%1").arg(d.productId, 4, 16, QLatin1Char('0')));
    }
    if (!d.serialNumber.isEmpty())
        o.insert(QStringLiteral("serial"), d.serialNumber);
    if (!d.manufacturer.isEmpty())
        o.insert(QStringLiteral("manufacturer"), d.manufacturer);
    if (!d.product.isEmpty())
        o.insert(QStringLiteral("product"), d.product);
    if (!d.busPath.isEmpty())
        o.insert(QStringLiteral("bus"), d.busPath);
    return o;
}

int runList(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.addOption({QStringLiteral("port"), QStringLiteral("Also watch this path."), QStringLiteral("path")});
    p.addOption({QStringLiteral("vid-pid"), QStringLiteral("Units are devices with this VID:PID (hex)."),
                 QStringLiteral("vid:pid")});
    p.addOption({QStringLiteral("name"), QStringLiteral("Units are ports whose name matches this wildcard."),
                 QStringLiteral("pattern")});
    p.addOption(
        {QStringLiteral("settle-ms"), QStringLiteral("Settle delay."), QStringLiteral("ms"), QStringLiteral("300")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    p.addOption({QStringLiteral("verbose"), QStringLiteral("Log arrivals and departures as they happen.")});
    if (!p.parse(args)) {
        err << "provctl device list: " << p.errorText() << "\n";
        return 2;
    }
    DeviceFilter filter;
    for (const QString &vp : p.values(QStringLiteral("vid-pid"))) {
        auto id = DeviceFilter::parseVidPid(vp);
        if (!id) {
            err << "provctl device list: " << id.error().toString() << "\n";
            return 2;
        }
        filter.usbIds.append(*id);
    }
    if (p.isSet(QStringLiteral("name")))
        filter.portNamePatterns.append(p.value(QStringLiteral("name")));

    if (!p.isSet(QStringLiteral("verbose")))
        QLoggingCategory::setFilterRules(QStringLiteral("station.drivers.*.info=false"));
    DiscoveryConfig config;
    config.settleDelay = std::chrono::milliseconds(p.value(QStringLiteral("settle-ms")).toInt());
    config.explicitPorts = p.values(QStringLiteral("port"));
    config.filter = filter;
    DeviceDiscovery discovery(config);
    QObject::connect(&discovery, &DeviceDiscovery::notice,
                     [&](const QString &text) { err << "note: " << text << Qt::endl; });
    QObject::connect(&discovery, &DeviceDiscovery::initialScanDone, [&] {
        QList<DiscoveredDevice> devices = discovery.devices();
        std::sort(devices.begin(), devices.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray a;
            for (const DiscoveredDevice &d : devices)
                a.append(toJson(d, filter.matches(d)));
            out << QJsonDocument(a).toJson();
        } else if (devices.isEmpty()) {
            out << "no serial ports or USB devices found\n";
        } else {
            for (const DiscoveredDevice &d : devices) {
                out << (filter.matches(d) ? "unit  " : "      ") << d.describe() << '\n';
            }
        }
        out.flush();
        QCoreApplication::exit(0);
    });
    discovery.start();
    return QCoreApplication::exec();
}

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

int runInfo(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.addOption({QStringLiteral("port"), QStringLiteral("The unit's port."), QStringLiteral("path")});
    p.addOption({QStringLiteral("protocol"), QStringLiteral("station or nrf91."), QStringLiteral("protocol")});
    p.addOption({QStringLiteral("baud"), QStringLiteral("Baud rate."), QStringLiteral("n"), QStringLiteral("115200")});
    p.addOption({QStringLiteral("slot"), QStringLiteral("Provisioning slot / sec_tag."), QStringLiteral("n"),
                 QStringLiteral("0")});
    p.addOption({QStringLiteral("timeout-ms"), QStringLiteral("Per-exchange timeout."), QStringLiteral("ms"),
                 QStringLiteral("1500")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!p.parse(args)) {
        err << "provctl device info: " << p.errorText() << "\n";
        return 2;
    }
    if (!p.isSet(QStringLiteral("port")) || !p.isSet(QStringLiteral("protocol"))) {
        err << "provctl device info: --port and --protocol are required\n";
        return 2;
    }
    auto protocol = parseProtocol(p.value(QStringLiteral("protocol")));
    if (!protocol) {
        err << "provctl device info: " << protocol.error().toString() << "\n";
        return 2;
    }
    SerialConfig serial;
    serial.portName = p.value(QStringLiteral("port"));
    serial.baudRate = p.value(QStringLiteral("baud")).toInt();
    DriverConfig config;
    config.slot = p.value(QStringLiteral("slot")).toLongLong();
    config.exchangeTimeout = std::chrono::milliseconds(qMax(100, p.value(QStringLiteral("timeout-ms")).toInt()));
    auto driver = DriverFactory::create(*protocol, serial, config);
    const bool json = p.isSet(QStringLiteral("json"));
    auto failWith = [&err](const Error &e) {
        err << "provctl device info: " << e.toString() << Qt::endl;
        QCoreApplication::exit(1);
    };
    driver->open([&](Result<void> opened) {
        if (!opened)
            return failWith(opened.error());
        driver->identify([&](Result<DeviceIdentity> id) {
            if (!id)
                return failWith(id.error());
            driver->readBack(ReadBackDepth::Digests, [&, id = *id](Result<StoredCredentials> stored) {
                if (!stored)
                    return failWith(stored.error());
                if (json) {
                    QJsonArray items;
                    for (const StoredItem &s : stored->items)
                        items.append(QJsonObject{{QStringLiteral("kind"), credentialKindName(s.kind)},
                                                 {QStringLiteral("committed"), s.committed},
                                                 {QStringLiteral("size"), s.size},
                                                 {QStringLiteral("sha256"), hex(s.sha256)}});
                    QJsonObject o{{QStringLiteral("port"), serial.portName},
                                  {QStringLiteral("protocol"), protocolName(*protocol)},
                                  {QStringLiteral("serial"), id.serialNumber},
                                  {QStringLiteral("hardwareId"), id.hardwareId},
                                  {QStringLiteral("model"), id.model},
                                  {QStringLiteral("firmware"), id.firmwareVersion},
                                  {QStringLiteral("protocolVersion"), id.protocolVersion},
                                  {QStringLiteral("uuid"), id.deviceUuid},
                                  {QStringLiteral("imei"), id.imei},
                                  {QStringLiteral("provisioned"), id.provisioned},
                                  {QStringLiteral("identityVerified"), id.evidenceVerified},
                                  {QStringLiteral("stored"), items}};
                    out << QJsonDocument(o).toJson();
                } else {
                    out << "port:         " << serial.portName << '\n'
                        << "protocol:     " << id.protocolVersion << '\n'
                        << "serial:       " << id.serialNumber << '\n'
                        << "hardware id:  " << id.hardwareId << '\n'
                        << "model:        " << id.model << '\n'
                        << "firmware:     " << id.firmwareVersion << '\n';
                    if (!id.deviceUuid.isEmpty())
                        out << "uuid:         " << id.deviceUuid << '\n';
                    if (!id.imei.isEmpty())
                        out << "imei:         " << id.imei << '\n';
                    if (!id.identityPublicKeyDer.isEmpty())
                        out << "identity key: " << (id.evidenceVerified ? "proved possession" : "NOT verified") << '\n';
                    out << "provisioned:  " << (id.provisioned ? "yes" : "no") << '\n';
                    if (stored->items.isEmpty())
                        out << "stored:       nothing in slot " << config.slot << '\n';
                    for (const StoredItem &s : stored->items)
                        out << "stored:       " << credentialKindName(s.kind).leftJustified(18)
                            << (s.committed ? "committed " : "staged    ")
                            << (s.size >= 0 ? QString::number(s.size) + QStringLiteral(" bytes ") : QString())
                            << "sha256 " << hex(s.sha256) << '\n';
                }
                out.flush();
                QCoreApplication::exit(0);
            });
        });
    });
    return QCoreApplication::exec();
}

} // namespace

int runDevice(const QStringList &args)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        printUsage(args.size() < 2 ? err : out);
        return args.size() < 2 ? 2 : 0;
    }
    QStringList rest = args.mid(1);
    rest[0] = args.at(0) + QLatin1Char(' ') + args.at(1);
    if (args.at(1) == QLatin1String("list"))
        return runList(rest);
    if (args.at(1) == QLatin1String("info"))
        return runInfo(rest);
    err << "provctl device: unknown subcommand '" << args.at(1) << "'\n\n";
    printUsage(err);
    return 2;
}

} // namespace station::cli
