// The SQLite manifest on a real file: the attempt lifecycle, append-only rows, the hash chain catching an
// edited, deleted, inserted or reordered row, migrations from schema 1, sealing rows a dead process left
// open, and a full or read-only disk ending the write with a clear message and no PASS.
#include "manifest/Manifest.h"
#include "manifest/SqliteDatabase.h"

#include "TestPki.h"

#include <sqlite3.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::manifest;

namespace {

/// A raw connection to the file, as a tamperer (or a test) would use: no triggers, no checks.
class Raw
{
public:
    explicit Raw(const QString &path) { sqlite3_open(path.toUtf8().constData(), &m_db); }
    ~Raw() { sqlite3_close(m_db); }
    bool exec(const QString &sql)
    {
        char *msg = nullptr;
        const bool ok = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &msg) == SQLITE_OK;
        if (!ok)
            m_error = QString::fromUtf8(msg);
        sqlite3_free(msg);
        return ok;
    }
    QString error() const { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    QString m_error;
};

ManifestRecord unit(const QString &serial)
{
    ManifestRecord r;
    r.serial = serial;
    r.portPath = QStringLiteral("/dev/ttyACM0");
    r.profileName = QStringLiteral("Acme");
    r.keyOrigin = QStringLiteral("device");
    r.keyType = QStringLiteral("p256");
    r.operatorName = QStringLiteral("Ana, \"night\" shift");
    r.stationId = QStringLiteral("line-1");
    return r;
}

} // namespace

class TestManifest : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    test::TestPki m_pki;
    int m_n = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("m%1.sqlite").arg(++m_n)); }

    void pass(ManifestRecord &r)
    {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(key);
        auto cert = m_pki.issue(*key, r.serial);
        QVERIFY(cert);
        r.certSerial = cert->serialHex();
        r.certFingerprint = cert->fingerprintSha256();
        r.certSubject = cert->subject().toString();
        r.certIssuer = cert->issuer().toString();
        r.certNotBefore = cert->notBefore();
        r.certNotAfter = cert->notAfter();
        r.certPem = QString::fromLatin1(cert->toPem());
        r.outcome = Outcome::Pass;
    }

    /// A manifest with `n` finished rows (PASS, FAIL alternating).
    std::unique_ptr<Manifest> filled(const QString &path, int n)
    {
        auto m = Manifest::open(path);
        if (!m)
            return nullptr;
        for (int i = 0; i < n; ++i) {
            ManifestRecord r = unit(QStringLiteral("SN-%1").arg(i));
            if (!(*m)->begin(r))
                return nullptr;
            if (i % 2 == 0) {
                pass(r);
            } else {
                r.outcome = Outcome::Fail;
                r.errorCode = QStringLiteral("device-unplugged");
            }
            if (!(*m)->finish(r))
                return nullptr;
        }
        return std::move(*m);
    }

