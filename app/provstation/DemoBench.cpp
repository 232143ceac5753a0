#include "DemoBench.h"

#include "FileUtil.h"
#include "est/LabEstServer.h"
#include "sim/SimulatorFactory.h"

#include <QDir>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace station::app {

namespace {

/// Which units the bench builds: station-protocol units, one nRF91 modem (an IMEI as its serial) and one
/// unit whose key generation fails, so that a FAIL with cause and remedy is part of every demo.
QList<DemoUnit> demoUnits(const QString &dir, int count)
{
    QList<DemoUnit> units;
    int station = 0;
    for (int i = 0; i < count; ++i) {
        DemoUnit u;
        if (i == 2) {
            u.protocol = drivers::Protocol::Nrf91;
            u.serial = QStringLiteral("357179926429805");
            u.link = QDir(dir).filePath(QStringLiteral("units/modem1"));
        } else {
            ++station;
            u.serial = QStringLiteral("SN-DEMO-%1").arg(station, 4, 10, QLatin1Char('0'));
            u.link = QDir(dir).filePath(QStringLiteral("units/unit%1").arg(station));
            if (i == 4) {
                u.fault = QStringLiteral("keygen-fail");
                u.expectPass = false;
            }
        }
        units.append(u);
    }
    return units;
}

} // namespace

DemoBench::DemoBench(Options options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_options.unitCount = qBound(3, m_options.unitCount, 24);
}

DemoBench::~DemoBench()
{
    stop();
}

void DemoBench::start()
{
    const QDir dir(m_options.directory);
    if (!dir.mkpath(QStringLiteral("units"))) {
        emit failed(tr("Cannot create the demo folder %1.").arg(dir.absolutePath()));
        return;
    }
    est::LabCa::Options caOptions;
    caOptions.directory = dir.filePath(QStringLiteral("lab"));
    caOptions.serverNames = {QStringLiteral("127.0.0.1")};
    auto ca = est::LabCa::openOrCreate(caOptions);
    if (!ca) {
        emit failed(ca.error().toString());
        return;
    }
    est::LabEstServer::Options serverOptions;
    serverOptions.auth = est::LabEstServer::AuthMode::MutualTls;
    serverOptions.csrAttributes = est::LabEstServer::defaultCsrAttributes();
    m_server = new est::LabEstServer(*ca, serverOptions, this);
    if (auto listening = m_server->listen(QHostAddress(QHostAddress::LocalHost), 0); !listening) {
        emit failed(listening.error().toString());
        return;
    }

    DemoWorld world;
    world.directory = dir.absolutePath();
    world.estUrl = m_server->baseUrl();
    world.manifestPath = dir.filePath(QStringLiteral("manifest.sqlite"));
    QString error;
    world.profilePath = writeProfile(world.estUrl, &error);
    if (world.profilePath.isEmpty()) {
        emit failed(error);
        return;
    }

    for (const DemoUnit &u : demoUnits(world.directory, m_options.unitCount)) {
        drivers::SimulatorOptions so;
        so.linkPath = u.link;
        so.serialNumber = u.serial;
        so.stateDir = u.link + QStringLiteral("-state");
        so.baudRate = m_options.baudRate;
        so.replugDelayMs = -1;
        auto faults = drivers::FaultPlan::parse(u.fault);
        if (!faults) {
            emit failed(faults.error().toString());
            return;
        }
        so.faults = *faults;
        auto sim = drivers::SimulatorFactory::create(u.protocol, so);
        if (auto started = sim->start(); !started) {
            emit failed(started.error().toString());
            return;
        }
        m_units.push_back(std::move(sim));
        world.units.append(u);
    }
    emit started(world);
}

void DemoBench::stop()
{
    for (auto &unit : m_units)
        unit->stop();
    m_units.clear();
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
}

QString DemoBench::writeProfile(const QUrl &url, QString *error) const
{
    const QDir lab(QDir(m_options.directory).filePath(QStringLiteral("lab")));
    const QJsonObject device{
        {QStringLiteral("protocol"), QStringLiteral("station")},
        // The demo's units are the explicit pty links; no port of this machine is taken for a unit.
        {QStringLiteral("port_patterns"), QJsonArray{QStringLiteral("provstation-demo-matches-no-system-port")}},
        {QStringLiteral("baud"), m_options.baudRate},
    };
    const QJsonObject est{
        {QStringLiteral("url"), url.toString() + QStringLiteral("/demo-line")},
        {QStringLiteral("trust"), QJsonObject{{QStringLiteral("file"), lab.filePath(QStringLiteral("ca.pem"))}}},
        {QStringLiteral("auth"),
         QJsonObject{{QStringLiteral("mode"), QStringLiteral("mtls")},
                     {QStringLiteral("client_cert"), lab.filePath(QStringLiteral("bootstrap-cert.pem"))},
                     {QStringLiteral("client_key"), lab.filePath(QStringLiteral("bootstrap-key.pem"))}}},
    };
    const QJsonObject profile{
        {QStringLiteral("name"), QStringLiteral("Demo sensor")},
        {QStringLiteral("device"), device},
        {QStringLiteral("est"), est},
        {QStringLiteral("enrollment"),
         QJsonObject{{QStringLiteral("key_origin"), QStringLiteral("device")},
                     {QStringLiteral("key_type"), QStringLiteral("p256")},
                     {QStringLiteral("subject"), QStringLiteral("CN={serial},O=Demo Factory")}}},
        {QStringLiteral("barcode"), QJsonObject{{QStringLiteral("rule"), QStringLiteral("plain")},
                                                {QStringLiteral("start"), QStringLiteral("scan")}}},
        // A kept --demo-dir holds units provisioned by an earlier run: renew them rather than wait for a
        // supervisor's confirmation.
        {QStringLiteral("already_provisioned"), QStringLiteral("renew")},
    };
    const QString path = QDir(m_options.directory).filePath(QStringLiteral("demo-profile.json"));
    if (auto written = writeFileAtomically(path, QJsonDocument(profile).toJson()); !written) {
        *error = written.error().toString();
        return {};
    }
    return path;
}

} // namespace station::app
