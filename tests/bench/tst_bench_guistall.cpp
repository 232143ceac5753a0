// Benchmark (label bench): how responsive the operator screen stays while 16 units provision at once.
// The real MainWindow on the demo's station (in-process lab EST server and 16 simulated units at
// 115200 baud on their own thread, as `provstation --demo` runs them); a timer on the GUI thread ticks
// every 5 ms and the longest gap between ticks is the longest event-loop stall (target <= 50 ms).
//  1. Production view: the 16 labels typed into the scan field, 100 ms apart, as a scanner would.
//  2. The same with the manifest browser open (F10), refreshing as each job finishes.
#include "EventLoopProbe.h"

#include "DemoSetup.h"
#include "MainWindow.h"
#include "ManifestBrowser.h"
#include "ManifestModel.h"
#include "ScanField.h"
#include "SlotGrid.h"
#include "Theme.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using provisioning::JobState;

namespace {

constexpr int kUnits = 16;
constexpr double kStallTargetMs = 50;

} // namespace

class BenchGuiStall : public QObject
{
    Q_OBJECT
private:
    struct Run {
        double longestMs = -1;
        double longestCpuMs = -1;
        double p99Ms = 0;
        int over = 0;
        int ticks = 0;
        qint64 wallMs = 0;
        int passed = 0;
        int failed = 0;
        int browserRows = 0;
    };

    Run run(bool browserOpen)
    {
        Run out;
        QTemporaryDir dir;
        if (!dir.isValid())
            return out;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("sound/enabled"), false);
        app::DemoSetup::Options o;
        o.directory = dir.filePath(QStringLiteral("demo"));
        o.unitCount = kUnits; // station units, one nRF91 modem, one unit whose key generation fails
        app::DemoSetup demo(o);
        QSignalSpy ready(&demo, &app::DemoSetup::ready);
        QSignalSpy failed(&demo, &app::DemoSetup::failed);
        demo.start();
        if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, 60000) || !failed.isEmpty())
            return out;
        ui::MainWindow window(&settings);
        window.resize(1280, 800);
        window.setStation(demo.station(), demo.manifestPath());
        window.show();
        window.activateWindow();
        if (!QTest::qWaitForWindowActive(&window))
            return out;
        demo.startStation();
        const auto allWaiting = [&] {
            if (window.slotGrid()->tileCount() != kUnits)
                return false;
            for (int i = 0; i < kUnits; ++i) {
                if (demo.station()->slotInfo(i).state != JobState::AwaitingScan)
                    return false;
            }
            return true;
        };
        if (!QTest::qWaitFor(allWaiting, 120000))
            return out;
        if (browserOpen)
            window.toggleBrowser();

        test::EventLoopProbe probe(5);
        probe.start();
        QElapsedTimer clock;
        clock.start();
        for (const app::DemoUnit &u : demo.world().units) {
            if (browserOpen) {
                demo.station()->scan(u.serial); // the scan field is off while the browser has the keyboard
            } else {
                QTest::keyClicks(window.scanField()->lineEdit(), u.serial);
                QTest::keyClick(window.scanField()->lineEdit(), Qt::Key_Return);
            }
            QTest::qWait(100);
        }
        const auto allDone = [&] {
            for (int i = 0; i < kUnits; ++i) {
                if (!demo.station()->slotInfo(i).result)
                    return false;
            }
            return true;
        };
        const bool done = QTest::qWaitFor(allDone, 300000);
        out.wallMs = clock.elapsed();
        ui::ManifestModel *model = window.manifestBrowser()->model();
        const auto finishedRows = [model] {
            int n = 0;
            for (int i = 0; i < model->rowCount(); ++i)
                n += model->rowAt(i)->finished ? 1 : 0;
            return n;
        };
        if (browserOpen) // the last results come in from the browser's worker
            (void)QTest::qWaitFor([&] { return finishedRows() == kUnits; }, 5000);
        probe.stop();
        if (!done)
            return out;
        for (int i = 0; i < kUnits; ++i)
            (demo.station()->slotInfo(i).result->passed() ? out.passed : out.failed)++;
        out.longestMs = probe.longestGapMs();
        out.longestCpuMs = probe.longestGapCpuMs();
        out.p99Ms = probe.quantileMs(0.99);
        out.over = probe.gapsOver(kStallTargetMs);
        out.ticks = probe.ticks();
        out.browserRows = finishedRows();
        return out;
    }

    static void report(const QString &what, const Run &r)
    {
        qInfo().noquote() << QStringLiteral(
                                 "%1: %2 units (%3 PASS, %4 FAIL) in %5 ms; longest GUI-thread stall "
                                 "%6 ms (%12 ms of it on the GUI thread's CPU), p99 %7 ms, %8 of %9 ticks over "
                                 "%10 ms; finished rows in the browser %11")
                                 .arg(what)
                                 .arg(r.passed + r.failed)
                                 .arg(r.passed)
                                 .arg(r.failed)
                                 .arg(r.wallMs)
                                 .arg(r.longestMs, 0, 'f', 1)
                                 .arg(r.p99Ms, 0, 'f', 1)
                                 .arg(r.over)
                                 .arg(r.ticks)
                                 .arg(kStallTargetMs, 0, 'f', 0)
                                 .arg(r.browserRows)
                                 .arg(r.longestCpuMs, 0, 'f', 1);
    }

private slots:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.info=false"));
        ui::applyTheme(*qApp);
    }

    void sixteenSlots_productionView()
    {
        const Run r = run(false);
        QVERIFY2(r.longestMs >= 0, "the 16-unit run did not complete");
        report(QStringLiteral("production view"), r);
        QCOMPARE(r.passed + r.failed, kUnits);
        QVERIFY2(r.longestMs <= kStallTargetMs, qPrintable(QString::number(r.longestMs)));
    }

    void sixteenSlots_manifestBrowserOpen()
    {
        const Run r = run(true);
        QVERIFY2(r.longestMs >= 0, "the 16-unit run did not complete");
        report(QStringLiteral("manifest browser open"), r);
        QCOMPARE(r.passed + r.failed, kUnits);
        QCOMPARE(r.browserRows, kUnits);
        QVERIFY2(r.longestMs <= kStallTargetMs, qPrintable(QString::number(r.longestMs)));
    }
};

QTEST_MAIN(BenchGuiStall)
#include "tst_bench_guistall.moc"
