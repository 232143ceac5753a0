// Benchmark (label bench): the provisioning engine on simulated 115200-baud links against the lab EST
// server (a separate process, mTLS).
//  1. One unit end to end: bytes each way, the serial-link bound (bytes / (baud / 10)) plus one measured
//     EST round trip, and the ratio of the measured time to that bound (target <= 1.1).
//  2. Scaling: M units on K parallel slots (K = 1, 4, 8, 16): units per minute and the speed-up over one
//     slot (target: 16 slots >= 12x one slot).
//  3. Per-unit latency split by stage: device link, EST, manifest, and the station's own CPU.
// STATION_BENCH_UNITS sets M (default 16).
#include "LabServerProcess.h"
#include "MisbehavingEstServer.h"

#include "../integration/ProvisioningTestKit.h"

#include "est/EstClient.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <sys/resource.h>

using namespace station;
using namespace station::test;
using namespace station::provisioning;

namespace {

constexpr int kBaud = 115200;

double cpuMs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0) +
           (double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0);
}

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

class BenchProvision : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    LabServerProcess m_lab;
    std::optional<ProductProfile> m_profile;
    int m_run = 0;

    struct Wave {
        qint64 wallMs = 0;
        double cpuMs = 0;
        qint64 bytesToUnit = 0;
        qint64 bytesFromUnit = 0;
        int passed = 0;
        QMap<QString, qint64> stageMs; ///< summed over units
    };

    /// K units on K slots, paced at 115200 baud, in one station run.
    Wave wave(int k, drivers::Protocol protocol = drivers::Protocol::Station)
    {
        Wave w;
        SimulatorFixture sims;
        QStringList links;
        QList<drivers::SimulatedDevice *> devices;
        for (int i = 0; i < k; ++i) {
            drivers::SimulatorOptions o;
            o.baudRate = kBaud + 1; // != 115200: the fixture keeps the pacing (it speeds up plain 115200)
            o.replugDelayMs = -1;
            const QString name = QStringLiteral("b%1-%2").arg(++m_run).arg(i);
            devices << sims.start(protocol, name, o);
            links << sims.linkOf(name);
        }
        auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("bench-%1.sqlite").arg(m_run)));
        StationRun run(*m_profile, m->get(), links);
        QHash<int, QPair<JobState, qint64>> last;
        QElapsedTimer clock;
        QObject::connect(&run.station(), &Station::slotChanged, [&](int i) {
            const SlotInfo s = run.station().slotInfo(i);
            const qint64 now = clock.elapsed();
            if (last.contains(i) && last[i].first != s.state)
                w.stageMs[jobStateName(last[i].first)] += now - last[i].second;
            if (!last.contains(i) || last[i].first != s.state)
                last[i] = {s.state, now};
        });
        const double cpu0 = cpuMs();
        clock.start();
        const auto results = run.run(600000);
        w.wallMs = clock.elapsed();
        w.cpuMs = cpuMs() - cpu0;
        for (const JobResult &r : results)
            w.passed += r.passed() ? 1 : 0;
        for (drivers::SimulatedDevice *d : devices) {
            w.bytesFromUnit += d->bytesSent();
            w.bytesToUnit += d->bytesReceived();
        }
        return w;
    }

