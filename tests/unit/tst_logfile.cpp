// LogFile: Qt's messages appended to the GUI's log file (time, level, category), still passed on to the
// previous handler, the old log kept once it is too large, Qt's handler back after destruction; and the
// station's file locations (StationPaths) under the platform's conventions.
#include "LogFile.h"
#include "StationPaths.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace station;

namespace {
Q_LOGGING_CATEGORY(lcTest, "station.test.logfile")

QStringList g_seenByPrevious;
void recordingHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_seenByPrevious << message;
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestLogFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messages_goToTheFileAndToThePreviousHandler()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("logs/provstation.log"));
        g_seenByPrevious.clear();
        const QtMessageHandler before = qInstallMessageHandler(recordingHandler);
        {
            auto log = LogFile::install(path);
            QVERIFY2(log.has_value(), log ? "" : qPrintable(log.error().toString()));
            QCOMPARE((*log)->path(), path);
            qCWarning(lcTest) << "the EST server refused unit" << 7;
            qCCritical(lcTest, "second line");
            // One log per process: a second one is refused and the first stays installed.
            auto second = LogFile::install(dir.filePath(QStringLiteral("other.log")));
            QVERIFY(!second.has_value());
            qCWarning(lcTest, "third line");
        }
        qCWarning(lcTest, "after destruction");
        qInstallMessageHandler(before);

        const QList<QByteArray> lines = read(path).split('\n');
        QCOMPARE(lines.size(), 4); // three lines and the empty rest after the last newline
        QVERIFY2(lines[0].endsWith(" warning station.test.logfile: the EST server refused unit 7"), lines[0]);
        QVERIFY(QDateTime::fromString(QString::fromUtf8(lines[0].left(lines[0].indexOf(' '))), Qt::ISODateWithMs)
                    .isValid());
        QVERIFY(lines[1].endsWith(" critical station.test.logfile: second line"));
        QVERIFY(lines[2].endsWith(" warning station.test.logfile: third line"));
        QCOMPARE(g_seenByPrevious,
                 (QStringList{QStringLiteral("the EST server refused unit 7"), QStringLiteral("second line"),
                              QStringLiteral("third line"), QStringLiteral("after destruction")}));
    }

    void tooLargeLog_isKeptAsDotOne_andANewOneStarts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("provstation.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(2000, 'x'));
        f.close();
        const QtMessageHandler before = qInstallMessageHandler(recordingHandler);
        {
            auto log = LogFile::install(path, 1000);
            QVERIFY(log.has_value());
            qCWarning(lcTest, "fresh");
        }
        qInstallMessageHandler(before);
        QCOMPARE(read(path + QStringLiteral(".1")), QByteArray(2000, 'x'));
        QVERIFY(read(path).endsWith("station.test.logfile: fresh\n"));
    }

    void unwritableFolder_failsWithIoAndInstallsNothing()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(QStringLiteral("file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        auto log = LogFile::install(blocker + QStringLiteral("/logs/provstation.log")); // a file as folder
        QVERIFY(!log.has_value());
        QCOMPARE(log.error().code, ErrorCode::Io);
        QVERIFY(!log.error().remedy.isEmpty());
        auto next = LogFile::install(dir.filePath(QStringLiteral("ok.log")));
        QVERIFY(next.has_value()); // nothing was left installed
    }

    void paths_followThePlatformConventions()
    {
        const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        QCOMPARE(paths::dataDirectory(), data + QStringLiteral("/provisioning-station"));
        QCOMPARE(paths::manifestFile(), data + QStringLiteral("/provisioning-station/manifest.sqlite"));
        QCOMPARE(paths::labDirectory(), data + QStringLiteral("/provisioning-station/lab"));
        QVERIFY(QDir::isAbsolutePath(paths::logDirectory()));
        QVERIFY(paths::logDirectory().endsWith(QStringLiteral("provisioning-station")) ||
                paths::logDirectory().endsWith(QStringLiteral("provisioning-station/logs")));
#if defined(Q_OS_LINUX)
        qputenv("XDG_STATE_HOME", "/var/tmp/state-test");
        QCOMPARE(paths::logDirectory(), QStringLiteral("/var/tmp/state-test/provisioning-station"));
        qunsetenv("XDG_STATE_HOME");
        QCOMPARE(paths::logDirectory(), QDir::homePath() + QStringLiteral("/.local/state/provisioning-station"));
#endif
    }
};

QTEST_GUILESS_MAIN(TestLogFile)
#include "tst_logfile.moc"
