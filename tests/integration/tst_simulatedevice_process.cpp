// `provctl simulate-device` and `provctl device list|info` as real processes, with discovery watching the
// simulator's link appear and disappear.
#include "DevicePort.h"
#include "DriverTestKit.h"
#include "discovery/DeviceDiscovery.h"
#include "discovery/UsbMonitor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QThread>

#include <atomic>
#include <csignal>

using namespace station;
using namespace station::drivers;
using station::test::await;

class TestSimulateDeviceProcess : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<QProcess> startSimulator(const QStringList &extra)
    {
        auto p = std::make_unique<QProcess>();
        p->setProgram(test::provctlPath());
        p->setArguments(
            QStringList{QStringLiteral("simulate-device"), QStringLiteral("--baud"), QStringLiteral("1000000")} +
            extra);
        p->start();
        return p;
    }

    static QByteArray runProvctl(const QStringList &args, int *exitCode)
    {
        QProcess p;
        p.start(test::provctlPath(), args);
        p.waitForFinished(20000);
        *exitCode = p.exitCode();
        return p.readAllStandardOutput();
    }

private slots:
    void simulateDevice_station_provisionedStateSurvivesRestart()
    {
        const QString link = m_dir.filePath(QStringLiteral("unit"));
        const QString state = m_dir.filePath(QStringLiteral("unit-state"));
        const QStringList args{QStringLiteral("--protocol"),    QStringLiteral("station"),
                               QStringLiteral("--link"),        link,
                               QStringLiteral("--state-dir"),   state,
                               QStringLiteral("--serial"),      QStringLiteral("PROC-1"),
                               QStringLiteral("--boot-chatter")};
        auto sim = startSimulator(args);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(link), 5000);

        SerialConfig serial;
        serial.portName = link;
        auto d = DriverFactory::create(Protocol::Station, serial, test::SimulatorFixture::fastConfig());
        QVERIFY(await<void>([&](auto done) { d->open(done); }));
        auto key = await<GeneratedKey>([&](auto done) { d->generateKey({}, done); });
        QVERIFY(key);
        const test::TestCa ca = test::TestCa::make();
        QVERIFY(await<void>([&](auto done) { d->writeCertificateChain({ca.issue(key->csrDer)}, done); }));
        QVERIFY(await<void>([&](auto done) { d->commit(done); }));
        d.reset();

        ::kill(static_cast<pid_t>(sim->processId()), SIGTERM);
        QVERIFY(sim->waitForFinished(5000));
        QCOMPARE(sim->exitStatus(), QProcess::NormalExit);
        QCOMPARE(sim->exitCode(), 0);
        const QByteArray log = sim->readAllStandardOutput();
        QVERIFY2(log.contains("simulating station unit PROC-1") && log.contains("step commit") &&
                     log.contains("stopped"),
                 log.constData());
        QVERIFY(!QFileInfo::exists(link)); // the link goes with the unit
        QVERIFY(QFileInfo::exists(state + QStringLiteral("/slot-0/certificate-chain.pem")));

        sim = startSimulator(args);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(link), 5000);
        int rc = -1;
        const QByteArray info =
            runProvctl({QStringLiteral("device"), QStringLiteral("info"), QStringLiteral("--port"), link,
                        QStringLiteral("--protocol"), QStringLiteral("station"), QStringLiteral("--json")},
                       &rc);
        QCOMPARE(rc, 0);
        const QJsonObject o = QJsonDocument::fromJson(info).object();
        QCOMPARE(o.value(QStringLiteral("serial")).toString(), QStringLiteral("PROC-1"));
        QVERIFY(o.value(QStringLiteral("provisioned")).toBool());
        QVERIFY(o.value(QStringLiteral("identityVerified")).toBool());
        QCOMPARE(o.value(QStringLiteral("stored")).toArray().size(), 4); // chain, key, CSR, public key
        ::kill(static_cast<pid_t>(sim->processId()), SIGINT);
        QVERIFY(sim->waitForFinished(5000));
        QCOMPARE(sim->exitCode(), 0);
    }

    void deviceList_twoSimulators_bothListedAsUnits()
    {
        const QString a = m_dir.filePath(QStringLiteral("la")), b = m_dir.filePath(QStringLiteral("lb"));
        auto simA =
            startSimulator({QStringLiteral("--protocol"), QStringLiteral("station"), QStringLiteral("--link"), a});
        auto simB =
            startSimulator({QStringLiteral("--protocol"), QStringLiteral("nrf91"), QStringLiteral("--link"), b});
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(a) && QFileInfo::exists(b), 5000);
        int rc = -1;
        const QByteArray out = runProvctl({QStringLiteral("device"), QStringLiteral("list"), QStringLiteral("--json"),
                                           QStringLiteral("--port"), a, QStringLiteral("--port"), b},
                                          &rc);
        QCOMPARE(rc, 0);
        const QJsonArray list = QJsonDocument::fromJson(out).array();
        QStringList units;
        for (const QJsonValue &v : list)
            if (v.toObject().value(QStringLiteral("unit")).toBool() &&
                v.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("explicit"))
                units << v.toObject().value(QStringLiteral("path")).toString();
        QCOMPARE(units.size(), 2);
        QVERIFY(units.contains(a) && units.contains(b));
        const QByteArray nrf = runProvctl({QStringLiteral("device"), QStringLiteral("info"), QStringLiteral("--port"),
                                           b, QStringLiteral("--protocol"), QStringLiteral("nrf91")},
                                          &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(nrf.contains("imei:") && nrf.contains("mfw_nrf9160"), nrf.constData());
        simA->terminate();
        simB->terminate();
        QVERIFY(simA->waitForFinished(5000) && simB->waitForFinished(5000));
    }

    void simulateDevice_badFault_exitsWithUsageError()
    {
        int rc = -1;
        QProcess p;
        p.start(test::provctlPath(),
                {QStringLiteral("simulate-device"), QStringLiteral("--protocol"), QStringLiteral("station"),
                 QStringLiteral("--link"), m_dir.filePath(QStringLiteral("bad")), QStringLiteral("--fault"),
                 QStringLiteral("explode")});
        QVERIFY(p.waitForFinished(5000));
        rc = p.exitCode();
        QCOMPARE(rc, 2);
        QVERIFY(p.readAllStandardError().contains("Unknown fault 'explode'"));
    }

    void discovery_explicitPort_arrivesAfterSettleAndLeavesOnUnplug()
    {
        test::SimulatorFixture fx;
        DiscoveryConfig config;
        config.settleDelay = std::chrono::milliseconds(200);
        config.serialScanInterval = std::chrono::milliseconds(100);
        config.watchUsb = false;
        DeviceDiscovery discovery(config);
        // The machine's own serial ports arrive too; this test watches the explicit port only.
        QList<DiscoveredDevice> arrived, left;
        connect(&discovery, &DeviceDiscovery::deviceArrived, this, [&](const DiscoveredDevice &d) {
            if (d.kind == DiscoveredKind::ExplicitPort)
                arrived.append(d);
        });
        connect(&discovery, &DeviceDiscovery::deviceLeft, this, [&](const DiscoveredDevice &d) {
            if (d.kind == DiscoveredKind::ExplicitPort)
                left.append(d);
        });
        discovery.start();
        discovery.addPort(fx.linkOf(QStringLiteral("d")));
        QTest::qWait(300);
        QCOMPARE(arrived.size(), 0); // no such path yet

        SimulatorOptions o;
        o.faults = *FaultPlan::parse(QStringLiteral("disconnect-at=identify"));
        o.replugDelayMs = -1;
        QElapsedTimer t;
        t.start();
        QVERIFY(fx.start(Protocol::Station, QStringLiteral("d"), o));
        QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), 1, 3000);
        QVERIFY(t.elapsed() >= 200); // settled before it was reported
        const DiscoveredDevice device = arrived.first();
        QCOMPARE(device.kind, DiscoveredKind::ExplicitPort);
        QVERIFY(DeviceFilter{}.matches(device));

        auto d = fx.driver(Protocol::Station, QStringLiteral("d"));
        QVERIFY(await<void>([&](auto done) { d->open(done); }));
        QVERIFY(!await<DeviceIdentity>([&](auto done) { d->identify(done); })); // the unit unplugs
        QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, 3000);
        QVERIFY(discovery.devices().isEmpty() || !discovery.devices().contains(device));
    }

    void provctl_running_hasNoCoreDumpLimit()
    {
#ifndef Q_OS_LINUX
        QSKIP("reads /proc");
#else
        auto sim = startSimulator({QStringLiteral("--protocol"), QStringLiteral("station"), QStringLiteral("--link"),
                                   m_dir.filePath(QStringLiteral("hardened"))});
        QVERIFY(sim->waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(m_dir.filePath(QStringLiteral("hardened"))), 10000);
        QFile limits(QStringLiteral("/proc/%1/limits").arg(sim->processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = limits.readAll().split('\n');
        QByteArray core;
        for (const QByteArray &line : lines)
            if (line.startsWith("Max core file size"))
                core = line.simplified();
        QCOMPARE(core, QByteArray("Max core file size 0 0 bytes"));
        sim->terminate();
        QVERIFY(sim->waitForFinished(5000));
#endif
    }

    void discovery_stopWhileScanHangs_leavesThreadToFinishInsteadOfAborting()
    {
        auto scanning = std::make_shared<std::atomic<bool>>(false);
        DiscoveryConfig config;
        config.watchUsb = false;
        config.stopWait = std::chrono::milliseconds(100);
        config.listSerialPorts = [scanning] {
            *scanning = true;
            QThread::msleep(800); // a hung udev query
            return QList<DiscoveredDevice>{};
        };
        auto discovery = std::make_unique<DeviceDiscovery>(config);
        discovery->start();
        QTRY_VERIFY(scanning->load());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("did not stop within 100 ms")));
        discovery->stop(); // deleting the still-running QThread here would abort the process
        discovery.reset();
        QTest::qWait(1200); // the scan ends; thread and scanner delete themselves
    }

    void usbMonitor_opensOnlyDevicesTheFilterNames()
    {
        DeviceFilter f;
        f.usbIds.append(*DeviceFilter::parseVidPid(QStringLiteral("1915:910a")));
        f.usbIds.append(*DeviceFilter::parseVidPid(QStringLiteral("2fe3")));
        QVERIFY(UsbMonitor::opensDevice(f, 0x1915, 0x910a));
        QVERIFY(!UsbMonitor::opensDevice(f, 0x1915, 0x0001));
        QVERIFY(UsbMonitor::opensDevice(f, 0x2fe3, 0x1234));  // any product of the vendor
        QVERIFY(!UsbMonitor::opensDevice(f, 0x046d, 0xc52b)); // a mouse is never opened
        QVERIFY(!UsbMonitor::opensDevice(DeviceFilter{}, 0x1915, 0x910a));
    }

    void deviceFilter_vidPidAndNames()
    {
        DeviceFilter f;
        f.usbIds.append(*DeviceFilter::parseVidPid(QStringLiteral("1915:910a")));
        f.portNamePatterns.append(QStringLiteral("ttyACM*"));
        DiscoveredDevice nordic{QStringLiteral("serial:/dev/ttyUSB3"),
                                DiscoveredKind::SerialPort,
                                QStringLiteral("/dev/ttyUSB3"),
                                0x1915,
                                0x910a,
                                {},
                                {},
                                {},
                                {}};
        DiscoveredDevice acm{QStringLiteral("serial:/dev/ttyACM0"),
                             DiscoveredKind::SerialPort,
                             QStringLiteral("/dev/ttyACM0"),
                             0x2fe3,
                             0x0001,
                             {},
                             {},
                             {},
                             {}};
        DiscoveredDevice other{QStringLiteral("serial:/dev/ttyS0"),
                               DiscoveredKind::SerialPort,
                               QStringLiteral("/dev/ttyS0"),
                               0,
                               0,
                               {},
                               {},
                               {},
                               {}};
        QVERIFY(f.matches(nordic));
        QVERIFY(f.matches(acm));
        QVERIFY(!f.matches(other));
        QVERIFY(!DeviceFilter::parseVidPid(QStringLiteral("xyz")));
        QCOMPARE(DeviceFilter::parseVidPid(QStringLiteral("0x1915"))->productId, 0);
    }
};

QTEST_GUILESS_MAIN(TestSimulateDeviceProcess)
#include "tst_simulatedevice_process.moc"