private slots:
    void finishPass_needsExactlyTheVerifiedCertificate()
    {
        auto m = Manifest::open(freshPath());
        QVERIFY(m);
        ManifestRecord other = unit(QStringLiteral("SN-OTHER"));
        pass(other); // a certificate that is not this unit's
        const QString otherPem = other.certPem;

        ManifestRecord r = unit(QStringLiteral("SN-GUARD"));
        QVERIFY((*m)->begin(r));
        pass(r);
        const QString ownPem = r.certPem;
        for (const QString &pem : {otherPem, ownPem + otherPem, QString(), QStringLiteral("not a PEM")}) {
            ManifestRecord bad = r;
            bad.certPem = pem;
            auto refused = (*m)->finish(bad);
            QVERIFY(!refused);
            QVERIFY2(refused.error().message.contains(QStringLiteral("without its verified certificate")),
                     qPrintable(refused.error().toString()));
        }
        ManifestRecord noPrint = r;
        noPrint.certFingerprint.clear();
        QVERIFY(!(*m)->finish(noPrint));
        // The row is still open (INCOMPLETE) and takes the right certificate.
        QVERIFY((*m)->finish(r));
        QVERIFY((*m)->verify()->ok());
    }

    void statementCache_reusesWithFreshBindings_andLendsOneAtATime()
    {
        QTemporaryDir dir;
        auto db = manifest::SqliteDatabase::open(dir.filePath(QStringLiteral("cache.sqlite")),
                                                 manifest::SqliteDatabase::Mode::ReadWrite);
        QVERIFY(db);
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (a TEXT, b TEXT)")));
        const QString insert = QStringLiteral("INSERT INTO t (a, b) VALUES (:a, :b)");
        {
            auto s = (*db)->prepareCached(insert);
            QVERIFY(s);
            s->bind(":a", QStringLiteral("one"));
            s->bind(":b", QStringLiteral("first"));
            QVERIFY(s->exec());
            // The same text while the first is still held: a statement of its own.
            auto t = (*db)->prepareCached(insert);
            QVERIFY(t);
            t->bind(":a", QStringLiteral("two"));
            t->bind(":b", QStringLiteral("second"));
            QVERIFY(t->exec());
        }
        {
            // Handed back: reset, and no binding of the previous use survives.
            auto s = (*db)->prepareCached(insert);
            QVERIFY(s);
            s->bind(":a", QStringLiteral("three"));
            QVERIFY(s->exec());
        }
        auto rows = (*db)->prepare(QStringLiteral("SELECT a, b FROM t ORDER BY rowid"));
        QVERIFY(rows);
        QStringList got;
        QVERIFY(rows->forEachRow([&](const manifest::SqliteStatement &r) {
            got << r.text(0) + QLatin1Char('=') + (r.isNull(1) ? QStringLiteral("NULL") : r.text(1));
        }));
        QCOMPARE(got, (QStringList{QStringLiteral("one=first"), QStringLiteral("two=second"),
                                   QStringLiteral("three=NULL")}));
    }

    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = test::TestPki::create();
        QVERIFY(pki);
        m_pki = *pki;
    }

    void lifecycle_beginJournalFinish_recordsEveryField()
    {
        auto m = Manifest::open(freshPath());
        QVERIFY2(m, m ? "" : qPrintable(m.error().toString()));
        QCOMPARE((*m)->schemaVersion(), Manifest::kSchemaVersion);
        ManifestRecord r = unit(QStringLiteral("SN-1"));
        auto id = (*m)->begin(r);
        QVERIFY(id);
        QCOMPARE(r.id, *id);
        r.step = QStringLiteral("enrolling");
        r.csrSha256 = QStringLiteral("ab");
        QVERIFY((*m)->journal(r));
        auto open = (*m)->get(r.id);
        QVERIFY(open && open->has_value());
        QCOMPARE((*open)->outcome, Outcome::Incomplete);
        QCOMPARE((*open)->step, QStringLiteral("enrolling"));
        QVERIFY(!(*open)->isFinished());

        pass(r);
        QVERIFY((*m)->finish(r));
        QCOMPARE(r.seq, 1);
        auto done = (*m)->get(r.id);
        QCOMPARE((*done)->outcome, Outcome::Pass);
        QCOMPARE((*done)->operatorName, QStringLiteral("Ana, \"night\" shift"));
        QCOMPARE((*done)->certPem, r.certPem);
        QCOMPARE((*done)->rowHash, Manifest::chainHash(**done, (*done)->prevHash));
        auto found = (*m)->findPass(QStringLiteral("SN-1"), {});
        QVERIFY(found && found->has_value());
        QVERIFY((*m)->verify()->ok());
    }

    void finish_passWithoutItsCertificate_isRefused()
    {
        auto m = Manifest::open(freshPath());
        ManifestRecord r = unit(QStringLiteral("SN-2"));
        QVERIFY((*m)->begin(r));
        r.outcome = Outcome::Pass;
        QVERIFY(!(*m)->finish(r));
        pass(r);
        r.certFingerprint = QString(64, QLatin1Char('0')); // not this certificate's
        QVERIFY(!(*m)->finish(r));
        QCOMPARE((*(*m)->get(r.id))->outcome, Outcome::Incomplete);
    }

    void finishedRows_cannotBeUpdatedOrDeleted()
    {
        const QString path = freshPath();
        auto m = filled(path, 2);
        QVERIFY(m);
        Raw raw(path);
        QVERIFY(!raw.exec(QStringLiteral("UPDATE attempts SET outcome = 'PASS' WHERE id = 2")));
        QVERIFY(raw.error().contains(QStringLiteral("cannot change")));
        QVERIFY(!raw.exec(QStringLiteral("DELETE FROM attempts WHERE id = 1")));
        QVERIFY(raw.error().contains(QStringLiteral("append-only")));
    }

    void verify_namesTamperedRows_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<qint64>("row");
        QTest::addColumn<QString>("what");
        QTest::newRow("edited") << "UPDATE attempts SET error_code = 'none' WHERE id = 4" << qint64(4) << "edited";
        QTest::newRow("edited serial") << "UPDATE attempts SET serial = 'SN-X' WHERE id = 3" << qint64(3) << "edited";
        QTest::newRow("edited csr subject (schema 3 column)")
            << "UPDATE attempts SET csr_subject = 'CN=someone-else' WHERE id = 2" << qint64(2) << "edited";
        QTest::newRow("deleted") << "DELETE FROM attempts WHERE id = 3" << qint64(4) << "missing";
        QTest::newRow("inserted") << "UPDATE attempts SET seq = seq + 1000 WHERE seq >= 3; UPDATE attempts SET seq = "
                                     "seq - 999 WHERE seq > 1000; INSERT INTO attempts (id, seq, prev_hash, row_hash, "
                                     "attempt_id, serial, outcome) SELECT 99, 3, row_hash, row_hash, 'x', 'SN-FAKE', "
                                     "'FAIL' FROM attempts WHERE seq = 2"
                                  << qint64(99) << "edited";
        QTest::newRow("reordered")
            << "UPDATE attempts SET seq = 100 WHERE id = 2; UPDATE attempts SET seq = 2 WHERE id = 3; "
               "UPDATE attempts SET seq = 3 WHERE id = 2"
            << qint64(3) << "does not follow";
    }
    void verify_namesTamperedRows()
    {
        QFETCH(QString, sql);
        QFETCH(qint64, row);
        QFETCH(QString, what);
        const QString path = freshPath();
        {
            auto m = filled(path, 5);
            QVERIFY(m);
            QVERIFY((*m).verify()->ok());
        }
        Raw raw(path);
        QVERIFY(raw.exec(QStringLiteral("DROP TRIGGER attempts_no_delete; DROP TRIGGER attempts_sealed")));
        QVERIFY2(raw.exec(sql), qPrintable(raw.error()));
        auto m = Manifest::open(path, Manifest::Access::ReadOnly);
        QVERIFY(m);
        auto report = (*m)->verify();
        QVERIFY(report);
        QVERIFY(!report->ok());
        bool named = false;
        for (const ChainProblem &p : report->problems)
            named = named || (p.id == row && p.what.contains(what));
        QVERIFY2(named, qPrintable(QStringLiteral("%1 problems, first: row %2 %3")
                                       .arg(report->problems.size())
                                       .arg(report->problems.value(0).id)
                                       .arg(report->problems.value(0).what)));
    }

    void migration_opensAVersion1File()
    {
        const QString path = freshPath();
        QString hashOfRow;
        {
            // A version-1 manifest exactly as version-1 code wrote it: its schema and one sealed row.
            Raw raw(path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
            for (const QString &sql : Manifest::migration(1))
                QVERIFY2(raw.exec(sql), qPrintable(raw.error()));
            ManifestRecord r = unit(QStringLiteral("SN-OLD"));
            r.id = 1;
            r.seq = 1;
            r.attemptId = QStringLiteral("a-1");
            r.outcome = Outcome::Fail;
            r.errorCode = QStringLiteral("device-refused");
            hashOfRow = Manifest::chainHash(r, QString(64, QLatin1Char('0')));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO attempts (id, seq, prev_hash, row_hash, attempt_id, serial, "
                                            "port_path, profile_name, key_origin, key_type, outcome, error_code, "
                                            "operator, station_id, duration_ms) VALUES (1, 1, '%1', '%2', 'a-1', "
                                            "'SN-OLD', '/dev/ttyACM0', 'Acme', 'device', 'p256', 'FAIL', "
                                            "'device-refused', 'Ana, \"night\" shift', 'line-1', '0')")
                                 .arg(QString(64, QLatin1Char('0')), hashOfRow)));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=1")));
        }
        {
            // Read as it is: columns of later schemas read as empty.
            auto ro = Manifest::open(path, Manifest::Access::ReadOnly);
            QVERIFY2(ro, ro ? "" : qPrintable(ro.error().toString()));
            QCOMPARE((*ro)->schemaVersion(), 1);
            auto old = (*ro)->get(1);
            QVERIFY2(old && old->has_value(), old ? "absent" : qPrintable(old.error().toString()));
            QVERIFY((*old)->csrSubject.isEmpty());
            QVERIFY((*ro)->verify()->ok());
        }
        auto m = Manifest::open(path);
        QVERIFY2(m, m ? "" : qPrintable(m.error().toString()));
        QCOMPARE((*m)->schemaVersion(), Manifest::kSchemaVersion);
        auto old = (*m)->get(1);
        QVERIFY(old && old->has_value());
        QCOMPARE((*old)->serial, QStringLiteral("SN-OLD"));
        QCOMPARE((*old)->rowHash, hashOfRow);
        auto report = (*m)->verify();
        QVERIFY(report && report->ok());
        ManifestRecord r = unit(QStringLiteral("SN-NEW"));
        r.csrSubject = QStringLiteral("CN=SN-NEW, O=Acme");
        QVERIFY((*m)->begin(r));
        pass(r);
        QVERIFY((*m)->finish(r));
        QCOMPARE(r.seq, 2);
        QVERIFY((*m)->verify()->ok());
        QCOMPARE((*(*m)->get(r.id))->csrSubject, QStringLiteral("CN=SN-NEW, O=Acme"));
        Raw raw(path);
        QVERIFY(raw.exec(QStringLiteral("SELECT count(*) FROM exports")));
        QVERIFY(raw.exec(QStringLiteral("SELECT last_seq, filter FROM exports")));
    }

    void sinceFilter_findsLateRowsEvenWithAClockSetBack()
    {
        auto m = Manifest::open(freshPath());
        QVERIFY(m);
        const QDateTime t0 = QDateTime(QDate(2026, 11, 1), QTime(8, 0), Qt::UTC);
        // Started in row order, except row 4: the clock was set back two hours before it began.
        const QList<int> hours{0, 24, 48, -2 + 48, 72};
        for (int i = 0; i < hours.size(); ++i) {
            ManifestRecord r = unit(QStringLiteral("SN-T%1").arg(i));
            r.startedAt = t0.addSecs(3600 * hours.at(i));
            QVERIFY((*m)->begin(r));
            r.outcome = Outcome::Fail;
            QVERIFY((*m)->finish(r));
        }
        const auto serialsSince = [&m](const QDateTime &since) {
            ManifestQuery q;
            q.since = since;
            QStringList out;
            const auto rows = (*m)->list(q);
            for (const ManifestRecord &r : *rows)
                out << r.serial;
            return out;
        };
        QCOMPARE(serialsSince(t0.addSecs(3600 * 47)), (QStringList{QStringLiteral("SN-T2"), QStringLiteral("SN-T4")}));
        QCOMPARE(serialsSince(t0.addSecs(3600 * 46)),
                 (QStringList{QStringLiteral("SN-T2"), QStringLiteral("SN-T3"), QStringLiteral("SN-T4")}));
        ManifestQuery late;
        late.since = t0.addDays(30);
        QCOMPARE(*(*m)->count(late), 0);
        QVERIFY((*m)->list(late)->isEmpty());
        ManifestQuery all;
        all.since = t0.addDays(-1);
        QCOMPARE(*(*m)->count(all), 5);
        qint64 streamed = 0;
        QVERIFY((*m)->forEachFinished(all, 0, [&streamed](const ManifestRecord &) { return ++streamed > 0; }));
        QCOMPARE(streamed, 5);
    }

    void newerSchema_isRefusedWithARemedy()
    {
        const QString path = freshPath();
        {
            Raw raw(path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=99")));
        }
        auto m = Manifest::open(path);
        QVERIFY(!m);
        QVERIFY(m.error().message.contains(QStringLiteral("newer")));
    }

    void sealAbandoned_closesRowsOfADeadProcessAndKeepsTheOrphanCertificate()
    {
        const QString path = freshPath();
        qint64 id = 0;
        QString certSerial;
        {
            auto m = Manifest::open(path);
            ManifestRecord r = unit(QStringLiteral("SN-CUT"));
            QVERIFY((*m)->begin(r));
            ManifestRecord withCert = r;
            pass(withCert);
            r.certSerial = withCert.certSerial;
            r.certPem = withCert.certPem;
            r.step = QStringLiteral("writing-chain");
            QVERIFY((*m)->journal(r));
            id = r.id;
            certSerial = r.certSerial;
        }
        // Its owner is gone: a pid that does not exist on this host.
        Raw raw(path);
        QVERIFY(raw.exec(QStringLiteral("UPDATE attempts SET pid = 2147483000 WHERE id = %1").arg(id)));
        auto m = Manifest::open(path);
        QCOMPARE(*(*m)->sealAbandoned(), 1);
        auto row = (*m)->get(id);
        QCOMPARE((*row)->outcome, Outcome::Incomplete);
        QCOMPARE((*row)->step, QStringLiteral("writing-chain"));
        QCOMPARE((*row)->orphanCertSerial, certSerial);
        QVERIFY((*row)->errorMessage.contains(QStringLiteral("revoke")));
        QVERIFY((*row)->isFinished());
        QVERIFY((*m)->verify()->ok());
    }

    void sealAbandoned_leavesRowsOfALiveProcessUnlessTheSameUnitStartsAgain()
    {
        const QString path = freshPath();
        auto first = Manifest::open(path);
        ManifestRecord r = unit(QStringLiteral("SN-LIVE"));
        QVERIFY((*first)->begin(r));
        auto second = Manifest::open(path);
        QCOMPARE(*(*second)->sealAbandoned(), 0); // this process is alive
        QCOMPARE(*(*second)->sealAbandoned(QStringLiteral("SN-LIVE")), 1);
    }

    void list_keysetPages_andFilters()
    {
        const QString path = freshPath();
        auto m = filled(path, 25);
        QVERIFY(m);
        ManifestQuery q;
        q.limit = 10;
        QList<qint64> ids;
        for (;;) {
            auto page = m->list(q);
            QVERIFY(page);
            for (const ManifestRecord &r : *page)
                ids << r.id;
            if (page->size() < q.limit)
                break;
            q.afterId = page->last().id;
        }
        QCOMPARE(ids.size(), 25);
        ManifestQuery passes;
        passes.outcome = Outcome::Pass;
        QCOMPARE(*m->count(passes), 13);
        ManifestQuery one;
        one.serial = QStringLiteral("SN-7");
        QCOMPARE(m->list(one)->size(), 1);
    }

    void diskFullAndReadOnly_failCleanly()
    {
        // A real small file system: tmpfs needs root (the CI machine runs as root).
        QTemporaryDir mnt;
        if (QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                               QStringLiteral("size=256k"), QStringLiteral("tmpfs"), mnt.path()}) != 0)
            QSKIP("cannot mount a tmpfs here (needs root)");
        auto unmount = qScopeGuard([&mnt] { QProcess::execute(QStringLiteral("umount"), {mnt.path()}); });
        const QString path = mnt.filePath(QStringLiteral("manifest.sqlite"));
        Error failure;
        int passed = 0;
        {
            auto m = Manifest::open(path);
            QVERIFY(m);
            for (int i = 0; i < 2000 && failure.message.isEmpty(); ++i) {
                ManifestRecord r = unit(QStringLiteral("SN-%1").arg(i));
                r.errorDetail = QString(2000, QLatin1Char('x'));
                auto id = (*m)->begin(r);
                if (!id) {
                    failure = id.error();
                    break;
                }
                pass(r);
                if (auto f = (*m)->finish(r); !f)
                    failure = f.error();
                else
                    ++passed;
            }
        }
        QVERIFY(!failure.message.isEmpty());
        QCOMPARE(failure.code, ErrorCode::Database);
        QVERIFY2(failure.message.contains(QStringLiteral("full")), qPrintable(failure.toString()));
        QVERIFY(!failure.remedy.isEmpty());
        // What was recorded before is intact and verifiable.
        {
            auto m = Manifest::open(path, Manifest::Access::ReadOnly);
            QVERIFY(m);
            auto report = (*m)->verify();
            QVERIFY(report && report->ok());
            ManifestQuery passes;
            passes.outcome = Outcome::Pass;
            QCOMPARE(*(*m)->count(passes), passed);
        }

        // Read-only (the disk remounted read-only): the station's writes fail with their own remedy; what is
        // there stays readable and verifiable; nothing turns PASS.
        QCOMPARE(QProcess::execute(QStringLiteral("mount"),
                                   {QStringLiteral("-o"), QStringLiteral("remount,ro"), mnt.path()}),
                 0);
        auto remountRw = qScopeGuard([&mnt] {
            QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-o"), QStringLiteral("remount,rw"), mnt.path()});
        });
        Error readOnly;
        if (auto m = Manifest::open(path); !m) {
            readOnly = m.error();
        } else {
            ManifestRecord r = unit(QStringLiteral("SN-RO"));
            auto id = (*m)->begin(r);
            QVERIFY(!id);
            readOnly = id.error();
        }
        QCOMPARE(readOnly.code, ErrorCode::Database);
        QVERIFY2(readOnly.message.contains(QStringLiteral("cannot be written")) ||
                     readOnly.message.contains(QStringLiteral("I/O")),
                 qPrintable(readOnly.toString()));
        QVERIFY(!readOnly.remedy.isEmpty());
        auto ro = Manifest::open(path, Manifest::Access::ReadOnly);
        QVERIFY2(ro, ro ? "" : qPrintable(ro.error().toString()));
        QVERIFY((*ro)->verify()->ok());
        ManifestQuery passes;
        passes.outcome = Outcome::Pass;
        QCOMPARE(*(*ro)->count(passes), passed);
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
