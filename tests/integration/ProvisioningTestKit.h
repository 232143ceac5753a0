// Helpers for the provisioning engine's integration tests: product profiles written from a few knobs,
// simulated units on real pseudo-terminals, and a Station wired exactly as provctl wires it (real
// discovery of explicit ports, the profile's drivers) that runs until every unit has a result.
#pragma once

#include "DriverTestKit.h"
#include "ProfileDrivers.h"
#include "discovery/DeviceDiscovery.h"
#include "manifest/Manifest.h"
#include "provisioning/Station.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

namespace station::test {

struct ProfileKnobs {
    QString name = QStringLiteral("Test product");
    drivers::Protocol protocol = drivers::Protocol::Station;
    QString keyOrigin = QStringLiteral("device");
    QString keyType = QStringLiteral("p256");
    QString url;
    QString trustFile;
    QString auth = QStringLiteral("mtls"); ///< mtls | basic | none
    QString clientCert, clientKey, user, passwordEnv;
    QString start = QStringLiteral("auto");
    QString barcodeRule = QStringLiteral("plain");
    QString barcodePattern;
    bool onlyWaitingUnit = false;
    bool csrattrs = true;
    QString subject = QStringLiteral("CN={serial},O=Acme");
    QStringList san;
    QString alreadyProvisioned = QStringLiteral("refuse");
    int retryAttempts = 2;
    int backoffMs = 200;
    int stepMs = 8000;
    int estMs = 30000;
    qint64 bootstrapSlot = -1; ///< >= 0: inject a bootstrap credential there
};

inline QJsonObject profileJson(const ProfileKnobs &k)
{
    QJsonObject auth{{QStringLiteral("mode"), k.auth}};
    if (k.auth == QLatin1String("mtls")) {
        auth[QStringLiteral("client_cert")] = k.clientCert;
        auth[QStringLiteral("client_key")] = k.clientKey;
    } else if (k.auth == QLatin1String("basic")) {
        auth[QStringLiteral("user")] = k.user;
        auth[QStringLiteral("password_env")] = k.passwordEnv;
    }
    QJsonObject device{{QStringLiteral("protocol"), drivers::protocolName(k.protocol)},
                       {QStringLiteral("port_patterns"), QJsonArray{QStringLiteral("no-system-port-matches-this")}},
                       {QStringLiteral("baud"), 4000000},
                       {QStringLiteral("exchange_timeout_ms"), 400},
                       {QStringLiteral("open_timeout_ms"), 3000},
                       {QStringLiteral("keygen_timeout_ms"), 20000}};
    QJsonObject barcode{{QStringLiteral("rule"), k.barcodeRule}, {QStringLiteral("start"), k.start}};
    if (!k.barcodePattern.isEmpty())
        barcode[QStringLiteral("pattern")] = k.barcodePattern;
    if (k.onlyWaitingUnit)
        barcode[QStringLiteral("scan_starts_only_waiting_unit")] = true;
    QJsonObject enrollment{{QStringLiteral("key_origin"), k.keyOrigin},
                           {QStringLiteral("key_type"), k.keyType},
                           {QStringLiteral("subject"), k.subject}};
    if (!k.san.isEmpty())
        enrollment[QStringLiteral("san")] = QJsonArray::fromStringList(k.san);
    QJsonObject inject;
    if (k.bootstrapSlot >= 0)
        inject[QStringLiteral("bootstrap_credential")] =
            QJsonObject{{k.protocol == drivers::Protocol::Nrf91 ? QStringLiteral("sec_tag") : QStringLiteral("slot"),
                         double(k.bootstrapSlot)}};
    return QJsonObject{
        {QStringLiteral("name"), k.name},
        {QStringLiteral("inject"), inject},
        {QStringLiteral("device"), device},
        {QStringLiteral("est"),
         QJsonObject{{QStringLiteral("url"), k.url},
                     {QStringLiteral("trust"), QJsonObject{{QStringLiteral("file"), k.trustFile}}},
                     {QStringLiteral("auth"), auth},
                     {QStringLiteral("csrattrs"), k.csrattrs},
                     {QStringLiteral("retry"), QJsonObject{{QStringLiteral("attempts"), k.retryAttempts},
                                                           {QStringLiteral("backoff_ms"), k.backoffMs},
                                                           {QStringLiteral("deadline_s"), 20},
                                                           {QStringLiteral("request_timeout_ms"), 10000}}}}},
        {QStringLiteral("enrollment"), enrollment},
        {QStringLiteral("barcode"), barcode},
        {QStringLiteral("already_provisioned"), k.alreadyProvisioned},
        {QStringLiteral("timeouts"),
         QJsonObject{{QStringLiteral("step_ms"), k.stepMs}, {QStringLiteral("est_ms"), k.estMs}}},
    };
}

/// Writes the profile next to `dir` and loads it; QVERIFY the result.
inline Result<provisioning::ProductProfile> writeProfile(const ProfileKnobs &k, const QString &path)
{
    if (!writeFile(path, QJsonDocument(profileJson(k)).toJson()))
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path));
    return provisioning::ProductProfile::load(path);
}

