// `provstation --demo` as its own process on a real X server (Xvfb), the way the README's demo command
// runs it without a display: the xcb platform plugin, a real window, the labels typed into the focused
// scan field as synthetic key events (--autoscan), every unit's outcome printed, a screenshot saved,
// exit 0 only when each unit ended as the demo means it to (five PASS, the faulty unit FAIL).
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestGuiDemoXvfb : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_xvfb;
    QString m_display;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        if (xvfb.isEmpty())
            QSKIP("Xvfb is not installed (apt-get install xvfb)");
        // -displayfd: Xvfb picks a free display and writes its number when it accepts connections.
        m_xvfb.setProgram(xvfb);
        m_xvfb.setArguments({QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                             QStringLiteral("0"), QStringLiteral("1920x1080x24"), QStringLiteral("-nolisten"),
                             QStringLiteral("tcp")});
        m_xvfb.start();
        QVERIFY(m_xvfb.waitForStarted(10000));
        QElapsedTimer t;
        t.start();
        while (!m_xvfb.canReadLine() && t.elapsed() < 20000)
            m_xvfb.waitForReadyRead(200);
        m_display = QStringLiteral(":") + QString::fromLatin1(m_xvfb.readLine().trimmed());
        QVERIFY2(m_display.size() > 1, qPrintable(QString::fromUtf8(m_xvfb.readAllStandardError())));
    }

    void cleanupTestCase()
    {
        if (m_xvfb.state() != QProcess::NotRunning) {
            m_xvfb.terminate();
            if (!m_xvfb.waitForFinished(5000))
                m_xvfb.kill();
        }
    }

    void demo_onARealXServer_typesTheLabels_andEveryUnitEndsAsMeant()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), m_display);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        const QString shot = m_dir.filePath(QStringLiteral("demo.png"));
        p.start(QStringLiteral(STATION_BINARY_DIR "/app/provstation"),
                {QStringLiteral("--demo"), QStringLiteral("--demo-dir"), m_dir.filePath(QStringLiteral("demo")),
                 QStringLiteral("--autoscan"), QStringLiteral("--quit-after"), QStringLiteral("90"),
                 QStringLiteral("--no-sound"), QStringLiteral("--size"), QStringLiteral("1280x800"),
                 QStringLiteral("--screenshot"), shot});
        QVERIFY(p.waitForStarted(10000));
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAll());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(out.right(3000)));
        QCOMPARE(out.count(QStringLiteral("PASS")) >= 5, true);
        QVERIFY2(out.contains(QStringLiteral("SN-DEMO-0004")), qPrintable(out.right(2000)));
        const QImage image(shot);
        QVERIFY2(!image.isNull(), qPrintable(shot));
        QCOMPARE(image.size(), QSize(1280, 800));
        QFile::copy(shot, QStringLiteral(STATION_BINARY_DIR "/gui-artifacts/demo-xvfb.png"));
    }
};

QTEST_GUILESS_MAIN(TestGuiDemoXvfb)
#include "tst_gui_demo_xvfb.moc"
