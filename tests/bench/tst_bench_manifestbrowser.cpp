// Benchmark (label bench): the manifest browser on a generated 1,000,000-row manifest.
#include "ManifestGenerator.h"

#include "manifest/Manifest.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::manifest;

class BenchManifestBrowser : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;

    void timeList(Manifest &m, const QString &what, const ManifestQuery &q)
    {
        QElapsedTimer t;
        t.start();
        auto rows = m.list(q);
        QVERIFY(rows);
        qInfo().noquote() << QStringLiteral("%1: %2 rows in %3 ms")
                                 .arg(what)
                                 .arg(rows->size())
                                 .arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 2);
    }

private slots:
    void initTestCase()
    {
        m_path = qEnvironmentVariable("STATION_BENCH_MANIFEST");
        if (m_path.isEmpty() || !QFileInfo::exists(m_path)) {
            if (m_path.isEmpty())
                m_path = m_dir.filePath(QStringLiteral("million.sqlite"));
            test::ManifestGeneratorOptions o;
            o.rows = 1000000;
            auto g = test::generateManifest(m_path, o);
            QVERIFY2(g, g ? "" : qPrintable(g.error().toString()));
            qInfo().noquote() << QStringLiteral("generated %1 rows (%2 PASS, %3 FAIL, %4 INCOMPLETE) in %5 ms, %6 MB")
                                     .arg(g->rows)
                                     .arg(g->pass)
                                     .arg(g->fail)
                                     .arg(g->incomplete)
                                     .arg(g->elapsedMs)
                                     .arg(g->fileBytes / 1e6, 0, 'f', 0);
        }
    }

    void queries()
    {
        auto m = Manifest::open(m_path, Manifest::Access::ReadOnly);
        QVERIFY(m);
        ManifestQuery q;
        q.limit = 200;
        q.newestFirst = true;
        timeList(**m, QStringLiteral("newest page"), q);
        ManifestQuery oldest;
        oldest.limit = 200;
        timeList(**m, QStringLiteral("oldest page"), oldest);
        ManifestQuery fail = q;
        fail.outcome = Outcome::Fail;
        timeList(**m, QStringLiteral("FAIL newest"), fail);
        ManifestQuery inc = q;
        inc.outcome = Outcome::Incomplete;
        timeList(**m, QStringLiteral("INCOMPLETE newest"), inc);
        ManifestQuery serial = q;
        serial.serial = test::generatedSerial(123456);
        timeList(**m, QStringLiteral("serial"), serial);
        ManifestQuery since = q;
        since.since = QDateTime(QDate(2024, 2, 1), QTime(0, 0), Qt::UTC);
        timeList(**m, QStringLiteral("since Feb 1 newest"), since);
        ManifestQuery sinceOld = oldest;
        sinceOld.since = since.since;
        timeList(**m, QStringLiteral("since Feb 1 oldest"), sinceOld);
        ManifestQuery sinceRecent = q;
        sinceRecent.since = QDateTime(QDate(2024, 3, 30), QTime(0, 0), Qt::UTC);
        timeList(**m, QStringLiteral("since Mar 30 newest"), sinceRecent);
        QElapsedTimer t;
        t.start();
        auto n = (*m)->count({});
        QVERIFY(n);
        qInfo() << "count" << *n << double(t.nsecsElapsed()) / 1e6 << "ms";
        t.start();
        n = (*m)->count(fail);
        qInfo() << "count FAIL" << *n << double(t.nsecsElapsed()) / 1e6 << "ms";
        t.start();
        n = (*m)->count(since);
        qInfo() << "count since" << *n << double(t.nsecsElapsed()) / 1e6 << "ms";
    }
};

QTEST_GUILESS_MAIN(BenchManifestBrowser)
#include "tst_bench_manifestbrowser.moc"
