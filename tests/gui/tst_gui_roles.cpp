// Roles and the station's setup, driven through the real widgets offscreen: an operator's F9 / F6 are
// refused in the message bar (no dialog); F8 opens the password dialog, a wrong password is answered in
// it, the right one unlocks; the session times out on an injected clock and the supervisor page closes.
// The first start runs against a real `provctl lab-server` child process: password, profile, then the
// RFC 7030 bootstrap shows the lab CA's SHA-256 fingerprint and trusts it only after the supervisor
// confirms; a typed wrong fingerprint is refused and nothing is saved. Screenshots of the bootstrap step
// and of the supervisor page go to gui-artifacts/ (and /tmp) for a person to look at.
#include "FirstStartWindow.h"
#include "MainWindow.h"
#include "ManifestOutbox.h"
#include "MessageBar.h"
#include "ProfileChooser.h"
#include "ScanField.h"
#include "SoundCue.h"
#include "StationLauncher.h"
#include "SupervisorGate.h"
#include "SupervisorPanel.h"
#include "Theme.h"
#include "TrustPage.h"
#include "UnlockDialog.h"

#include "LabServerProcess.h"
#include "LamassuStandIn.h"

#include "crypto/Certificate.h"
#include "manifest/Manifest.h"
#include "provisioning/SupervisorSession.h"
#include "provisioning/TrustSetup.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::ui;
using provisioning::SupervisorSession;
using namespace std::chrono_literals;

namespace {
const char *kPassword = "line-1-supervisor";
}