/// One station run: discovery of `links`, the profile's drivers, scans fed to units that wait for one.
class StationRun
{
public:
    StationRun(const provisioning::ProductProfile &profile, manifest::Manifest *manifest, const QStringList &links,
               QStringList barcodes = {})
        : m_barcodes(std::move(barcodes)), m_expected(int(links.size()))
    {
        drivers::DiscoveryConfig dc;
        dc.explicitPorts = links;
        dc.watchUsb = false;
        dc.settleDelay = std::chrono::milliseconds(50);
        dc.watchSerial = false; // the units are pseudo-terminals: the system's ttys are of no interest
        dc.serialScanInterval = std::chrono::milliseconds(100); // how often the links are checked (re-plugs)
        m_discovery = std::make_unique<drivers::DeviceDiscovery>(dc);
        provisioning::StationConfig sc;
        sc.operatorName = QStringLiteral("tester");
        sc.stationId = QStringLiteral("test-station");
        m_station = std::make_unique<provisioning::Station>(profile, sc, m_discovery.get(),
                                                            drivers::profileDriverProvider(), manifest);
        QObject::connect(m_station.get(), &provisioning::Station::setupFailed,
                         [this](const Error &e) { m_setupError = e.toString(); });
        QObject::connect(m_station.get(), &provisioning::Station::jobFinished,
                         [this](int slot, const provisioning::JobResult &r) {
                             m_results.insert(slot, r);
                             ++m_finished;
                         });
        QObject::connect(m_station.get(), &provisioning::Station::slotChanged, [this](int i) {
            if (m_station->slotInfo(i).state == provisioning::JobState::AwaitingScan)
                QTimer::singleShot(0, m_station.get(), [this] { feed(); });
        });
    }

    /// Runs until every link has a result (or the timeout); returns the results by slot. Called again
    /// (the station keeps running, as on a line), it waits for `m_expected` more finished jobs: the next
    /// units plugged into the same links.
    QMap<int, provisioning::JobResult> run(int timeoutMs = 60000)
    {
        // A real event loop (QTest::qWait sleeps between its rounds): quit as soon as the last unit is done.
        QEventLoop loop;
        const int target = m_finished + m_expected;
        auto check = [this, &loop, target] {
            if (!m_setupError.isEmpty() || (m_finished >= target && m_station->activeJobs() == 0))
                loop.quit();
        };
        const QMetaObject::Connection c1 =
            QObject::connect(m_station.get(), &provisioning::Station::jobFinished, &loop, check, Qt::QueuedConnection);
        const QMetaObject::Connection c2 =
            QObject::connect(m_station.get(), &provisioning::Station::slotChanged, &loop, check, Qt::QueuedConnection);
        const QMetaObject::Connection c3 =
            QObject::connect(m_station.get(), &provisioning::Station::setupFailed, &loop, check, Qt::QueuedConnection);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (!m_started) {
            m_started = true;
            m_station->start();
            m_discovery->start();
        }
        QTimer::singleShot(0, &loop, check);
        loop.exec();
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        QObject::disconnect(c3);
        return m_results;
    }

    [[nodiscard]] provisioning::Station &station() { return *m_station; }
    [[nodiscard]] QString setupError() const { return m_setupError; }
    [[nodiscard]] QStringList scanAnswers() const { return m_answers; }

private:
    void feed()
    {
        for (int i = 0; i < m_station->slotCount() && !m_barcodes.isEmpty(); ++i) {
            if (m_station->slotInfo(i).state != provisioning::JobState::AwaitingScan)
                continue;
            provisioning::ScanAnswer a = m_station->scan(m_barcodes.first());
            if (!a.accepted && m_station->activeJobs() == 1)
                a = m_station->scanForSlot(i, m_barcodes.first());
            m_answers << a.message;
            if (a.accepted || m_station->activeJobs() <= 1)
                m_barcodes.removeFirst();
        }
    }

    std::unique_ptr<drivers::DeviceDiscovery> m_discovery;
    std::unique_ptr<provisioning::Station> m_station;
    QStringList m_barcodes;
    QStringList m_answers;
    int m_expected;
    int m_finished = 0;
    bool m_started = false;
    QMap<int, provisioning::JobResult> m_results;
    QString m_setupError;
};

} // namespace station::test
