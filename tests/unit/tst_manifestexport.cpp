// Manifest exports: every format read back (CSV by an RFC 4180 reader, JSON and Lamassu bodies by
// QJsonDocument) with awkward characters, the export ledger and --only-not-exported, atomic writes
// (no file under the final name after a failure or cancel), and the detached CMS signature of an export
// (tampered files and untrusted signers detected; the openssl CLI accepts what the station signs).
#include "TestPki.h"

#include "crypto/CmsSignature.h"
#include "manifest/Manifest.h"
#include "manifest/RecordFields.h"
#include "outbound/LamassuDevice.h"
#include "outbound/ManifestExport.h"
#include "outbound/OutboundLedger.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace station;
using namespace station::manifest;
using namespace station::outbound;

namespace {

/// A strict RFC 4180 reader: rows of fields; quoted fields may hold commas, quotes ("") and line breaks.
QList<QStringList> parseCsv(const QByteArray &bytes, QString *error)
{
    QList<QStringList> rows;
    QStringList row;
    QByteArray field;
    bool quoted = false, inQuotes = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < bytes.size() && bytes.at(i + 1) == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"') {
            if (!field.isEmpty() || quoted) {
                *error = QStringLiteral("quote inside an unquoted field at byte %1").arg(i);
                return {};
            }
            quoted = inQuotes = true;
        } else if (c == ',') {
            row << QString::fromUtf8(field);
            field.clear();
            quoted = false;
        } else if (c == '\r') {
            if (i + 1 >= bytes.size() || bytes.at(i + 1) != '\n') {
                *error = QStringLiteral("bare CR at byte %1").arg(i);
                return {};
            }
        } else if (c == '\n') {
            if (bytes.at(i - 1) != '\r') {
                *error = QStringLiteral("bare LF at byte %1").arg(i);
                return {};
            }
            row << QString::fromUtf8(field);
            rows << row;
            row.clear();
            field.clear();
            quoted = false;
        } else {
            field += c;
        }
    }
    if (inQuotes)
        *error = QStringLiteral("unterminated quoted field");
    return rows;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestManifestExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<test::TestPki> m_pki;
    int m_files = 0;

    QString freshPath(const QString &name) { return m_dir.filePath(QStringLiteral("%1-%2").arg(++m_files).arg(name)); }

    ManifestRecord unit(const QString &serial)
    {
        ManifestRecord r;
        r.serial = serial;
        r.barcode = QStringLiteral("]d2%1").arg(serial);
        r.model = QStringLiteral("Sensor 9000");
        r.firmware = QStringLiteral("1.2.3");
        r.portPath = QStringLiteral("1-1.4");
        r.profileName = QStringLiteral("Acme sensor");
        r.keyOrigin = QStringLiteral("device");
        r.keyType = QStringLiteral("p256");
        r.operatorName = QStringLiteral("Ana, \"night\" shift\nline 2");
        r.stationId = QStringLiteral("line-1");
        r.evidence = QStringLiteral("{\"attestation\":\"verified\",\"nonce\":\"ab\"}");
        return r;
    }

    /// Records `serial` as PASS (with a real certificate) or FAIL after its CSR.
    void record(Manifest &m, const QString &serial, Outcome outcome)
    {
        ManifestRecord r = unit(serial);
        QVERIFY(m.begin(r));
        r.csrSubject = QStringLiteral("CN=%1, O=Acme").arg(serial);
        if (outcome == Outcome::Pass) {
            auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
            QVERIFY(key);
            auto cert = m_pki->issue(*key, serial);
            QVERIFY(cert);
            r.certSerial = cert->serialHex();
            r.certFingerprint = cert->fingerprintSha256();
            r.certSubject = cert->subject().toString();
            r.certIssuer = cert->issuer().toString();
            r.certNotBefore = cert->notBefore();
            r.certNotAfter = cert->notAfter();
            r.certPem = QString::fromLatin1(cert->toPem());
            r.step = QStringLiteral("record");
        } else {
            r.errorCode = QStringLiteral("est-refused");
            r.errorMessage = QStringLiteral("The DMS refused the unit, \"device not preregistered\".");
            r.step = QStringLiteral("enroll");
        }
        r.outcome = outcome;
        QVERIFY(m.finish(r));
    }

    std::unique_ptr<Manifest> open(const QString &path)
    {
        auto m = Manifest::open(path);
        return m ? std::move(*m) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = test::TestPki::create();
        QVERIFY(pki);
        m_pki = *pki;
    }

    void csvField_quotesOnlyWhatNeedsIt()
    {
        QCOMPARE(csvField(QStringLiteral("SN-1")), QByteArray("SN-1"));
        QCOMPARE(csvField(QStringLiteral("a,b")), QByteArray("\"a,b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField(QStringLiteral("two\nlines")), QByteArray("\"two\nlines\""));
        QCOMPARE(csvField(QStringLiteral("cr\r")), QByteArray("\"cr\r\""));
        QCOMPARE(csvField(QString()), QByteArray());
    }

    void csv_roundTripsAwkwardValues()
    {
        auto m = open(freshPath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        const QString awkward = QStringLiteral("SN,\"7\"\r\nÆøå-ü");
        record(*m, awkward, Outcome::Pass);
        record(*m, QStringLiteral("SN-2"), Outcome::Fail);
        const QString out = freshPath(QStringLiteral("units.csv"));
        ExportRequest req;
        req.format = ExportFormat::Csv;
        req.outPath = out;
        auto s = exportManifest(*m, req);
        QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
        QCOMPARE(s->rows, 2);
        const QByteArray bytes = readAll(out);
        QString error;
        const QList<QStringList> rows = parseCsv(bytes, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 3);
        QStringList header;
        for (const RecordField &f : recordFields())
            header << QString::fromLatin1(f.name);
        QCOMPARE(rows.at(0), header);
        for (const QStringList &r : rows)
            QCOMPARE(r.size(), header.size());
        const auto col = [&header](const char *name) { return header.indexOf(QLatin1String(name)); };
        QCOMPARE(rows.at(1).at(col("serial")), awkward);
        QCOMPARE(rows.at(1).at(col("operator")), QStringLiteral("Ana, \"night\" shift\nline 2"));
        QCOMPARE(rows.at(1).at(col("status")), QStringLiteral("PASS"));
        QVERIFY(rows.at(1).at(col("cert_pem")).startsWith(QStringLiteral("-----BEGIN CERTIFICATE-----\n")));
        QCOMPARE(rows.at(2).at(col("error_message")),
                 QStringLiteral("The DMS refused the unit, \"device not preregistered\"."));
        QCOMPARE(s->sha256, QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    }

    void json_isAnArrayOfObjects()
    {
        auto m = open(freshPath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        record(*m, QStringLiteral("SN \"quoted\", with\ttab"), Outcome::Pass);
        record(*m, QStringLiteral("SN-2"), Outcome::Fail);
        const QString out = freshPath(QStringLiteral("units.json"));
        auto s = exportManifest(*m, {ExportFormat::Json, out, {}, false, {}, {}});
        QVERIFY(s);
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(out), &err);
        QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
        QVERIFY(doc.isArray());
        const QJsonArray a = doc.array();
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0)[QStringLiteral("serial")].toString(), QStringLiteral("SN \"quoted\", with\ttab"));
        QCOMPARE(a.at(0)[QStringLiteral("status")].toString(), QStringLiteral("PASS"));
        QCOMPARE(a.at(0)[QStringLiteral("seq")].toInt(), 1);
        QCOMPARE(a.at(0)[QStringLiteral("evidence")][QStringLiteral("attestation")].toString(),
                 QStringLiteral("verified"));
        QCOMPARE(a.at(1)[QStringLiteral("error_code")].toString(), QStringLiteral("est-refused"));

        // An empty selection is still a valid array.
        ManifestQuery none;
        none.serial = QStringLiteral("nobody");
        const QString empty = freshPath(QStringLiteral("empty.json"));
        QVERIFY(exportManifest(*m, {ExportFormat::Json, empty, none, false, {}, {}}));
        QCOMPARE(QJsonDocument::fromJson(readAll(empty)).array().size(), 0);
    }

    void lamassu_oneBodyPerUnitWithItsLastAttempt()
    {
        auto m = open(freshPath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        record(*m, QStringLiteral("SN-1"), Outcome::Fail); // refused first …
        record(*m, QStringLiteral("SN-2"), Outcome::Fail);
        record(*m, QStringLiteral("SN-1"), Outcome::Pass); // … then enrolled
        {
            ManifestRecord early = unit(QStringLiteral("SN-3")); // failed before it had a CSR
            QVERIFY(m->begin(early));
            early.outcome = Outcome::Fail;
            early.errorCode = QStringLiteral("device-unplugged");
            QVERIFY(m->finish(early));
        }
        const QString out = freshPath(QStringLiteral("devices.json"));
        provisioning::DmsSettings dms;
        dms.dmsId = QStringLiteral("factory-dms");
        dms.icon = QStringLiteral("BiChip");
        dms.iconColor = QStringLiteral("#112233-#FFFFFF");
        dms.tags = {QStringLiteral("line-1")};
        auto s = exportManifest(*m, {ExportFormat::Lamassu, out, {}, false, dms, {}});
        QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
        QCOMPARE(s->rows, 2);
        QCOMPARE(s->skipped, 1);
        const QJsonArray a = QJsonDocument::fromJson(readAll(out)).array();
        QCOMPARE(a.size(), 2);
        QMap<QString, QJsonObject> byId;
        for (const QJsonValue &v : a)
            byId.insert(v[QStringLiteral("id")].toString(), v.toObject());
        QCOMPARE(byId.keys(), (QStringList{QStringLiteral("SN-1"), QStringLiteral("SN-2")}));
        const QJsonObject one = byId.value(QStringLiteral("SN-1"));
        for (const char *required : {"id", "dms_id", "icon", "icon_color"})
            QVERIFY2(!one[QLatin1String(required)].toString().isEmpty(), required);
        QCOMPARE(one[QStringLiteral("dms_id")].toString(), QStringLiteral("factory-dms"));
        QCOMPARE(one[QStringLiteral("icon")].toString(), QStringLiteral("BiChip"));
        QCOMPARE(one[QStringLiteral("icon_color")].toString(), QStringLiteral("#112233-#FFFFFF"));
        QCOMPARE(one[QStringLiteral("alias")].toString(), QStringLiteral("SN-1"));
        QVERIFY(one[QStringLiteral("tags")].toArray().contains(QStringLiteral("line-1")));
        const QJsonObject md = one[QStringLiteral("metadata")].toObject();
        QCOMPARE(md[QStringLiteral("serial")].toString(), QStringLiteral("SN-1"));
        QCOMPARE(md[QStringLiteral("barcode")].toString(), QStringLiteral("]d2SN-1"));
        QCOMPARE(md[QStringLiteral("model")].toString(), QStringLiteral("Sensor 9000"));
        QCOMPARE(md[QStringLiteral("firmware")].toString(), QStringLiteral("1.2.3"));
        QCOMPARE(md[QStringLiteral("provisioning_outcome")].toString(), QStringLiteral("PASS"));
        QVERIFY(!md[QStringLiteral("certificate_serial")].toString().isEmpty());
        QCOMPARE(md[QStringLiteral("certificate_fingerprint_sha256")].toString().size(), 64);
        QCOMPARE(md[QStringLiteral("attestation")][QStringLiteral("attestation")].toString(),
                 QStringLiteral("verified"));
        QCOMPARE(md[QStringLiteral("station")].toString(), QStringLiteral("line-1"));
        QCOMPARE(md[QStringLiteral("operator")].toString(), QStringLiteral("Ana, \"night\" shift\nline 2"));
        // The refused unit is registered by its CSR's CN, ready to enroll once uploaded.
        QCOMPARE(byId.value(QStringLiteral("SN-2"))[QStringLiteral("metadata")][QStringLiteral("provisioning_outcome")]
                     .toString(),
                 QStringLiteral("FAIL"));

        // A Lamassu export without a DMS id is refused (the DMS requires dms_id).
        auto noDms =
            exportManifest(*m, {ExportFormat::Lamassu, freshPath(QStringLiteral("x.json")), {}, false, {}, {}});
        QVERIFY(!noDms);
        QVERIFY(noDms.error().remedy.contains(QStringLiteral("--dms-id")));
    }

    void onlyNotExported_picksUpWhereTheLastExportStopped()
    {
        const QString path = freshPath(QStringLiteral("m.sqlite"));
        auto m = open(path);
        QVERIFY(m);
        record(*m, QStringLiteral("SN-1"), Outcome::Pass);
        record(*m, QStringLiteral("SN-2"), Outcome::Fail);
        ExportRequest req{ExportFormat::Csv, freshPath(QStringLiteral("a.csv")), {}, true, {}, {}};
        auto first = exportManifest(*m, req);
        QVERIFY(first);
        QCOMPARE(first->rows, 2);
        record(*m, QStringLiteral("SN-3"), Outcome::Pass);
        req.outPath = freshPath(QStringLiteral("b.csv"));
        auto second = exportManifest(*m, req);
        QVERIFY(second);
        QCOMPARE(second->rows, 1);
        QString error;
        QCOMPARE(parseCsv(readAll(req.outPath), &error).value(1).value(3), QStringLiteral("SN-3"));
        req.outPath = freshPath(QStringLiteral("c.csv"));
        auto third = exportManifest(*m, req);
        QVERIFY(third);
        QCOMPARE(third->rows, 0);
        // Another format has its own cursor; a full export ignores it.
        auto json = exportManifest(*m, {ExportFormat::Json, freshPath(QStringLiteral("a.json")), {}, true, {}, {}});
        QVERIFY(json);
        QCOMPARE(json->rows, 3);
        // The ledger lives in the manifest: a reopened file knows what was exported.
        m.reset();
        m = open(path);
        QVERIFY(m);
        auto ledger = OutboundLedger(*m).exports();
        QVERIFY(ledger);
        QCOMPARE(ledger->size(), 4);
        QCOMPARE(ledger->at(0).format, QStringLiteral("csv"));
        QCOMPARE(ledger->at(0).rowCount, 2);
        QCOMPARE(ledger->at(0).lastSeq, 2);
        QCOMPARE(ledger->at(1).lastSeq, 3);
        QCOMPARE(ledger->at(1).sha256, second->sha256);
        QCOMPARE(ledger->at(1).destination, QFileInfo(ledger->at(1).destination).absoluteFilePath());
        QCOMPARE(*OutboundLedger(*m).lastExportedSeq(QStringLiteral("csv")), 3);
        QVERIFY(m->verify()->ok()); // exporting never touches the chain
    }

    void failedOrCancelledExport_leavesNoFileAndNoRecord()
    {
        auto m = open(freshPath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        for (int i = 0; i < 6; ++i)
            record(*m, QStringLiteral("SN-%1").arg(i), Outcome::Fail);
        // A folder that does not exist.
        auto missing = exportManifest(
            *m, {ExportFormat::Csv, m_dir.filePath(QStringLiteral("no/such/dir/x.csv")), {}, false, {}, {}});
        QVERIFY(!missing);
        QVERIFY(!missing.error().remedy.isEmpty());
        // Cancelled half way: the previous file under that name stays as it was.
        const QString out = freshPath(QStringLiteral("kept.csv"));
        {
            QFile f(out);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("the previous export\n");
        }
        int asked = 0;
        ExportRequest req{ExportFormat::Csv, out, {}, false, {}, [&asked](qint64) { return ++asked < 3; }, 1};
        auto cancelled = exportManifest(*m, req);
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QCOMPARE(asked, 3);
        QCOMPARE(readAll(out), QByteArray("the previous export\n"));
        QCOMPARE(QDir(QFileInfo(out).path())
                     .entryList({QFileInfo(out).fileName() + QStringLiteral("*")}, QDir::Files)
                     .size(),
                 1);
        QCOMPARE(OutboundLedger(*m).exports()->size(), 0);
    }

    void signature_detectsTamperingAndUntrustedSigners()
    {
        auto m = open(freshPath(QStringLiteral("m.sqlite")));
        QVERIFY(m);
        record(*m, QStringLiteral("SN-1"), Outcome::Pass);
        const QString out = freshPath(QStringLiteral("signed.csv"));
        QVERIFY(exportManifest(*m, {ExportFormat::Csv, out, {}, false, {}, {}}));
        const QString sig = out + QStringLiteral(".p7s");
        // A TLS client certificate may not sign documents: refused before anything is written.
        auto tlsOnly = m_pki->clientIdentity(QStringLiteral("Station line-1 TLS client"));
        QVERIFY(tlsOnly);
        auto refused = crypto::CmsSignature::signFile(out, sig, tlsOnly->certificate, tlsOnly->key);
        QVERIFY(!refused);
        QVERIFY(refused.error().remedy.contains(QStringLiteral("emailProtection")));
        QVERIFY(!QFile::exists(sig));

        auto signerKey = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        QVERIFY(signerKey);
        auto signerCert = m_pki->issue(*signerKey, QStringLiteral("Station line-1 export signer"), {},
                                       {QStringLiteral("emailProtection")});
        QVERIFY(signerCert);
        auto signedOk = crypto::CmsSignature::signFile(out, sig, *signerCert, *signerKey);
        QVERIFY2(signedOk, signedOk ? "" : qPrintable(signedOk.error().toString()));

        auto check = crypto::CmsSignature::verifyFile(out, sig, {m_pki->caCertificate()});
        QVERIFY2(check, check ? "" : qPrintable(check.error().toString()));
        QVERIFY(check->signerTrusted);
        QCOMPARE(check->signer.subject().commonName(), QStringLiteral("Station line-1 export signer"));
        QVERIFY(qAbs(check->signingTime.secsTo(QDateTime::currentDateTimeUtc())) < 120);
        auto untrustedCheck = crypto::CmsSignature::verifyFile(out, sig);
        QVERIFY(untrustedCheck);
        QVERIFY(!untrustedCheck->signerTrusted);

        // The openssl CLI accepts it (what a DMS administrator would run).
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (!openssl.isEmpty()) {
            const QString caFile = freshPath(QStringLiteral("ca.pem"));
            QFile ca(caFile);
            QVERIFY(ca.open(QIODevice::WriteOnly));
            ca.write(m_pki->caCertificate().toPem());
            ca.close();
            QProcess p;
            p.start(openssl, {QStringLiteral("cms"), QStringLiteral("-verify"), QStringLiteral("-binary"),
                              QStringLiteral("-inform"), QStringLiteral("DER"), QStringLiteral("-in"), sig,
                              QStringLiteral("-content"), out, QStringLiteral("-CAfile"), caFile,
                              QStringLiteral("-out"), QStringLiteral("/dev/null")});
            QVERIFY(p.waitForFinished(30000));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        }

        // A signer from another CA is not vouched for.
        auto otherPki = test::TestPki::create(QStringLiteral("Someone else's CA"));
        QVERIFY(otherPki);
        auto wrong = crypto::CmsSignature::verifyFile(out, sig, {otherPki->caCertificate()});
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, ErrorCode::Verification);
        QVERIFY2(wrong.error().message.contains(QStringLiteral("do not vouch")), qPrintable(wrong.error().toString()));

        // One changed byte.
        QByteArray bytes = readAll(out);
        bytes[bytes.size() / 2] = bytes.at(bytes.size() / 2) == 'A' ? 'B' : 'A';
        {
            QFile f(out);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        }
        for (const auto &anchors : {QList<crypto::Certificate>{m_pki->caCertificate()}, QList<crypto::Certificate>{}}) {
            auto tampered = crypto::CmsSignature::verifyFile(out, sig, anchors);
            QVERIFY(!tampered);
            QCOMPARE(tampered.error().code, ErrorCode::Verification);
            QVERIFY2(tampered.error().message.contains(QStringLiteral("changed after it was signed")),
                     qPrintable(tampered.error().toString()));
        }
        // Not a signature at all.
        auto garbage = crypto::CmsSignature::verifyFile(out, out);
        QVERIFY(!garbage);
        QCOMPARE(garbage.error().code, ErrorCode::Parse);
    }
};

QTEST_GUILESS_MAIN(TestManifestExport)
#include "tst_manifestexport.moc"
