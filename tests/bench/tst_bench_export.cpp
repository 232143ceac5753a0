// Benchmark (label bench, run on demand): exports of a generated manifest of 1,000,000 rows
// (STATION_BENCH_EXPORT_ROWS overrides) in every format, with the time, the throughput and the peak
// resident memory of the process during each export (VmHWM, reset before each one on Linux), to show
// that exports stream in bounded memory whatever the manifest's size. Prints its figures; asserts only
// that the exports are complete.
#include "TestPki.h"

#include "manifest/Manifest.h"
#include "outbound/ManifestExport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::manifest;

namespace {

/// VmHWM / VmRSS of this process in KiB (0 where /proc is missing).
qint64 procStatusKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5"); // resets VmHWM to the current RSS
}

} // namespace

class BenchExport : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    qint64 m_rows = 1000000;
    std::unique_ptr<Manifest> m_manifest;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (qEnvironmentVariableIsSet("STATION_BENCH_EXPORT_ROWS"))
            m_rows = qEnvironmentVariableIntValue("STATION_BENCH_EXPORT_ROWS");
        auto pki = test::TestPki::create();
        QVERIFY(pki);
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        auto cert = pki->issue(*key, QStringLiteral("SN-template"));
        QVERIFY(cert);
        auto m = Manifest::open(m_dir.filePath(QStringLiteral("big.sqlite")));
        QVERIFY(m);
        m_manifest = std::move(*m);
        // Rows as the station writes them (finished, in chain order), inserted in one transaction. The hash
        // chain is not computed: exports do not read it.
        QElapsedTimer t;
        t.start();
        SqliteDatabase &db = m_manifest->database();
        QVERIFY(db.exec(QStringLiteral("PRAGMA synchronous=OFF")));
        SqliteTransaction tx(db);
        QVERIFY(tx.begin());
        auto insert = db.prepare(QStringLiteral(
            "INSERT INTO attempts (id, seq, prev_hash, row_hash, attempt_id, serial, barcode, model, firmware, "
            "port_path, profile_name, key_origin, key_type, csr_subject, csr_sha256, public_key_sha256, evidence, "
            "cert_serial, cert_fingerprint, cert_subject, cert_issuer, cert_pem, outcome, step, error_code, "
            "error_message, operator, station_id, started_at, finished_at, duration_ms) VALUES (:id, :id, '', '', "
            ":attempt, :serial, :barcode, 'Sensor 9000', '1.2.3', '1-1.4', 'Acme sensor', 'device', 'p256', "
            ":csr_subject, :hash, :hash, '{\"attestation\":\"verified\"}', :cert_serial, :fp, :subject, 'CN=Test EST "
            "CA', :pem, :outcome, :step, :code, :message, 'Ana, \"night\" shift', 'line-1', :started, :finished, "
            "'4200')"));
        QVERIFY(insert);
        const QString pem = QString::fromLatin1(cert->toPem());
        const QString fp = cert->fingerprintSha256();
        const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-30);
        for (qint64 i = 1; i <= m_rows; ++i) {
            const bool pass = i % 10 != 0;
            const QString serial = QStringLiteral("SN-%1").arg(i, 8, 10, QLatin1Char('0'));
            insert->reset();
            insert->bind(":id", i);
            insert->bind(":attempt", QStringLiteral("a-%1").arg(i));
            insert->bind(":serial", serial);
            insert->bind(":barcode", QStringLiteral("]d2%1").arg(serial));
            insert->bind(":csr_subject", QStringLiteral("CN=%1, O=Acme").arg(serial));
            insert->bind(":hash", fp);
            insert->bind(":cert_serial", pass ? QString::number(i, 16) : QString());
            insert->bind(":fp", pass ? fp : QString());
            insert->bind(":subject", pass ? QStringLiteral("CN=%1").arg(serial) : QString());
            insert->bind(":pem", pass ? pem : QString());
            insert->bind(":outcome", pass ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
            insert->bind(":step", pass ? QStringLiteral("record") : QStringLiteral("enroll"));
            insert->bind(":code", pass ? QString() : QStringLiteral("est-refused"));
            insert->bind(":message", pass ? QString() : QStringLiteral("The EST server refused the request, \"why\"."));
            const QDateTime at = start.addMSecs(i * 2500);
            insert->bind(":started", at.toString(Qt::ISODateWithMs));
            insert->bind(":finished", at.addMSecs(4200).toString(Qt::ISODateWithMs));
            QVERIFY(insert->exec());
        }
        QVERIFY(tx.commit());
        qInfo("generated %lld rows in %.1f s (%.0f MB)", static_cast<long long>(m_rows), t.elapsed() / 1000.0,
              QFileInfo(m_dir.filePath(QStringLiteral("big.sqlite"))).size() / 1e6);
    }

    void exportAll_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("csv") << QStringLiteral("csv");
        QTest::newRow("json") << QStringLiteral("json");
        QTest::newRow("lamassu") << QStringLiteral("lamassu");
    }
    void exportAll()
    {
        QFETCH(QString, format);
        outbound::ExportRequest req;
        req.format = *outbound::parseExportFormat(format);
        req.outPath = m_dir.filePath(QStringLiteral("export.") + format);
        req.dms.dmsId = QStringLiteral("factory-dms");
        const qint64 rssBefore = procStatusKiB("VmRSS:");
        resetPeak();
        QElapsedTimer t;
        t.start();
        auto s = outbound::exportManifest(*m_manifest, req);
        const double seconds = t.elapsed() / 1000.0;
        const qint64 peak = procStatusKiB("VmHWM:");
        QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
        QCOMPARE(s->rows, m_rows);
        const double mb = QFileInfo(req.outPath).size() / 1e6;
        qInfo("%-8s %lld rows, %.0f MB in %.1f s (%.0f rows/s, %.0f MB/s); RSS before %lld KiB, peak during "
              "%lld KiB (+%lld KiB)",
              qPrintable(format), static_cast<long long>(s->rows), mb, seconds, s->rows / seconds, mb / seconds,
              static_cast<long long>(rssBefore), static_cast<long long>(peak),
              static_cast<long long>(peak - rssBefore));
        QFile::remove(req.outPath);
    }
};

QTEST_GUILESS_MAIN(BenchExport)
#include "tst_bench_export.moc"
