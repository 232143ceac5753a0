// Benchmark (label bench): the provisioning engine on simulated 115200-baud links against the lab EST
// server (a separate process, mTLS). The simulators pace both directions like a UART (8N1, no burst
// after an idle line; drivers/sim/LinePacer), so the serial-link bound is the bytes of both directions.
//  1. One unit end to end: bytes each way, the serial-link bound (bytes / (baud / 10)) plus one measured
//     EST enrollment round trip, and the ratio of the measured time to that bound (target <= 1.1). The
//     unit's time runs from the moment discovery reports it (after the settle delay, printed apart) to
//     its record in the manifest.
//  2. Scaling: M units on K parallel slots (K = 1, 4, 8, 16): units per minute and the speed-up over one
//     slot (target: 16 slots >= 12x one slot). One station runs all waves of a K, as on a line: K fresh
//     units are plugged into the same K places, provisioned and pulled. Each wave counts from its first
//     unit's arrival to its last unit's record; a first, unmeasured wave pays the station's start (trust
//     bootstrap, TLS handshakes), and the settle delay is printed apart.
//  3. Per-unit latency split by stage: device link, EST, manifest, and the station's own CPU.
// STATION_BENCH_UNITS sets M (default 16).
#include "LabServerProcess.h"
#include "MisbehavingEstServer.h"

#include "../integration/ProvisioningTestKit.h"

#include "est/ClientIdentity.h"
#include "est/EstClient.h"
#include "est/EstReply.h"

#include "crypto/CertificateRequest.h"
#include "crypto/PrivateKey.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <sys/resource.h>

using namespace station;
using namespace station::test;
using namespace station::provisioning;

namespace {

constexpr int kBaud = 115200;
constexpr int kSettleMs = 50; ///< StationRun's discovery settle delay

double cpuMs(int who = RUSAGE_SELF)
{
    rusage u{};
    getrusage(who, &u);
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
        qint64 wallMs = 0; ///< from station start to the last record
        qint64 jobsMs = 0; ///< from the first unit's start to the last unit's record
        qint64 firstStartMs = -1;
        double cpuMs = 0;
        double stationThreadCpuMs = 0; ///< the station's own thread (jobs, drivers, manifest)
        qint64 bytesToUnit = 0;
        qint64 bytesFromUnit = 0;
        int passed = 0;
        QMap<QString, qint64> stageMs; ///< summed over units
    };