class TestGuiRoles : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::chrono::steady_clock::time_point m_now{1000s};
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SupervisorSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    test::LabServerProcess m_lab;

    SupervisorSession::Options fastOptions()
    {
        SupervisorSession::Options o;
        o.hashParams.iterations = 1000; // the record format and code path of the 600k default, quicker
        o.clock = [this] { return m_now; };
        o.checkInterval = 0ms;
        return o;
    }

    [[nodiscard]] QString supervisorLine() const
    {
        return m_window->messageBar()->conditionText(SupervisorGate::kConditionKey);
    }

    void press(Qt::Key key) { QTest::keyClick(QApplication::focusWidget(), key); }

    static void save(QWidget *w, const QString &name)
    {
        QTest::qWait(100);
        const QString dir = QStringLiteral(STATION_BINARY_DIR "/gui-artifacts");
        QVERIFY(QDir().mkpath(dir));
        const QImage image = w->grab().toImage();
        QVERIFY(image.save(QStringLiteral("%1/%2.png").arg(dir, name)));
        QVERIFY(image.save(QStringLiteral("/tmp/provstation-%1.png").arg(name)));
        qInfo("screenshot %s/%s.png", qPrintable(dir), qPrintable(name));
    }

    QString writeProfile(const QString &name, const QUrl &estUrl)
    {
        const QString dir = m_dir.filePath(QStringLiteral("profiles"));
        QDir().mkpath(dir);
        const QJsonObject profile{

            {QStringLiteral("name"), name},
            {QStringLiteral("device"),
             QJsonObject{{QStringLiteral("protocol"), QStringLiteral("station")},
                         {QStringLiteral("usb_ids"), QJsonArray{QStringLiteral("0483:5740")}}}},
            {QStringLiteral("est"),
             QJsonObject{{QStringLiteral("url"), estUrl.toString()},
                         // a placeholder pin, as in the sample profiles: the station must say it differs
                         {QStringLiteral("trust"),
                          QJsonObject{{QStringLiteral("bootstrap_fingerprint"), QString(64, QLatin1Char('A'))}}},
                         {QStringLiteral("auth"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("none")}}}}},
            {QStringLiteral("barcode"), QJsonObject{{QStringLiteral("rule"), QStringLiteral("plain")}}},
        };
        const QString path = QDir(dir).filePath(QStringLiteral("lab.json"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(profile).toJson()) <= 0)
            return {};
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        applyTheme(*qApp);
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        m_settings->setValue(QStringLiteral("sound/enabled"), false);
        m_session = std::make_unique<SupervisorSession>(m_settings.get(), fastOptions());
        QSignalSpy set(m_session.get(), &SupervisorSession::passwordSet);
        m_session->setPassword(crypto::SecretBytes::copyOf(QByteArrayView(kPassword)));
        QTRY_COMPARE(set.size(), 1);
        m_session->lock(); // the station starts in operator mode

        m_window = std::make_unique<MainWindow>(m_settings.get());
        m_window->setSupervisorSession(m_session.get());
        m_window->setSetupFolders({m_dir.filePath(QStringLiteral("profiles"))},
                                  m_dir.filePath(QStringLiteral("trust")));
        m_window->resize(1280, 800);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTRY_COMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_session.reset();
        m_lab.stop();
    }

    void operator_supervisorActionsAreRefusedInTheMessageBar()
    {
        QVERIFY(m_window->roleLabel()->text().contains(QStringLiteral("Operator")));
        press(Qt::Key_F9); // settings: profile, EST URL, credentials
        QVERIFY2(supervisorLine().contains(QStringLiteral("Only a supervisor can open the settings")),
                 qPrintable(supervisorLine()));
        QVERIFY(supervisorLine().contains(QStringLiteral("F8")));
        QVERIFY(!m_window->supervisorPanel());
        QVERIFY(!QApplication::activeModalWidget()); // no dialog, no cascade
        const bool soundBefore = m_window->soundCue()->isEnabled();
        press(Qt::Key_F6);
        QCOMPARE(m_window->soundCue()->isEnabled(), soundBefore);
        QVERIFY(supervisorLine().contains(QStringLiteral("Only a supervisor can turn the sound")));
        QVERIFY(
            !m_window->runAsSupervisor(QStringLiteral("export the manifest"), [] { QFAIL("ran for an operator"); }));
        QVERIFY(supervisorLine().contains(QStringLiteral("export the manifest")));
        QCOMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
    }

    void unlock_wrongPasswordIsRefused_rightPasswordUnlocks()
    {
        press(Qt::Key_F8);
        UnlockDialog *dialog = m_window->supervisorGate()->unlockDialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QTest::keyClicks(dialog->passwordField(), QStringLiteral("line-1-superviser"));
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY2(dialog->statusText().contains(QStringLiteral("Wrong supervisor password")),
                     qPrintable(dialog->statusText()));
        QVERIFY(!m_session->isUnlocked());
        QVERIFY(dialog->isVisible()); // answered inside the dialog, which stays for another try
        QTest::keyClicks(dialog->passwordField(), QString::fromLatin1(kPassword));
        QTest::keyClick(dialog->passwordField(), Qt::Key_Return);
        QTRY_VERIFY(m_session->isUnlocked());
        QTRY_VERIFY(!m_window->supervisorGate()->unlockDialog());
        QVERIFY2(m_window->roleLabel()->text().contains(QStringLiteral("Supervisor")),
                 qPrintable(m_window->roleLabel()->text()));
    }

    void supervisor_changesSound_andOpensTheSettings()
    {
        QTRY_COMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
        const bool before = m_window->soundCue()->isEnabled();
        press(Qt::Key_F6);
        QCOMPARE(m_window->soundCue()->isEnabled(), !before);
        QCOMPARE(m_settings->value(QStringLiteral("sound/enabled")).toBool(), !before);
        press(Qt::Key_F6);
        QCOMPARE(m_window->soundCue()->isEnabled(), before);

        press(Qt::Key_F9);
        SupervisorPanel *panel = m_window->supervisorPanel();
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        auto sample = provisioning::ProductProfile::load(
            QStringLiteral(STATION_SOURCE_DIR "/resources/profiles/station-server-key.json"));
        QVERIFY(sample);
        panel->showStation(*sample, m_dir.filePath(QStringLiteral("manifest.sqlite")));
        QVERIFY(panel->summaryText().contains(sample->est.url.toDisplayString()));
        QVERIFY(panel->summaryText().contains(QStringLiteral("user line-1")));
        panel->resize(1100, 800);
        save(panel, QStringLiteral("supervisor-panel"));

        // Export, for the supervisor: off the GUI thread, into the chosen file.
        {
            auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("manifest.sqlite")));
            QVERIFY(m);
        }
        const QString csv = m_dir.filePath(QStringLiteral("export.csv"));
        panel->exportTo(csv);
        QTRY_VERIFY2(panel->exportStatus().contains(QStringLiteral("Exported")), qPrintable(panel->exportStatus()));
        QVERIFY(QFile::exists(csv));

        // Upload to the DMS from the page (the Lamassu stand-in), on the runner's thread: two refused units.
        {
            auto m = manifest::Manifest::open(m_dir.filePath(QStringLiteral("manifest.sqlite")));
            QVERIFY(m);
            for (const char *serial : {"SN-GUI-1", "SN-GUI-2"}) {
                manifest::ManifestRecord r;
                r.serial = QString::fromLatin1(serial);
                r.csrSubject = QStringLiteral("CN=%1").arg(r.serial);
                QVERIFY((*m)->begin(r));
                r.outcome = manifest::Outcome::Fail;
                QVERIFY((*m)->finish(r));
            }
        }
        testing::LamassuStandIn dms;
        QVERIFY(dms.start());
        const QString trust = m_dir.filePath(QStringLiteral("dms-ca.pem"));
        {
            QFile f(trust);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(dms.serverCaPem().toUtf8());
        }
        ManifestOutbox *outbox = panel->manifestOutbox();
        outbox->dmsUrlField()->setText(dms.baseUrl().toString());
        outbox->dmsIdField()->setText(QStringLiteral("factory-dms"));
        outbox->tokenUrlField()->setText(dms.tokenUrl().toString());
        outbox->clientIdField()->setText(QStringLiteral("station"));
        outbox->secretField()->setText(QStringLiteral("s3cret"));
        outbox->trustField()->setText(trust);
        QTest::mouseClick(outbox->findChild<QPushButton *>(QStringLiteral("dmsUpload")), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(outbox->dmsStatus().contains(QStringLiteral("2 created")),
                                  qPrintable(outbox->dmsStatus()), 20000);
        QCOMPARE(dms.devices().size(), 2);
        QTest::mouseClick(outbox->findChild<QPushButton *>(QStringLiteral("dmsReconcile")), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(outbox->dmsStatus().contains(QStringLiteral("Registered but never enrolled (2)")),
                                  qPrintable(outbox->dmsStatus()), 20000);
        save(panel, QStringLiteral("supervisor-panel-dms"));
    }

    void session_timesOut_panelClosesAndOperatorIsRefusedAgain()
    {
        QPointer<SupervisorPanel> panel = m_window->supervisorPanel();
        QVERIFY(panel);
        m_now += SupervisorSession::kDefaultTimeout - 1s;
        m_session->checkTimeout();
        QVERIFY(m_session->isUnlocked());
        m_now += 2s;
        m_session->checkTimeout();
        QVERIFY(!m_session->isUnlocked());
        QTRY_VERIFY(!panel); // closed (and deleted) when the session ends
        QTRY_VERIFY(m_window->roleLabel()->text().contains(QStringLiteral("Operator")));
        m_window->activateWindow();
        QTRY_COMPARE(QApplication::focusWidget(), m_window->scanField()->lineEdit());
        press(Qt::Key_F9);
        QVERIFY(supervisorLine().contains(QStringLiteral("Only a supervisor")));
        QVERIFY(!m_window->supervisorPanel());
    }

    void firstStart_bootstrapShowsTheFingerprint_andTrustsOnlyAfterConfirmation()
    {
        QVERIFY2(m_lab.start({}, m_dir.filePath(QStringLiteral("lab"))), qPrintable(m_lab.errorText()));
        auto labCa = crypto::Certificate::listFromAny([&] {
            QFile f(m_lab.file(QStringLiteral("ca.pem")));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }());
        QVERIFY(labCa && !labCa->isEmpty());
        const QString expected = labCa->first().fingerprintSha256Colon();
        const QString profilePath = writeProfile(QStringLiteral("Lab sensor"), m_lab.baseUrl());
        QVERIFY(!profilePath.isEmpty());

        // A station that has never started: no password yet.
        QSettings fresh(m_dir.filePath(QStringLiteral("fresh.ini")), QSettings::IniFormat);
        SupervisorSession session(&fresh, fastOptions());
        const QString trustDir = m_dir.filePath(QStringLiteral("trust"));
        FirstStartWindow w(&session, {{m_dir.filePath(QStringLiteral("profiles"))}, trustDir, {}});
        QSignalSpy finished(&w, &FirstStartWindow::finished);
        w.resize(1100, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        // 1. The password: typed twice; a mismatch is answered inline.
        QCOMPARE(w.step(), FirstStartWindow::Step::Password);
        QTest::keyClicks(w.passwordField(), QString::fromLatin1(kPassword));
        QTest::keyClicks(w.repeatField(), QStringLiteral("something else"));
        QTest::keyClick(w.repeatField(), Qt::Key_Return);
        QVERIFY(w.passwordStatus().contains(QStringLiteral("differ")));
        QVERIFY(!session.hasPassword());
        save(&w, QStringLiteral("first-start-password"));
        w.passwordField()->clear();
        QTest::keyClicks(w.passwordField(), QString::fromLatin1(kPassword));
        QTest::keyClicks(w.repeatField(), QString::fromLatin1(kPassword));
        QTest::keyClick(w.repeatField(), Qt::Key_Return);
        QTRY_COMPARE(w.step(), FirstStartWindow::Step::Profile);
        QVERIFY(session.hasPassword());
        QVERIFY(!fresh.value(SupervisorSession::kRecordKey).toString().contains(QString::fromLatin1(kPassword)));

        // 2. The profile, from the profile folder.
        QTRY_VERIFY(w.profileChooser()->list()->count() >= 1);
        w.profileChooser()->choose(profilePath);
        QTRY_VERIFY(w.nextButton()->isEnabled());
        save(&w, QStringLiteral("first-start-profile"));
        QTest::mouseClick(w.nextButton(), Qt::LeftButton);
        QCOMPARE(w.step(), FirstStartWindow::Step::Trust);

        // 3. The bootstrap: the lab CA's fingerprint on screen, nothing trusted yet.
        TrustPage *page = w.trustPage();
        QTRY_VERIFY_WITH_TIMEOUT(!page->shownFingerprints().isEmpty(), 20000);
        QVERIFY2(page->shownFingerprints().contains(expected), qPrintable(page->shownFingerprints().join(u',')));
        QVERIFY(!page->isTrusted());
        const QString anchorFile = page->setup()->anchorPath();
        QVERIFY(!QFile::exists(anchorFile));
        QVERIFY(!w.nextButton()->isEnabled());
        auto *pin = page->findChild<QLabel *>(QStringLiteral("profilePin"));
        QVERIFY(pin && pin->text().contains(QStringLiteral("NOT match"))); // the placeholder pin differs
        save(&w, QStringLiteral("first-start-bootstrap"));

        // A typed fingerprint that is not the server's: refused, nothing saved.
        QString wrong = expected;
        wrong[0] = wrong[0] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        QTest::keyClicks(page->typedField(), wrong);
        QTest::keyClick(page->typedField(), Qt::Key_Return);
        QVERIFY2(page->statusText().contains(QStringLiteral("matches none")), qPrintable(page->statusText()));
        QVERIFY(!page->isTrusted());
        QVERIFY(!QFile::exists(anchorFile));
        page->typedField()->clear();
        QTest::keyClicks(page->typedField(), QStringLiteral("not a fingerprint"));
        QTest::mouseClick(page->checkTypedButton(), Qt::LeftButton);
        QVERIFY(page->statusText().contains(QStringLiteral("64 hex digits")));
        QVERIFY(!QFile::exists(anchorFile));

        // The supervisor confirms the one shown: trusted and kept for the next starts.
        QTest::mouseClick(page->confirmButton(), Qt::LeftButton);
        QVERIFY2(page->isTrusted(), qPrintable(page->statusText()));
        QVERIFY(page->statusText().contains(QStringLiteral("Trusted")));
        auto saved = crypto::Certificate::listFromAny([&] {
            QFile f(anchorFile);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }());
        QVERIFY(saved && !saved->isEmpty());
        QCOMPARE(saved->first().fingerprintSha256Colon(), expected);
        auto profile = provisioning::ProductProfile::load(profilePath);
        QVERIFY(profile);
        QVERIFY(!provisioning::TrustSetup::needsBootstrap(*profile, trustDir));
        QCOMPARE(provisioning::TrustSetup::withConfirmedTrust(*profile, trustDir).est.trustFile, anchorFile);
        QVERIFY(w.nextButton()->isEnabled());
        QTest::mouseClick(w.nextButton(), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toString(), profilePath);
    }

    void launcher_startsAtOnceWithConfirmedTrust_orOpensTheFirstStart()
    {
        const QString profilePath = m_dir.filePath(QStringLiteral("profiles/lab.json"));
        app::StationLauncher::Options o;
        o.profilePath = profilePath;
        o.manifestPath = m_dir.filePath(QStringLiteral("manifest.sqlite"));
        o.watchUsb = false;
        o.profileDirs = {m_dir.filePath(QStringLiteral("profiles"))};
        o.trustDir = m_dir.filePath(QStringLiteral("trust")); // confirmed by the first-start test
        {
            // Password set and the EST trust confirmed: no setup window, the station talks to the lab
            // server over TLS verified against the anchors the supervisor confirmed.
            MainWindow window(m_settings.get());
            SupervisorSession session(m_settings.get(), fastOptions());
            app::StationLauncher launcher(o, m_settings.get(), &session, &window);
            launcher.begin();
            QVERIFY(!launcher.firstStartWindow());
            QVERIFY(launcher.assembly());
            QTRY_VERIFY(window.windowTitle().contains(QStringLiteral("Lab sensor")));
            QTRY_VERIFY_WITH_TIMEOUT(launcher.assembly()->station()->isReady(), 20000);
            QVERIFY(window.messageBar()->conditionText(QStringLiteral("est")).contains(QStringLiteral("ready")));
        }
        {
            // A station with no supervisor password yet: the first start opens, not the station.
            QSettings fresh(m_dir.filePath(QStringLiteral("fresh2.ini")), QSettings::IniFormat);
            MainWindow window(&fresh);
            SupervisorSession session(&fresh, fastOptions());
            app::StationLauncher launcher(o, &fresh, &session, &window);
            launcher.begin();
            QVERIFY(launcher.firstStartWindow());
            QVERIFY(!launcher.assembly());
            QVERIFY(!window.isVisible());
        }
    }

    void trustPage_typedFingerprint_anyCaseAndSeparators_isAccepted()
    {
        auto profile = provisioning::ProductProfile::load(m_dir.filePath(QStringLiteral("profiles/lab.json")));
        QVERIFY(profile);
        TrustPage page(m_dir.filePath(QStringLiteral("trust-typed")));
        page.setProfile(*profile);
        QTRY_VERIFY_WITH_TIMEOUT(!page.shownFingerprints().isEmpty(), 20000);
        // As someone reads it out: lower case, spaces instead of colons.
        const QString typed = page.shownFingerprints().first().toLower().replace(QLatin1Char(':'), QLatin1Char(' '));
        QTest::keyClicks(page.typedField(), typed);
        QTest::mouseClick(page.checkTypedButton(), Qt::LeftButton);
        QVERIFY2(page.isTrusted(), qPrintable(page.statusText()));
        QVERIFY(QFile::exists(page.setup()->anchorPath()));
    }
};

QTEST_MAIN(TestGuiRoles)
#include "tst_gui_roles.moc"
