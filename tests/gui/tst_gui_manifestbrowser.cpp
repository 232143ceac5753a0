// The manifest browser with real widgets on real SQLite files, offscreen.
//  - On a generated manifest (2,000 finished rows, a valid hash chain): the model fetches in pages
//    (rowCount before and after fetchMore), Ctrl+End shows the oldest attempt and scrolling up fetches
//    newer pages, the window stays bounded, the filters (result, serial, date) show exactly the rows that
//    match, and the details pane shows a row's certificate fields.
//  - End to end on the demo's station (in-process lab EST server, simulated units) under the real
//    MainWindow: F10 opens the browser and Esc brings the production view back with the scan field
//    focused; a unit provisioned while the browser is open shows up as a new row with its certificate;
//    Ctrl+C copies the PEM; a failed unit's row shows its error. A screenshot of the browser goes to
//    gui-artifacts/.
#include "DemoSetup.h"
#include "MainWindow.h"
#include "ManifestBrowser.h"
#include "ManifestFilterBar.h"
#include "ManifestGenerator.h"
#include "ManifestModel.h"
#include "ScanField.h"
#include "SlotGrid.h"
#include "SlotTile.h"
#include "TestPki.h"
#include "Theme.h"
#include "UnitDetails.h"

#include "crypto/Certificate.h"
#include "manifest/Manifest.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::ui;
using manifest::Outcome;
using provisioning::JobState;