private slots:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.info=false"));
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_lab.start({}, m_dir.filePath(QStringLiteral("lab"))), qPrintable(m_lab.errorText()));
        ProfileKnobs k;
        k.url = m_lab.baseUrl().toString();
        k.trustFile = m_lab.file(QStringLiteral("ca.pem"));
        k.clientCert = m_lab.file(QStringLiteral("bootstrap-cert.pem"));
        k.clientKey = m_lab.file(QStringLiteral("bootstrap-key.pem"));
        QJsonObject o = profileJson(k);
        QJsonObject device = o[QStringLiteral("device")].toObject();
        device[QStringLiteral("baud")] = kBaud;
        device[QStringLiteral("exchange_timeout_ms")] = 3000;
        o[QStringLiteral("device")] = device;
        const QString path = m_dir.filePath(QStringLiteral("bench.json"));
        QVERIFY(writeFile(path, QJsonDocument(o).toJson()));
        auto p = ProductProfile::load(path);
        QVERIFY2(p, p ? "" : qPrintable(p.error().detail));
        m_profile = *p;
    }

    void oneUnit_versusSerialLinkBound()
    {
        // One EST round trip, measured on the same kept-alive client kind the station uses.
        est::EstClientConfig c;
        c.baseUrl = m_lab.baseUrl();
        c.trustAnchors = *crypto::Certificate::listFromPem(readFile(m_lab.file(QStringLiteral("ca.pem"))));
        est::EstClient client(std::move(c));
        double rtt = 0;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            std::unique_ptr<est::EstReply> reply(client.fetchCsrAttrs());
            QSignalSpy done(reply.get(), &est::EstReply::finished);
            QVERIFY(done.wait(10000));
            const double ms = double(t.nsecsElapsed()) / 1e6;
            rtt = i == 0 ? ms : std::min(rtt, ms); // the first one pays the TLS handshake
        }
        const Wave w = wave(1);
        QCOMPARE(w.passed, 1);
        const double bytesPerSecond = kBaud / 10.0;
        // A real UART paces both directions; the simulator paces only what the unit sends.
        const double bothWaysMs = double(w.bytesToUnit + w.bytesFromUnit) * 1000.0 / bytesPerSecond;
        const double pacedMs = double(w.bytesFromUnit) * 1000.0 / bytesPerSecond;
        qInfo().noquote() << QStringLiteral("one unit at %1 baud: %2 B to the unit, %3 B from it; measured %4 ms")
                                 .arg(kBaud)
                                 .arg(w.bytesToUnit)
                                 .arg(w.bytesFromUnit)
                                 .arg(w.wallMs);
        qInfo().noquote() << QStringLiteral("bound of the simulated link (unit->station paced) %1 ms + one EST round "
                                            "trip %2 ms = %3 ms: ratio %4")
                                 .arg(pacedMs, 0, 'f', 1)
                                 .arg(rtt, 0, 'f', 1)
                                 .arg(pacedMs + rtt, 0, 'f', 1)
                                 .arg(double(w.wallMs) / (pacedMs + rtt), 0, 'f', 2);
        qInfo().noquote() << QStringLiteral("bound of a real UART (both directions) %1 ms + EST %2 ms = %3 ms")
                                 .arg(bothWaysMs, 0, 'f', 1)
                                 .arg(rtt, 0, 'f', 1)
                                 .arg(bothWaysMs + rtt, 0, 'f', 1);
        QStringList stages;
        for (auto it = w.stageMs.cbegin(); it != w.stageMs.cend(); ++it)
            stages << QStringLiteral("%1 %2 ms").arg(it.key()).arg(it.value());
        qInfo().noquote() << QStringLiteral("stages: ") + stages.join(QStringLiteral(", "));
        const qint64 device =
            w.stageMs.value(QStringLiteral("opening")) + w.stageMs.value(QStringLiteral("identifying")) +
            w.stageMs.value(QStringLiteral("injecting-trust")) + w.stageMs.value(QStringLiteral("generating-key")) +
            w.stageMs.value(QStringLiteral("writing-chain")) + w.stageMs.value(QStringLiteral("committing")) +
            w.stageMs.value(QStringLiteral("verifying"));
        const qint64 estMs =
            w.stageMs.value(QStringLiteral("fetching-csrattrs")) + w.stageMs.value(QStringLiteral("enrolling"));
        const qint64 manifestMs =
            w.stageMs.value(QStringLiteral("checking-record")) + w.stageMs.value(QStringLiteral("recording"));
        qInfo().noquote() << QStringLiteral("per-unit split: device link %1 ms, EST %2 ms, manifest %3 ms; process CPU "
                                            "(station + in-process simulators + TLS) %4 ms")
                                 .arg(device)
                                 .arg(estMs)
                                 .arg(manifestMs)
                                 .arg(w.cpuMs, 0, 'f', 1);
    }

    void scaling_slots()
    {
        const int m = envInt("STATION_BENCH_UNITS", 16);
        double oneSlotRate = 0;
        for (int k : {1, 4, 8, 16}) {
            const int waves = std::max(1, m / k);
            qint64 wall = 0;
            int passed = 0;
            for (int i = 0; i < waves; ++i) {
                const Wave w = wave(k);
                wall += w.wallMs;
                passed += w.passed;
            }
            const double perMinute = double(passed) * 60000.0 / double(std::max<qint64>(1, wall));
            if (k == 1)
                oneSlotRate = perMinute;
            qInfo().noquote() << QStringLiteral("%1 slot(s): %2 units in %3 ms = %4 units/min, speed-up %5x")
                                     .arg(k, 2)
                                     .arg(passed)
                                     .arg(wall)
                                     .arg(perMinute, 0, 'f', 1)
                                     .arg(perMinute / oneSlotRate, 0, 'f', 2);
            QCOMPARE(passed, waves * k);
        }
    }
};

QTEST_GUILESS_MAIN(BenchProvision)
#include "tst_bench_provision.moc"
