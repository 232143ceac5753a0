// Help > About on the operator screen: F1 opens a box (without blocking the event loop) that names the
// build's version — the CMake project version and `git describe` — and where the station keeps its
// manifest, settings and log; Close dismisses it and the scan field keeps the window's keyboard focus.
#include "AboutBox.h"
#include "MainWindow.h"
#include "ScanField.h"
#include "StationPaths.h"
#include "StationVersion.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::ui;

class TestGuiAboutBox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void f1_showsVersionAndFileLocations_closeReturnsToTheScanField()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("provstation.conf")), QSettings::IniFormat);
        MainWindow window(&settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTest::keyClick(window.scanField()->lineEdit(), Qt::Key_F1);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox *>()) != nullptr && box->isVisible());
        const QString text = box->text();
        QVERIFY2(text.contains(QString::fromLatin1(kVersion)), qPrintable(text));
        QVERIFY(QString::fromLatin1(kVersion).front().isDigit()); // the project version first
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains(paths::manifestFile().toHtmlEscaped())); // no station yet: the default one
        QVERIFY(text.contains(settings.fileName().toHtmlEscaped()));
        QVERIFY(text.contains(paths::logDirectory().toHtmlEscaped()));
        QCOMPARE(box->windowTitle(), QStringLiteral("About Provisioning Station"));

        box->button(QMessageBox::Close)->click();
        QTRY_VERIFY(window.findChild<QMessageBox *>() == nullptr); // deleted on close
        // The window's keyboard focus is still the scan field's: it has the keys again when the window is
        // active again (with a window manager at once; offscreen nothing reactivates it).
        QCOMPARE(window.focusWidget(), window.scanField()->lineEdit());
    }

    void aboutText_escapesPaths()
    {
        const QString text = aboutText(QStringLiteral("/tmp/a<b>&c.sqlite"), QString());
        QVERIFY(text.contains(QStringLiteral("/tmp/a&lt;b&gt;&amp;c.sqlite")));
        QVERIFY(!text.contains(QStringLiteral("a<b>")));
    }
};

QTEST_MAIN(TestGuiAboutBox)
#include "tst_gui_aboutbox.moc"