    /// `count` waves of K units on the same K slots of one running station, paced at 115200 baud: each
    /// wave plugs K fresh units (new identities) into the K links, provisions them, and unplugs them, as
    /// an operator works a bench all shift. The first wave also pays the station's start (trust
    /// bootstrap, TLS handshakes); see `warmUp`.
    QList<Wave> waves(int k, int count, drivers::Protocol protocol = drivers::Protocol::Station)
    {
        QList<Wave> out;
        // The units are hardware of their own: each simulator runs on a thread of its own.
        SimulatorFixture sims(SimulatorFixture::Threading::OwnThreads);
        QStringList links;
        for (int i = 0; i < k; ++i)
            links << sims.linkOf(QStringLiteral("slot-%1").arg(i));
        auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("bench-%1.sqlite").arg(++m_run)));
        if (!m)
            return out;
        StationRun run(*m_profile, m->get(), links);
        Wave *current = nullptr;
        QHash<int, QPair<JobState, qint64>> last;
        QElapsedTimer clock;
        qint64 lastEndMs = 0;
        QObject::connect(&run.station(), &Station::slotChanged, [&](int i) {
            if (!current)
                return;
            Wave &w = *current;
            const SlotInfo s = run.station().slotInfo(i);
            const qint64 now = clock.elapsed();
            if (w.firstStartMs < 0 && s.present) // the unit has arrived (settled)
                w.firstStartMs = now;
            if (s.state == JobState::Passed || s.state == JobState::Failed || s.state == JobState::Incomplete)
                lastEndMs = now;
            if (last.contains(i) && last[i].first != s.state)
                w.stageMs[jobStateName(last[i].first)] += now - last[i].second;
            if (!last.contains(i) || last[i].first != s.state)
                last[i] = {s.state, now};
        });
        for (int n = 0; n < count; ++n) {
            Wave w;
            for (int i = 0; i < k; ++i) {
                drivers::SimulatorOptions o;
                o.baudRate = kBaud + 1; // != 115200: the fixture keeps the pacing (it speeds up plain 115200)
                o.replugDelayMs = -1;
                o.stateDir = sims.stateOf(QStringLiteral("unit-%1-%2-%3").arg(m_run).arg(n).arg(i));
                if (!sims.start(protocol, QStringLiteral("slot-%1").arg(i), o))
                    return out; // fewer waves: the caller's QCOMPARE fails
            }
            last.clear();
            lastEndMs = 0;
            current = &w;
            const double cpu0 = cpuMs();
            const double thread0 = cpuMs(RUSAGE_THREAD);
            clock.start();
            const auto results = run.run(600000);
            w.wallMs = clock.elapsed();
            w.jobsMs = lastEndMs - std::max<qint64>(0, w.firstStartMs);
            w.cpuMs = cpuMs() - cpu0;
            w.stationThreadCpuMs = cpuMs(RUSAGE_THREAD) - thread0;
            current = nullptr;
            for (const JobResult &r : results)
                w.passed += r.passed() ? 1 : 0;
            sims.forEachSimulator([&](drivers::SimulatedDevice *d) {
                w.bytesFromUnit += d->bytesSent();
                w.bytesToUnit += d->bytesReceived();
            });
            out << w;
            // Unplug the wave; the next one goes into the same places once the station has seen them go.
            sims.stopAll();
            QDeadlineTimer gone(5000);
            auto anyPresent = [&] {
                for (int i = 0; i < run.station().slotCount(); ++i)
                    if (run.station().slotInfo(i).present)
                        return true;
                return false;
            };
            while (anyPresent() && !gone.hasExpired()) {
                QEventLoop settle;
                QTimer::singleShot(10, &settle, &QEventLoop::quit);
                settle.exec();
            }
        }
        return out;
    }

    Wave wave(int k)
    {
        const QList<Wave> w = waves(k, 1);
        return w.isEmpty() ? Wave{} : w.first();
    }

