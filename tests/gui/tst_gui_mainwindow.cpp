// The operator screen driven as an operator drives it: the real MainWindow on a Station with the demo's
// in-process lab EST server and simulated units (DemoSetup), labels typed into the scan field with key
// clicks and Enter. A unit scanned ends in ✓ PASS with its serial; the faulty unit's tile shows ✕ FAIL with
// cause and remedy; a label that names no unit is answered with what to do; the scan field keeps the
// keyboard focus; screenshots at 1280x800 and 1920x1080 go to the build folder (gui-artifacts/).
#include "DemoSetup.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "ScanField.h"
#include "ShiftPanel.h"
#include "SlotGrid.h"
#include "Theme.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::ui;
using provisioning::JobState;

class TestGuiMainWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<app::DemoSetup> m_demo;
    std::unique_ptr<MainWindow> m_window;

    [[nodiscard]] int slotOf(const QString &serial) const
    {
        for (const provisioning::SlotInfo &s : m_demo->station()->allSlots()) {
            if (s.serial == serial)
                return s.index;
        }
        return -1;
    }

    void scan(const QString &text)
    {
        QLineEdit *edit = m_window->scanField()->lineEdit();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    }

    static QString labelText(QWidget *tile, const char *name)
    {
        auto *l = tile->findChild<QLabel *>(QString::fromLatin1(name));
        return l && l->isVisible() ? l->text() : QString();
    }

    void screenshot(int w, int h)
    {
        m_window->resize(w, h);
        QTRY_COMPARE(m_window->size(), QSize(w, h));
        QTest::qWait(100); // layout and re-polish
        const QString dir = QStringLiteral(STATION_BINARY_DIR "/gui-artifacts");
        QVERIFY(QDir().mkpath(dir));
        const QString path = QStringLiteral("%1/mainwindow-%2x%3.png").arg(dir).arg(w).arg(h);
        QVERIFY(m_window->grab().save(path));
        qInfo("screenshot %s", qPrintable(path));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        applyTheme(*qApp);
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        m_settings->setValue(QStringLiteral("sound/enabled"), false);
        app::DemoSetup::Options o;
        o.directory = m_dir.filePath(QStringLiteral("demo"));
        o.unitCount = 6;
        o.baudRate = 1000000;
        m_demo = std::make_unique<app::DemoSetup>(o);
        QSignalSpy ready(m_demo.get(), &app::DemoSetup::ready);
        QSignalSpy failed(m_demo.get(), &app::DemoSetup::failed);
        m_demo->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        m_window = std::make_unique<MainWindow>(m_settings.get());
        m_window->resize(1280, 800);
        m_window->setStation(m_demo->station(), m_demo->manifestPath());
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_demo->startStation();
        // Every unit identified and waiting for its label.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->slotGrid()->tileCount(), 6, 20000);
        for (int i = 0; i < 6; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(m_demo->station()->slotInfo(i).state, JobState::AwaitingScan, 20000);
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("Provisioning Station")));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_demo.reset();
    }

    void scanField_hasFocus_andTakesItBackFromATileOrButton()
    {
        QTRY_COMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
        QTest::mouseClick(m_window->slotGrid()->tile(1), Qt::LeftButton);
        QPushButton *f3 = nullptr;
        for (QPushButton *b : m_window->findChildren<QPushButton *>())
            f3 = b->text().startsWith(QStringLiteral("F3")) ? b : f3;
        QVERIFY(f3); // each action shows its key on the button
        QTest::mouseClick(f3, Qt::LeftButton);
        QTRY_COMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
        // F-keys work while the scan field has the focus; help is a message-bar line, not a dialog.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F2);
        QVERIFY(m_window->messageBar()->hasCondition(QStringLiteral("help")));
        QCOMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F2);
        QVERIFY(!m_window->messageBar()->hasCondition(QStringLiteral("help")));
        // F4 moves the selection the F5 cancel acts on.
        const int selected = m_window->slotGrid()->selected();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F4);
        QCOMPARE(m_window->slotGrid()->selected(), (selected + 1) % m_window->slotGrid()->tileCount());
    }

    void scan_unknownLabel_saysWhatToDo()
    {
        scan(QStringLiteral("SN-NOT-ATTACHED"));
        const QString answer = m_window->scanField()->answerText();
        // "No attached unit has serial SN-NOT-ATTACHED (waiting: ...). Scan the label of a unit in a slot."
        QVERIFY2(answer.contains(QStringLiteral("SN-NOT-ATTACHED")) &&
                     answer.contains(QStringLiteral("Scan the label")),
                 qPrintable(answer));
        QVERIFY(m_window->scanField()->lineEdit()->text().isEmpty());
        QCOMPARE(m_demo->station()->activeJobs(), 6); // nothing started, nothing failed
    }

    void scan_healthyUnit_tileEndsInPassWithSerial()
    {
        const int slot = slotOf(QStringLiteral("SN-DEMO-0001"));
        QVERIFY(slot >= 0);
        scan(QStringLiteral("SN-DEMO-0001"));
        QVERIFY2(m_window->scanField()->answerText().contains(QStringLiteral("provisioning")),
                 qPrintable(m_window->scanField()->answerText()));
        SlotTile *tile = m_window->slotGrid()->tile(slot);
        QTRY_COMPARE_WITH_TIMEOUT(tile->look().look, TileLook::Pass, 30000);
        QCOMPARE(labelText(tile, "serial"), QStringLiteral("SN-DEMO-0001"));
        QVERIFY2(labelText(tile, "result").contains(QStringLiteral("PASS")), qPrintable(tile->text()));
        // A shape, not colour alone: the check-mark icon beside the word, and the glyph in the tile's text.
        QVERIFY(!tile->findChild<QLabel *>(QStringLiteral("icon"))->pixmap().isNull());
        QVERIFY(tile->text().contains(QChar(0x2713)));
        QCOMPARE(m_window->slotGrid()->selected(), slot);
        QCOMPARE(m_window->shiftPanel()->tally().passed(), 1);
        QVERIFY(m_window->shiftPanel()->recentEvents().first().contains(QStringLiteral("SN-DEMO-0001")));
        QCOMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
    }

    void scan_nrf91Unit_passes()
    {
        const int slot = slotOf(QStringLiteral("357179926429805"));
        QVERIFY(slot >= 0);
        scan(QStringLiteral("357179926429805"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->slotGrid()->tile(slot)->look().look, TileLook::Pass, 30000);
    }

    void scan_faultyUnit_tileShowsFailWithCauseAndRemedy()
    {
        const int slot = slotOf(QStringLiteral("SN-DEMO-0004"));
        QVERIFY(slot >= 0);
        scan(QStringLiteral("SN-DEMO-0004"));
        SlotTile *tile = m_window->slotGrid()->tile(slot);
        QTRY_COMPARE_WITH_TIMEOUT(tile->look().look, TileLook::Fail, 30000);
        const auto result = m_demo->station()->slotInfo(slot).result;
        QVERIFY(result && !result->passed());
        QVERIFY(!result->message.cause.isEmpty() && !result->message.remedy.isEmpty());
        QVERIFY2(labelText(tile, "result").contains(QStringLiteral("FAIL")), qPrintable(tile->text()));
        QVERIFY(!tile->findChild<QLabel *>(QStringLiteral("icon"))->pixmap().isNull());
        QVERIFY(tile->text().contains(QChar(0x2715)));
        QCOMPARE(labelText(tile, "cause"), result->message.cause);
        QCOMPARE(labelText(tile, "remedy"), result->message.remedy);
        QCOMPARE(m_window->shiftPanel()->tally().failed(), 1);
    }

    void screenshots_at1280x800and1920x1080_resultWordLarge()
    {
        // The rest of the bench, so the picture has every look: PASS, FAIL and a unit still waiting.
        scan(QStringLiteral("SN-DEMO-0002"));
        const int slot = slotOf(QStringLiteral("SN-DEMO-0002"));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->slotGrid()->tile(slot)->look().look, TileLook::Pass, 30000);
        screenshot(1280, 800);
        screenshot(1920, 1080);
        const int pass = slotOf(QStringLiteral("SN-DEMO-0001"));
        auto *result = m_window->slotGrid()->tile(pass)->findChild<QLabel *>(QStringLiteral("result"));
        QVERIFY(result);
        QVERIFY2(result->font().pixelSize() >= 48, qPrintable(QString::number(result->font().pixelSize())));
        QVERIFY(result->width() >= QFontMetrics(result->font()).horizontalAdvance(result->text())); // not cut off
    }

    void geometry_rememberedInSettings()
    {
        m_window->resize(1500, 900);
        QTRY_COMPARE(m_window->size(), QSize(1500, 900));
        m_window->close();
        MainWindow again(m_settings.get());
        QCOMPARE(again.size(), QSize(1500, 900));
    }

    void columnsFor_reflowsOneTo24Slots_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("grid area at 1280x800") << 950 << 560;
        QTest::newRow("grid area at 1920x1080") << 1500 << 800;
    }
    void columnsFor_reflowsOneTo24Slots()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        for (int count = 1; count <= 24; ++count) {
            const int cols = SlotGrid::columnsFor(count, width, height);
            const int rows = (count + cols - 1) / cols;
            QVERIFY(cols >= 1 && cols * rows >= count);
            QVERIFY2((cols - 1) * rows < count, qPrintable(QString::number(count))); // no empty column
            const double aspect = (double(width) / cols) / (double(height) / rows);
            QVERIFY2(aspect > 0.6 && aspect < 2.5, qPrintable(QStringLiteral("%1 slots: %2").arg(count).arg(aspect)));
        }
        QCOMPARE(SlotGrid::columnsFor(6, width, height), 3); // the demo's bench: 3 x 2
    }
};

QTEST_MAIN(TestGuiMainWindow)
#include "tst_gui_mainwindow.moc"
