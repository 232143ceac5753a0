// FileUtil: atomic whole-file writes, synced or deferred (a batch syncs once with syncFolder), secrets
// created 0600, and bounded reads.
#include "FileUtil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace station;

class TestFileUtil : public QObject
{
    Q_OBJECT

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static void durabilities()
    {
        QTest::addColumn<FileDurability>("durability");
        QTest::newRow("synced") << FileDurability::Synced;
        QTest::newRow("deferred") << FileDurability::Deferred;
    }

private Q_SLOTS:
    void write_createsFoldersAndReplacesWholeFile_leavesNoTempFile()
    {
        QFETCH(FileDurability, durability);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/cert.pem"));
        QVERIFY(writeFileAtomically(path, "first version, longer", FileSecrecy::Public, durability).has_value());
        QVERIFY(writeFileAtomically(path, "second", FileSecrecy::Public, durability).has_value());
        QCOMPARE(read(path), QByteArray("second"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("sub"))).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("cert.pem")});
        QVERIFY(syncFolder(dir.filePath(QStringLiteral("sub"))).has_value());
    }
    void write_createsFoldersAndReplacesWholeFile_leavesNoTempFile_data() { durabilities(); }

    void write_secret_isOwnerOnly()
    {
        QFETCH(FileDurability, durability);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("key.pem"));
        QVERIFY(writeFileAtomically(path, "secret", FileSecrecy::Secret, durability).has_value());
        QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                  QFileDevice::ReadOther | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        QCOMPARE(read(path), QByteArray("secret"));
    }
    void write_secret_isOwnerOnly_data() { durabilities(); }

    void write_intoUnwritableFolder_failsWithIoError()
    {
        QFETCH(FileDurability, durability);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("blocker/cert.pem"));
        // A file where the folder should be.
        QVERIFY(writeFileAtomically(dir.filePath(QStringLiteral("blocker")), "x").has_value());
        const auto r = writeFileAtomically(path, "data", FileSecrecy::Public, durability);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Io);
        QVERIFY(!r.error().remedy.isEmpty());
    }
    void write_intoUnwritableFolder_failsWithIoError_data() { durabilities(); }

    void syncFolder_missingFolder_failsWithIoError()
    {
        QTemporaryDir dir;
        const auto r = syncFolder(dir.filePath(QStringLiteral("nope")));
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Io);
        QVERIFY(r.error().message.contains(QStringLiteral("nope")));
    }

    void readBounded_tooLarge_fails()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big"));
        QVERIFY(writeFileAtomically(path, QByteArray(100, 'x')).has_value());
        QVERIFY(readFileBounded(path, 100).has_value());
        QVERIFY(!readFileBounded(path, 99).has_value());
    }
};

QTEST_GUILESS_MAIN(TestFileUtil)
#include "tst_fileutil.moc"