private slots:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.debug=false\nstation.*.info=false"));
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
        // One EST enrollment round trip (the one a unit cannot overlap with its line), measured on the
        // kind of client the station uses: kept alive, mTLS with the bootstrap credential. Median of 7
        // after a first request that pays the TLS handshake.
        est::EstClientConfig c;
        c.baseUrl = m_lab.baseUrl();
        c.trustAnchors = *crypto::Certificate::listFromPem(readFile(m_lab.file(QStringLiteral("ca.pem"))));
        c.auth = est::EstAuthMode::ClientCertificate;
        auto identity = est::ClientIdentity::fromFiles(m_lab.file(QStringLiteral("bootstrap-cert.pem")),
                                                       m_lab.file(QStringLiteral("bootstrap-key.pem")));
        QVERIFY2(identity, identity ? "" : qPrintable(identity.error().toString()));
        c.clientIdentity = *identity;
        est::EstClient client(std::move(c));
        QList<double> rtts;
        for (int i = 0; i < 8; ++i) {
            crypto::CsrSpec spec;
            spec.subject = *crypto::DistinguishedName::parse(QStringLiteral("CN=BENCH-RTT-%1,O=Acme").arg(i));
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            auto csr = crypto::CertificateRequest::create(spec, *key);
            QVERIFY(csr);
            QElapsedTimer t;
            t.start();
            std::unique_ptr<est::EstReply> reply(client.simpleEnroll(*csr));
            QSignalSpy done(reply.get(), &est::EstReply::finished);
            QVERIFY(done.wait(10000));
            QVERIFY2(reply->isSuccess(), qPrintable(reply->error().toString()));
            if (i > 0)
                rtts << double(t.nsecsElapsed()) / 1e6;
        }
        std::sort(rtts.begin(), rtts.end());
        const double rtt = rtts[rtts.size() / 2];

        const Wave w = wave(1);
        QCOMPARE(w.passed, 1);
        const double bytesPerSecond = kBaud / 10.0;
        const double lineMs = double(w.bytesToUnit + w.bytesFromUnit) * 1000.0 / bytesPerSecond;
        const double bound = lineMs + rtt;
        qInfo().noquote() << QStringLiteral("one unit at %1 baud: %2 B to the unit, %3 B from it; %4 ms from its "
                                            "arrival to its record (station start and %5 ms settle delay: %6 ms more)")
                                 .arg(kBaud)
                                 .arg(w.bytesToUnit)
                                 .arg(w.bytesFromUnit)
                                 .arg(w.jobsMs)
                                 .arg(kSettleMs)
                                 .arg(w.wallMs - w.jobsMs);
        qInfo().noquote() << QStringLiteral("bound: %1 ms on the line (both directions) + one EST enrollment round "
                                            "trip %2 ms = %3 ms; ratio %4 (target <= 1.1)")
                                 .arg(lineMs, 0, 'f', 1)
                                 .arg(rtt, 0, 'f', 1)
                                 .arg(bound, 0, 'f', 1)
                                 .arg(double(w.jobsMs) / bound, 0, 'f', 3);
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
            const int count = std::max(1, m / k);
            qint64 wall = 0;
            qint64 overhead = 0;
            double stationCpu = 0;
            double processCpu = 0;
            int passed = 0;
            QMap<QString, qint64> stages;
            // One warm-up wave (the station's start: trust bootstrap, TLS handshakes), then the measured ones.
            const QList<Wave> all = waves(k, count + 1);
            QCOMPARE(all.size(), count + 1);
            for (int i = 1; i < all.size(); ++i) {
                const Wave &w = all[i];
                wall += w.jobsMs;
                overhead += w.wallMs - w.jobsMs;
                stationCpu += w.stationThreadCpuMs;
                processCpu += w.cpuMs;
                passed += w.passed;
                for (auto it = w.stageMs.cbegin(); it != w.stageMs.cend(); ++it)
                    stages[it.key()] += it.value();
            }
            QCOMPARE(all.first().passed, k);
            const double perMinute = double(passed) * 60000.0 / double(std::max<qint64>(1, wall));
            if (k == 1)
                oneSlotRate = perMinute;
            QStringList perUnit;
            for (auto it = stages.cbegin(); it != stages.cend(); ++it)
                if (it.value() / std::max(1, passed) > 0)
                    perUnit << QStringLiteral("%1 %2").arg(it.key()).arg(it.value() / std::max(1, passed));
            qInfo().noquote() << QStringLiteral("%1 slot(s), mean ms per unit and stage: ").arg(k, 2) +
                                     perUnit.join(QStringLiteral(", ")) +
                                     QStringLiteral("; CPU per unit: station thread %1 ms, this process (station, "
                                                    "simulators, TLS) %2 ms")
                                         .arg(stationCpu / std::max(1, passed), 0, 'f', 1)
                                         .arg(processCpu / std::max(1, passed), 0, 'f', 1);
            qInfo().noquote() << QStringLiteral(
                                     "%1 slot(s): %2 units in %3 ms = %4 units/min, speed-up %5x "
                                     "(arrival per wave: link check + settle delay %6 ms; the warm-up wave took %7 ms)")
                                     .arg(k, 2)
                                     .arg(passed)
                                     .arg(wall)
                                     .arg(perMinute, 0, 'f', 1)
                                     .arg(perMinute / oneSlotRate, 0, 'f', 2)
                                     .arg(overhead / count)
                                     .arg(all.first().wallMs);
            QCOMPARE(passed, count * k);
        }
    }
};

QTEST_GUILESS_MAIN(BenchProvision)
#include "tst_bench_provision.moc"
