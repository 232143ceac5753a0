// The operator screen on a real bench: the MainWindow on a Station wired as provctl wires it (discovery of
// explicit ports, the profile's drivers), the lab EST server as a process, nine simulated units on real
// pseudo-terminals, a real SQLite manifest. Eight units at once all reach ✓ PASS; the ninth unplugs
// itself in the middle of its key generation, and its tile turns ✕ FAIL with the cause and remedy while
// the others carry on; a fresh unit plugged into that port then passes on the same tile.
#include "MainWindow.h"
#include "SlotGrid.h"
#include "SlotTile.h"
#include "Theme.h"

#include "LabServerProcess.h"
#include "ProvisioningTestKit.h"

#include <QApplication>
#include <QLabel>
#include <QSettings>

using namespace station;
using namespace station::test;
using namespace station::ui;

class TestGuiStation : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    LabServerProcess m_lab;

    static QString labelText(QWidget *tile, const char *name)
    {
        auto *l = tile->findChild<QLabel *>(QString::fromLatin1(name));
        return l && l->isVisible() ? l->text() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        applyTheme(*qApp);
        QVERIFY2(m_lab.start({}, m_dir.filePath(QStringLiteral("lab"))), qPrintable(m_lab.errorText()));
    }

    void eightUnitsPass_anUnplugMidJobFailsItsTileOnly_andTheNextUnitPasses()
    {
        ProfileKnobs k;
        k.url = m_lab.baseUrl().toString();
        k.trustFile = m_lab.file(QStringLiteral("ca.pem"));
        k.clientCert = m_lab.file(QStringLiteral("bootstrap-cert.pem"));
        k.clientKey = m_lab.file(QStringLiteral("bootstrap-key.pem"));
        k.start = QStringLiteral("auto"); // no scan: each unit starts when it is plugged in
        auto profile = writeProfile(k, m_dir.filePath(QStringLiteral("bench.json")));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().toString()));
        const QString manifestPath = m_dir.filePath(QStringLiteral("bench.sqlite"));
        auto manifest = manifest::Manifest::open(manifestPath);
        QVERIFY(manifest);

        SimulatorFixture sims;
        QStringList links;
        for (int i = 0; i < 9; ++i) {
            drivers::SimulatorOptions o;
            o.replugDelayMs = -1;
            if (i == 8)
                o.faults.disconnectAt = QStringLiteral("keygen"); // pulled out while it makes its key
            QVERIFY(sims.start(drivers::Protocol::Station, QStringLiteral("bench%1").arg(i), o));
            links << sims.linkOf(QStringLiteral("bench%1").arg(i));
        }
        drivers::DiscoveryConfig dc;
        dc.explicitPorts = links;
        dc.watchUsb = false;
        dc.settleDelay = std::chrono::milliseconds(50);
        dc.watchSerial = false; // the units are pseudo-terminals: the system's ttys are of no interest
        drivers::DeviceDiscovery discovery(dc);
        provisioning::StationConfig sc;
        sc.operatorName = QStringLiteral("tester");
        sc.stationId = QStringLiteral("gui-bench");
        provisioning::Station station(*profile, sc, &discovery, drivers::profileDriverProvider(), manifest->get());

        QSettings settings(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("sound/enabled"), false);
        MainWindow window(&settings);
        window.resize(1920, 1080);
        window.setStation(&station, manifestPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        station.start();
        discovery.start();

        // The unplugged unit's tile: FAIL with what happened and what to do.
        SlotGrid *grid = window.slotGrid();
        QTRY_COMPARE_WITH_TIMEOUT(grid->tileCount(), 9, 30000);
        const auto slotOfLink = [&station](const QString &link) {
            for (const provisioning::SlotInfo &s : station.allSlots())
                if (s.portPath.endsWith(link) || s.portId.endsWith(link))
                    return s.index;
            return -1;
        };
        const auto waitResult = [&](int slot) {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 120000 && !station.slotInfo(slot).result)
                QTest::qWait(20);
            return station.slotInfo(slot).result;
        };
        int pulled = slotOfLink(links.last());
        QTRY_VERIFY_WITH_TIMEOUT((pulled = slotOfLink(links.last())) >= 0, 30000);
        const auto pulledResult = waitResult(pulled);
        QVERIFY(pulledResult && !pulledResult->passed());
        QCOMPARE(pulledResult->failure, provisioning::JobFailure::DeviceUnplugged);
        SlotTile *pulledTile = grid->tile(pulled);
        QTRY_COMPARE(pulledTile->look().look, TileLook::Fail);
        QVERIFY2(labelText(pulledTile, "result").contains(QStringLiteral("FAIL")), qPrintable(pulledTile->text()));
        QCOMPARE(labelText(pulledTile, "cause"), pulledResult->message.cause);
        QVERIFY(!labelText(pulledTile, "remedy").isEmpty());

        // The eight others all pass, each on its own tile.
        QSet<QString> serials;
        for (int i = 0; i < 8; ++i) {
            const int slot = slotOfLink(links.at(i));
            QVERIFY2(slot >= 0, qPrintable(links.at(i)));
            const auto r = waitResult(slot);
            QVERIFY2(r && r->passed(), r ? qPrintable(r->message.text() + QStringLiteral(" / ") + r->detail) : "none");
            QTRY_COMPARE(grid->tile(slot)->look().look, TileLook::Pass);
            serials.insert(labelText(grid->tile(slot), "serial"));
        }
        QCOMPARE(serials.size(), 8);

        // A new unit in the port the pulled one left: the same tile, and it passes.
        drivers::SimulatorOptions fresh;
        fresh.replugDelayMs = -1;
        QVERIFY(sims.start(drivers::Protocol::Station, QStringLiteral("bench8"), fresh));
        QTRY_VERIFY_WITH_TIMEOUT(grid->tile(pulled)->look().look == TileLook::Pass, 60000);
        QCOMPARE(slotOfLink(links.last()), pulled);
        QCOMPARE(grid->tileCount(), 9);
        window.grab().save(QStringLiteral(STATION_BINARY_DIR "/gui-artifacts/bench-9-units.png"));

        auto report = (*manifest)->verify();
        QVERIFY(report && report->ok());
        discovery.stop();
    }
};

QTEST_MAIN(TestGuiStation)
#include "tst_gui_station.moc"