namespace {

constexpr qint64 kRows = 2000;

QString artifactDir()
{
    const QString dir = QStringLiteral(STATION_BINARY_DIR "/gui-artifacts");
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestGuiManifestBrowser : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_generated;
    test::ManifestGeneratorOptions m_options;

    /// A browser on the generated manifest, shown, its first page loaded.
    std::unique_ptr<ManifestBrowser> openGenerated()
    {
        auto b = std::make_unique<ManifestBrowser>();
        b->setSizes(ThemeSizes::forHeight(800));
        b->resize(1280, 760);
        b->setManifestPath(m_generated);
        b->show();
        return b;
    }

    static bool loaded(const ManifestBrowser &b) { return b.model()->isLoaded() && !b.model()->isLoadingWindow(); }

    /// The ids in the window, top to bottom.
    static QList<qint64> ids(const ManifestModel &m)
    {
        QList<qint64> out;
        for (int i = 0; i < m.rowCount(); ++i)
            out << m.idAt(i);
        return out;
    }

    static bool contiguousDescending(const QList<qint64> &ids)
    {
        for (int i = 1; i < ids.size(); ++i) {
            if (ids[i] != ids[i - 1] - 1)
                return false;
        }
        return true;
    }

    qint64 expectedCount(std::optional<Outcome> outcome, const QDateTime &since = {}) const
    {
        qint64 n = 0;
        for (qint64 id = 1; id <= kRows; ++id) {
            const bool outcomeOk = !outcome || test::generatedOutcome(id, m_options) == *outcome;
            const QDateTime started = m_options.firstStart.addSecs(id * m_options.secondsBetweenUnits);
            n += outcomeOk && (!since.isValid() || started >= since) ? 1 : 0;
        }
        return n;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        applyTheme(*qApp);
        m_generated = m_dir.filePath(QStringLiteral("generated.sqlite"));
        m_options.rows = kRows;
        m_options.secondsBetweenUnits = 600; // 2,000 attempts over two weeks, for the date filter
        auto g = test::generateManifest(m_generated, m_options);
        QVERIFY2(g, g ? "" : qPrintable(g.error().toString()));
        // The generator writes what the station writes: the manifest's own check accepts the chain.
        auto m = manifest::Manifest::open(m_generated, manifest::Manifest::Access::ReadOnly);
        QVERIFY(m);
        auto report = (*m)->verify();
        QVERIFY(report);
        QVERIFY(report->ok());
        QCOMPARE(report->finishedRows, kRows);
    }

    void model_fetchesLazilyInPages()
    {
        auto b = openGenerated();
        ManifestModel *m = b->model();
        QTRY_VERIFY(loaded(*b));
        QCOMPARE(m->rowCount(), m->pageSize()); // one page, not the file
        QCOMPARE(m->idAt(0), kRows);            // newest first
        QVERIFY(m->canFetchMore({}));
        const int before = m->rowCount();
        m->fetchMore({});
        QVERIFY(!m->canFetchMore({})); // one page at a time
        QTRY_COMPARE(m->rowCount(), before + m->pageSize());
        QVERIFY(contiguousDescending(ids(*m)));
        QVERIFY(m->atNewest());
        QVERIFY(!m->atOldest());
        QTRY_VERIFY(b->statusText().contains(QStringLiteral("2,000")) ||
                    b->statusText().contains(QStringLiteral("2000")));
    }

    void table_scrolledToTheBottom_fetchesTheNextPage()
    {
        auto b = openGenerated();
        QTRY_VERIFY(loaded(*b));
        const int before = b->model()->rowCount();
        b->table()->scrollToBottom(); // as the view's own lazy fetching does when the last row comes into view
        QTRY_VERIFY(b->model()->rowCount() > before);
    }

    void ctrlEnd_showsTheOldest_andScrollingUpFetchesNewer()
    {
        auto b = openGenerated();
        ManifestModel *m = b->model();
        QTRY_VERIFY(loaded(*b));
        b->focusTable();
        QTest::keyClick(b->table(), Qt::Key_End, Qt::ControlModifier);
        QTRY_COMPARE(m->idAt(b->table()->currentIndex().row()), qint64(1));
        QVERIFY(m->atOldest());
        QVERIFY(!m->atNewest());
        QCOMPARE(m->rowCount(), m->pageSize());
        QTRY_COMPARE(b->shownId(), qint64(1)); // the details follow the selection
        // Up at the top of the window: the next newer page comes in above and the selection stays put.
        const qint64 topBefore = m->idAt(0);
        b->table()->scrollToTop();
        QTRY_COMPARE(m->rowCount(), 2 * m->pageSize());
        QCOMPARE(m->idAt(0), topBefore + m->pageSize());
        QVERIFY(contiguousDescending(ids(*m)));
        QCOMPARE(m->idAt(b->table()->currentIndex().row()), qint64(1));
        // Ctrl+Home: the newest again.
        QTest::keyClick(b->table(), Qt::Key_Home, Qt::ControlModifier);
        QTRY_COMPARE(m->idAt(b->table()->currentIndex().row()), kRows);
        QVERIFY(m->atNewest());
    }

    void window_staysBounded_andDropsTheFarEnd()
    {
        auto b = openGenerated();
        ManifestModel *m = b->model();
        m->setMaxRows(2 * m->pageSize());
        QTRY_VERIFY(loaded(*b));
        for (int i = 0; i < 3; ++i) {
            QTRY_VERIFY(m->canFetchMore({}));
            const qint64 last = m->idAt(m->rowCount() - 1);
            b->table()->scrollToBottom(); // the view asks for the next page, as when the operator scrolls down
            const qint64 seen = m->idAt(b->table()->rowAt(0));
            QTRY_COMPARE(m->idAt(m->rowCount() - 1), last - m->pageSize());
            // What the operator looked at stays where it was (give or take the partly hidden top row of a view
            // scrolled to its very bottom), also when the window drops its top page.
            const qint64 now = m->idAt(b->table()->rowAt(0));
            QVERIFY2(qAbs(now - seen) <= 1, qPrintable(QStringLiteral("%1 -> %2").arg(seen).arg(now)));
        }
        QCOMPARE(m->rowCount(), m->maxRows());
        QCOMPARE(m->idAt(0), kRows - 2 * m->pageSize()); // the top pages were dropped ...
        QVERIFY(!m->atNewest());                         // ... and can be fetched again
        QVERIFY(m->canFetchNewer());
        b->table()->scrollToTop(); // scrolling up fetches the newer page again
        QTRY_COMPARE(m->idAt(0), kRows - m->pageSize());
        QCOMPARE(m->rowCount(), m->maxRows());
        QVERIFY(contiguousDescending(ids(*m)));
    }

    void filter_byResult_showsOnlyThatResult()
    {
        auto b = openGenerated();
        QTRY_VERIFY(loaded(*b));
        b->filterBar()->setResult(ManifestFilterBar::Result::Incomplete);
        QTRY_VERIFY(loaded(*b) && b->model()->rowCount() > 0 && b->model()->rowAt(0)->outcome == Outcome::Incomplete);
        QCOMPARE(b->model()->rowCount(), int(expectedCount(Outcome::Incomplete)));
        for (int i = 0; i < b->model()->rowCount(); ++i)
            QCOMPARE(b->model()->rowAt(i)->outcome, Outcome::Incomplete);
        QVERIFY(b->model()->atOldest());

        b->filterBar()->setResult(ManifestFilterBar::Result::Fail);
        QTRY_VERIFY(loaded(*b) && b->model()->rowAt(0) && b->model()->rowAt(0)->outcome == Outcome::Fail);
        QCOMPARE(b->model()->rowCount(), int(expectedCount(Outcome::Fail)));
        const QString text =
            b->model()->data(b->model()->index(0, ManifestModel::ResultColumn), Qt::DisplayRole).toString();
        QVERIFY2(text.contains(QStringLiteral("FAIL")) && text.contains(QChar(0x2715)), qPrintable(text));
        const QString why =
            b->model()->data(b->model()->index(0, ManifestModel::StepColumn), Qt::DisplayRole).toString();
        QVERIFY2(why.contains(QStringLiteral("could not generate its key")), qPrintable(why));
        QTRY_VERIFY2(b->statusText().contains(QString::number(expectedCount(Outcome::Fail))),
                     qPrintable(b->statusText()));
    }

    void filter_bySerial_typedInTheFilterBar()
    {
        auto b = openGenerated();
        QTRY_VERIFY(loaded(*b));
        const QString serial = test::generatedSerial(1234);
        QLineEdit *edit = b->filterBar()->serialEdit();
        b->focusTable();
        QTest::keyClick(b->table(), Qt::Key_S, Qt::AltModifier); // Alt+S: the serial field
        QTRY_COMPARE(QApplication::focusWidget(), edit);
        QTest::keyClicks(edit, serial);
        QTest::keyClick(edit, Qt::Key_Return); // as a scanner ends a label
        QTRY_VERIFY(loaded(*b) && b->model()->rowCount() == 1);
        QCOMPARE(QApplication::focusWidget(), b->table()); // Enter moved on to the results
        QCOMPARE(b->model()->rowAt(0)->serial, serial);
        QCOMPARE(b->model()->idAt(0), qint64(1234));
        // The clear button (emptying the field) shows every row again.
        edit->clear();
        QTRY_VERIFY(loaded(*b) && b->model()->rowCount() == b->model()->pageSize());
    }

    void filter_bySinceDate_showsTheAttemptsFromThatDayOn()
    {
        auto b = openGenerated();
        QTRY_VERIFY(loaded(*b));
        // The generated attempts start on 2024-01-08 06:00 UTC, one every 10 minutes for two weeks.
        const QDate day(2024, 1, 15);
        b->filterBar()->setSinceDate(day);
        b->filterBar()->setPeriod(ManifestFilterBar::Period::SinceDate);
        const QDateTime since = QDateTime(day, QTime(0, 0)).toUTC();
        QTRY_VERIFY(loaded(*b) && b->model()->filter().since == since);
        const qint64 expected = expectedCount(std::nullopt, since);
        QVERIFY(expected > b->model()->pageSize() && expected < kRows);
        // Every row shown is on or after the date; all of them, page after page, are the expected number.
        while (b->model()->canFetchMore({})) {
            b->model()->fetchMore({});
            QTRY_VERIFY(!b->model()->isLoading());
        }
        QCOMPARE(b->model()->rowCount(), int(expected));
        for (int i = 0; i < b->model()->rowCount(); ++i)
            QVERIFY(b->model()->rowAt(i)->startedAt >= since);
        QVERIFY(b->model()->atOldest());
        // "Any time" again: every attempt.
        b->filterBar()->setPeriod(ManifestFilterBar::Period::Any);
        QTRY_VERIFY(loaded(*b) && !b->model()->filter().since.isValid());
        QVERIFY(!b->model()->atOldest());
    }

    void details_showTheCertificateFields()
    {
        auto b = openGenerated();
        QTRY_VERIFY(loaded(*b));
        // Row 3 is a PASS (every 50th fails, every 997th is cut off).
        const qint64 id = kRows - 2;
        QCOMPARE(test::generatedOutcome(id, m_options), Outcome::Pass);
        b->focusTable();
        QTest::keyClick(b->table(), Qt::Key_Down);
        QTest::keyClick(b->table(), Qt::Key_Down);
        QTRY_COMPARE(b->shownId(), id);
        UnitDetails *d = b->details();
        auto cert = crypto::Certificate::fromPem(d->record()->certPem.toUtf8());
        QVERIFY(cert);
        QCOMPARE(d->field(QStringLiteral("certSubject")), cert->subject().toString());
        QCOMPARE(d->field(QStringLiteral("certIssuer")), cert->issuer().toString());
        QCOMPARE(d->field(QStringLiteral("certSerial")), cert->serialHex());
        QVERIFY(d->field(QStringLiteral("certFingerprint"))
                    .remove(QLatin1Char('\n'))
                    .startsWith(cert->fingerprintSha256Colon().left(40)));
        QVERIFY(!d->field(QStringLiteral("certFingerprint")).contains(QChar(0x26A0))); // it matches the PEM
        QVERIFY(d->field(QStringLiteral("certValidity"))
                    .contains(cert->notAfter().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))));
        QVERIFY(d->pemText().startsWith(QStringLiteral("-----BEGIN CERTIFICATE-----")));
        QVERIFY2(d->evidenceText().contains(QStringLiteral("\"verified\": true")), qPrintable(d->evidenceText()));
        QCOMPARE(d->field(QStringLiteral("serial")), test::generatedSerial(id));
        QVERIFY(d->field(QStringLiteral("errorCode")).isEmpty());
        // A FAIL row: the code, the operator's message and the detail, no certificate.
        const qint64 failId = 1950;
        b->filterBar()->setSerial(test::generatedSerial(failId));
        QTRY_VERIFY(loaded(*b) && b->model()->rowCount() == 1);
        QTRY_COMPARE(b->shownId(), failId);
        QCOMPARE(d->field(QStringLiteral("errorCode")), QStringLiteral("keygen-failed"));
        QVERIFY(d->field(QStringLiteral("errorMessage")).contains(QStringLiteral("Set the unit aside")));
        QVERIFY(!d->field(QStringLiteral("errorDetail")).isEmpty());
        QVERIFY(d->pemText().isEmpty());
    }

    void refresh_afterAJobFinished_showsTheNewRowAndItsResult()
    {
        // A station writing (its own read-write manifest) while the browser reads the same file.
        const QString path = m_dir.filePath(QStringLiteral("live.sqlite"));
        test::ManifestGeneratorOptions o;
        o.rows = 300;
        QVERIFY(test::generateManifest(path, o));
        auto writer = manifest::Manifest::open(path);
        QVERIFY(writer);
        auto b = std::make_unique<ManifestBrowser>();
        b->setSizes(ThemeSizes::forHeight(800));
        b->resize(1280, 760);
        b->setManifestPath(path);
        b->show();
        QTRY_VERIFY(loaded(*b));
        ManifestModel *m = b->model();
        QCOMPARE(m->idAt(0), qint64(300));
        b->table()->setCurrentIndex(m->index(0, 0));

        // A unit identified: its open row comes in at the top, in progress.
        manifest::ManifestRecord r;
        r.serial = QStringLiteral("SN-LIVE-1");
        r.operatorName = QStringLiteral("tester");
        r.stationId = QStringLiteral("bench-1");
        r.step = QStringLiteral("identifying");
        auto id = (*writer)->begin(r);
        QVERIFY(id);
        b->attemptFinished(0); // another slot's job ended
        QTRY_COMPARE(m->idAt(0), *id);
        QVERIFY(!m->rowAt(0)->finished);
        QVERIFY(m->data(m->index(0, ManifestModel::ResultColumn), Qt::DisplayRole)
                    .toString()
                    .contains(QStringLiteral("in progress")));
        QCOMPARE(m->idAt(b->table()->currentIndex().row()), qint64(300)); // the selection stays on its row

        // It passes: the row is read again and shows PASS with its certificate.
        auto pki = test::TestPki::create();
        QVERIFY(pki);
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key);
        auto cert = pki->issue(*key, QStringLiteral("SN-LIVE-1"));
        QVERIFY(cert);
        r.outcome = Outcome::Pass;
        r.step = QStringLiteral("passed");
        r.certPem = QString::fromLatin1(cert->toPem());
        r.certFingerprint = cert->fingerprintSha256();
        r.certSerial = cert->serialHex();
        r.certSubject = cert->subject().toString();
        r.certIssuer = cert->issuer().toString();
        r.certNotBefore = cert->notBefore();
        r.certNotAfter = cert->notAfter();
        QVERIFY((*writer)->finish(r));
        b->table()->setCurrentIndex(m->index(0, 0));
        QTRY_COMPARE(b->shownId(), *id);
        b->attemptFinished(*id);
        QTRY_VERIFY(m->rowAt(0)->finished);
        QCOMPARE(m->rowAt(0)->outcome, Outcome::Pass);
        QCOMPARE(m->rowAt(0)->certSerial, cert->serialHex());
        QTRY_COMPARE(b->details()->field(QStringLiteral("certSerial")), cert->serialHex()); // the pane follows
        QCOMPARE(b->details()->field(QStringLiteral("certSubject")), cert->subject().toString());
        QCOMPARE(m->rowCount(), 201);

        // Scrolled down, a new attempt does not move what the operator is reading.
        b->table()->scrollTo(m->index(100, 0), QAbstractItemView::PositionAtTop);
        const qint64 topId = m->idAt(b->table()->rowAt(0));
        manifest::ManifestRecord next;
        next.serial = QStringLiteral("SN-LIVE-2");
        QVERIFY((*writer)->begin(next));
        b->attemptFinished(0);
        QTRY_COMPARE(m->rowCount(), 202);
        QCOMPARE(m->idAt(b->table()->rowAt(0)), topId);
    }

    void endToEnd_browserShowsTheNewRowAndItsCertificate()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("sound/enabled"), false);
        app::DemoSetup::Options o;
        o.directory = dir.filePath(QStringLiteral("demo"));
        o.unitCount = 5; // SN-DEMO-0001..0003, the nRF91 modem, and SN-DEMO-0004 whose key generation fails
        o.baudRate = 1000000;
        app::DemoSetup demo(o);
        QSignalSpy ready(&demo, &app::DemoSetup::ready);
        QSignalSpy failed(&demo, &app::DemoSetup::failed);
        demo.start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        MainWindow window(&settings);
        window.resize(1280, 800);
        window.setStation(demo.station(), demo.manifestPath());
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        demo.startStation();
        QTRY_COMPARE_WITH_TIMEOUT(window.slotGrid()->tileCount(), 5, 20000);
        for (int i = 0; i < 5; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(demo.station()->slotInfo(i).state, JobState::AwaitingScan, 20000);
        auto slotOf = [&](const QString &serial) {
            for (const provisioning::SlotInfo &s : demo.station()->allSlots())
                if (s.serial == serial)
                    return s.index;
            return -1;
        };
        auto scan = [&](const QString &label) {
            QTest::keyClicks(window.scanField()->lineEdit(), label);
            QTest::keyClick(window.scanField()->lineEdit(), Qt::Key_Return);
        };
        auto *pages = window.findChild<QStackedWidget *>();
        QVERIFY(pages);
        ManifestBrowser *browser = window.manifestBrowser();
        ManifestModel *model = browser->model();

        auto rowOf = [&](const QString &serial) -> const ManifestRow * {
            for (int i = 0; i < model->rowCount(); ++i)
                if (model->rowAt(i)->serial == serial)
                    return model->rowAt(i);
            return nullptr;
        };

        // A first unit, provisioned from the production view.
        scan(QStringLiteral("SN-DEMO-0001"));
        QTRY_COMPARE_WITH_TIMEOUT(window.slotGrid()->tile(slotOf(QStringLiteral("SN-DEMO-0001")))->look().look,
                                  TileLook::Pass, 30000);

        // F10 from the scan field opens the browser with the keyboard in the table: the new row is there, PASS.
        // (Every identified unit has an open row already: the attempt begins when the unit says who it is.)
        QCOMPARE(QApplication::focusWidget(), window.scanField()->lineEdit());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F10);
        QCOMPARE(pages->currentWidget(), browser);
        QTRY_COMPARE(QApplication::focusWidget(), browser->table());
        QTRY_VERIFY(rowOf(QStringLiteral("SN-DEMO-0001")) && rowOf(QStringLiteral("SN-DEMO-0001"))->finished);
        QCOMPARE(rowOf(QStringLiteral("SN-DEMO-0001"))->outcome, Outcome::Pass);
        const int firstRow = model->rowOfId(rowOf(QStringLiteral("SN-DEMO-0001"))->id);
        browser->table()->setCurrentIndex(model->index(firstRow, 0));
        QTRY_COMPARE(browser->shownId(), model->idAt(firstRow));
        const auto firstResult = demo.station()->slotInfo(slotOf(QStringLiteral("SN-DEMO-0001"))).result;
        QVERIFY(firstResult);
        QCOMPARE(browser->details()->field(QStringLiteral("certSerial")), firstResult->certSerial);
        QVERIFY(browser->details()->field(QStringLiteral("certSubject")).contains(QStringLiteral("SN-DEMO-0001")));
        QVERIFY(!browser->details()->field(QStringLiteral("certIssuer")).isEmpty());
        QVERIFY(!browser->details()->field(QStringLiteral("certValidity")).isEmpty());
        // Ctrl+C in the table copies the unit's certificate.
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(browser->table(), Qt::Key_C, Qt::ControlModifier);
        auto copied = crypto::Certificate::fromPem(QGuiApplication::clipboard()->text().toUtf8());
        QVERIFY2(copied, qPrintable(QGuiApplication::clipboard()->text()));
        QCOMPARE(copied->serialHex(), firstResult->certSerial);
        QCOMPARE(copied->fingerprintSha256(), browser->details()->record()->certFingerprint);
        // While the browser is open the scan field cannot take the keyboard back.
        QTest::keyClick(browser->table(), Qt::Key_Down);
        QTest::qWait(50);
        QCOMPARE(QApplication::focusWidget(), browser->table());

        // Esc, from the filters too: production again, the scan field has the keyboard.
        QTest::keyClick(browser->table(), Qt::Key_R, Qt::AltModifier);
        QTRY_COMPARE(QApplication::focusWidget(), browser->filterBar()->resultBox());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(pages->currentWidget() != browser);
        QTRY_COMPARE(QApplication::focusWidget(), window.scanField()->lineEdit());

        // Two more units, and the browser opened while they run: their rows come in when they finish.
        scan(QStringLiteral("SN-DEMO-0002"));
        scan(QStringLiteral("SN-DEMO-0004"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F10);
        QCOMPARE(pages->currentWidget(), browser);
        QTRY_COMPARE_WITH_TIMEOUT(window.slotGrid()->tile(slotOf(QStringLiteral("SN-DEMO-0002")))->look().look,
                                  TileLook::Pass, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window.slotGrid()->tile(slotOf(QStringLiteral("SN-DEMO-0004")))->look().look,
                                  TileLook::Fail, 30000);
        QTRY_VERIFY(rowOf(QStringLiteral("SN-DEMO-0002")) && rowOf(QStringLiteral("SN-DEMO-0002"))->finished);
        QCOMPARE(rowOf(QStringLiteral("SN-DEMO-0002"))->outcome, Outcome::Pass);
        QTRY_VERIFY(rowOf(QStringLiteral("SN-DEMO-0004")) && rowOf(QStringLiteral("SN-DEMO-0004"))->finished);
        QCOMPARE(rowOf(QStringLiteral("SN-DEMO-0004"))->outcome, Outcome::Fail);
        QVERIFY(!rowOf(QStringLiteral("SN-DEMO-0004"))->errorCode.isEmpty());
        QCOMPARE(model->rowCount(), 5); // one attempt per unit: three ended, two waiting for their scan
        // The newest row at the top, its certificate in the details pane once selected.
        QTest::keyClick(browser->table(), Qt::Key_Home, Qt::ControlModifier);
        const int passRow = model->rowOfId(rowOf(QStringLiteral("SN-DEMO-0002"))->id);
        browser->table()->setCurrentIndex(model->index(passRow, 0));
        QTRY_COMPARE(browser->shownId(), model->idAt(passRow));
        QVERIFY(browser->details()->pemText().startsWith(QStringLiteral("-----BEGIN CERTIFICATE-----")));
        const QString shot = artifactDir() + QStringLiteral("/manifest-browser-1280x800.png");
        QTest::qWait(150); // layout and re-polish
        QVERIFY(window.grab().save(shot));
        qInfo("screenshot %s", qPrintable(shot));
        // The failed unit's row: its error in the table and in the details.
        const int failRow = model->rowOfId(rowOf(QStringLiteral("SN-DEMO-0004"))->id);
        browser->table()->setCurrentIndex(model->index(failRow, 0));
        QTRY_COMPARE(browser->shownId(), model->idAt(failRow));
        QCOMPARE(browser->details()->field(QStringLiteral("errorCode")),
                 rowOf(QStringLiteral("SN-DEMO-0004"))->errorCode);
        QVERIFY(!browser->details()->field(QStringLiteral("errorMessage")).isEmpty());
        QVERIFY2(browser->details()->evidenceText().contains(QStringLiteral("identity_proof")),
                 qPrintable(browser->details()->record()->evidence));
        const QString failShot = artifactDir() + QStringLiteral("/manifest-browser-fail-1280x800.png");
        QTest::qWait(150);
        QVERIFY(window.grab().save(failShot));
        qInfo("screenshot %s", qPrintable(failShot));
        window.resize(1920, 1080);
        QTRY_COMPARE(window.size(), QSize(1920, 1080));
        QTest::qWait(150);
        const QString bigShot = artifactDir() + QStringLiteral("/manifest-browser-fail-1920x1080.png");
        QVERIFY(window.grab().save(bigShot));
        qInfo("screenshot %s", qPrintable(bigShot));

        // F10 again: back to production.
        QTest::keyClick(browser->table(), Qt::Key_F10);
        QVERIFY(pages->currentWidget() != browser);
        QTRY_COMPARE(QApplication::focusWidget(), window.scanField()->lineEdit());
    }
};

QTEST_MAIN(TestGuiManifestBrowser)
#include "tst_gui_manifestbrowser.moc"
