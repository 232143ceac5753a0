#include "ManifestGenerator.h"

#include "TestPki.h"

#include "manifest/Manifest.h"
#include "manifest/SqliteDatabase.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <functional>

namespace station::test {

using manifest::ManifestRecord;
using manifest::Outcome;

namespace {

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

/// The attempts table's columns as Manifest's schema names them, and the record field each holds.
struct Column {
    const char *name;
    std::function<QString(const ManifestRecord &)> get;
};

const QList<Column> &columns()
{
    static const QList<Column> c{
        {"attempt_id", [](const ManifestRecord &r) { return r.attemptId; }},
        {"serial", [](const ManifestRecord &r) { return r.serial; }},
        {"barcode", [](const ManifestRecord &r) { return r.barcode; }},
        {"hardware_id", [](const ManifestRecord &r) { return r.hardwareId; }},
        {"device_uuid", [](const ManifestRecord &r) { return r.deviceUuid; }},
        {"imei", [](const ManifestRecord &r) { return r.imei; }},
        {"model", [](const ManifestRecord &r) { return r.model; }},
        {"firmware", [](const ManifestRecord &r) { return r.firmware; }},
        {"port_path", [](const ManifestRecord &r) { return r.portPath; }},
        {"profile_name", [](const ManifestRecord &r) { return r.profileName; }},
        {"profile_sha256", [](const ManifestRecord &r) { return r.profileSha256; }},
        {"est_url", [](const ManifestRecord &r) { return r.estUrl; }},
        {"key_origin", [](const ManifestRecord &r) { return r.keyOrigin; }},
        {"key_type", [](const ManifestRecord &r) { return r.keyType; }},
        {"csr_sha256", [](const ManifestRecord &r) { return r.csrSha256; }},
        {"public_key_sha256", [](const ManifestRecord &r) { return r.publicKeySha256; }},
        {"evidence", [](const ManifestRecord &r) { return r.evidence; }},
        {"cert_serial", [](const ManifestRecord &r) { return r.certSerial; }},
        {"cert_fingerprint", [](const ManifestRecord &r) { return r.certFingerprint; }},
        {"cert_subject", [](const ManifestRecord &r) { return r.certSubject; }},
        {"cert_issuer", [](const ManifestRecord &r) { return r.certIssuer; }},
        {"cert_not_before", [](const ManifestRecord &r) { return iso(r.certNotBefore); }},
        {"cert_not_after", [](const ManifestRecord &r) { return iso(r.certNotAfter); }},
        {"cert_pem", [](const ManifestRecord &r) { return r.certPem; }},
        {"orphan_cert_serial", [](const ManifestRecord &r) { return r.orphanCertSerial; }},
        {"outcome", [](const ManifestRecord &r) { return manifest::outcomeName(r.outcome); }},
        {"step", [](const ManifestRecord &r) { return r.step; }},
        {"error_code", [](const ManifestRecord &r) { return r.errorCode; }},
        {"error_message", [](const ManifestRecord &r) { return r.errorMessage; }},
        {"error_detail", [](const ManifestRecord &r) { return r.errorDetail; }},
        {"operator", [](const ManifestRecord &r) { return r.operatorName; }},
        {"station_id", [](const ManifestRecord &r) { return r.stationId; }},
        {"started_at", [](const ManifestRecord &r) { return iso(r.startedAt); }},
        {"finished_at", [](const ManifestRecord &r) { return iso(r.finishedAt); }},
        {"duration_ms", [](const ManifestRecord &r) { return QString::number(r.durationMs); }},
    };
    return c;
}

struct PoolCert {
    QString pem, serial, fingerprint, subject, issuer, publicKeySha256;
    QDateTime notBefore, notAfter;
};

Result<QList<PoolCert>> certificatePool(int count)
{
    auto pki = TestPki::create(QStringLiteral("Generated Manifest CA"));
    if (!pki)
        return fail(pki.error());
    QList<PoolCert> pool;
    for (int i = 0; i < count; ++i) {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        if (!key)
            return fail(key.error());
        auto cert = pki->issue(*key, QStringLiteral("SN-POOL-%1").arg(i), {}, {}, 3650);
        if (!cert)
            return fail(cert.error());
        pool.append(
            {QString::fromLatin1(cert->toPem()), cert->serialHex(), cert->fingerprintSha256(),
             cert->subject().toString(), cert->issuer().toString(),
             QString::fromLatin1(QCryptographicHash::hash(cert->publicKeyDer(), QCryptographicHash::Sha256).toHex()),
             cert->notBefore(), cert->notAfter()});
    }
    return pool;
}

} // namespace

QString generatedSerial(qint64 id)
{
    return QStringLiteral("SN-%1").arg(id, 8, 10, QLatin1Char('0'));
}

Outcome generatedOutcome(qint64 id, const ManifestGeneratorOptions &options)
{
    if (options.incompleteEvery > 0 && id % options.incompleteEvery == 0)
        return Outcome::Incomplete;
    if (options.failEvery > 0 && id % options.failEvery == 0)
        return Outcome::Fail;
    return Outcome::Pass;
}

Result<GeneratedManifest> generateManifest(const QString &path, const ManifestGeneratorOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    if (QFileInfo::exists(path))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("%1 exists already").arg(path));
    {
        auto schema = manifest::Manifest::open(path); // the real migrations
        if (!schema)
            return fail(schema.error());
    }
    auto pool = certificatePool(qMax(1, options.certificatePool));
    if (!pool)
        return fail(pool.error());
    auto db = manifest::SqliteDatabase::open(path, manifest::SqliteDatabase::Mode::ReadWrite);
    if (!db)
        return fail(db.error());
    if (auto r = (*db)->exec(QStringLiteral("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF")); !r)
        return fail(r.error());

    QStringList names, values;
    for (const Column &c : columns()) {
        names << QString::fromLatin1(c.name);
        values << QLatin1Char(':') + QString::fromLatin1(c.name);
    }
    auto insert =
        (*db)->prepare(QStringLiteral("INSERT INTO attempts (id, seq, prev_hash, row_hash, session, host, pid, "
                                      "%1) VALUES (:id, :seq, :prev, :hash, 'generated', 'generator', 0, %2)")
                           .arg(names.join(QStringLiteral(", ")), values.join(QStringLiteral(", "))));
    if (!insert)
        return fail(insert.error());
    QList<QByteArray> binds;
    for (const Column &c : columns())
        binds << QByteArray(":") + c.name;

    const QString evidencePass = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("identity_proof"),
                                   QJsonObject{{QStringLiteral("public_key"), QString(120, QLatin1Char('A'))},
                                               {QStringLiteral("nonce"), QString(32, QLatin1Char('0'))},
                                               {QStringLiteral("signature"), QString(96, QLatin1Char('B'))},
                                               {QStringLiteral("verified"), true}}}})
            .toJson(QJsonDocument::Compact));

    GeneratedManifest out;
    manifest::SqliteTransaction tx(**db);
    if (auto r = tx.begin(); !r)
        return fail(r.error());
    QString prev(64, QLatin1Char('0'));
    for (qint64 id = 1; id <= options.rows; ++id) {
        const PoolCert &cert = (*pool)[int(id % pool->size())];
        ManifestRecord r;
        r.id = id;
        r.seq = id;
        r.attemptId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        r.serial = generatedSerial(id);
        r.barcode = r.serial;
        r.hardwareId = QStringLiteral("HW-%1").arg(id, 10, 16, QLatin1Char('0'));
        r.model = QStringLiteral("ACME-SENSOR-2");
        r.firmware = QStringLiteral("2.4.1");
        r.portPath = QStringLiteral("/dev/ttyACM%1").arg(id % 16);
        r.profileName = QStringLiteral("Acme Sensor v2");
        r.profileSha256 = QString(64, QLatin1Char('a'));
        r.estUrl = QStringLiteral("https://est.example.test/.well-known/est");
        r.keyOrigin = QStringLiteral("device");
        r.keyType = QStringLiteral("p256");
        r.operatorName = QStringLiteral("operator-%1").arg(id % 3);
        r.stationId = QStringLiteral("line-1-station-2");
        r.startedAt = options.firstStart.addSecs(id * options.secondsBetweenUnits);
        r.durationMs = 4000 + (id * 37) % 2000;
        r.finishedAt = r.startedAt.addMSecs(r.durationMs);
        r.outcome = generatedOutcome(id, options);
        switch (r.outcome) {
        case Outcome::Pass:
            r.step = QStringLiteral("passed");
            r.csrSha256 = QString(64, QLatin1Char('c'));
            r.publicKeySha256 = cert.publicKeySha256;
            r.evidence = evidencePass;
            r.certSerial = cert.serial;
            r.certFingerprint = cert.fingerprint;
            r.certSubject = cert.subject;
            r.certIssuer = cert.issuer;
            r.certNotBefore = cert.notBefore;
            r.certNotAfter = cert.notAfter;
            r.certPem = cert.pem;
            ++out.pass;
            break;
        case Outcome::Fail:
            r.step = QStringLiteral("generating-key");
            r.errorCode = QStringLiteral("keygen-failed");
            r.errorMessage = QStringLiteral("The unit could not generate its key. Set the unit aside for repair.");
            r.errorDetail = QStringLiteral("device answered ERR 17 to KEYGEN p256");
            ++out.fail;
            break;
        case Outcome::Incomplete:
            r.step = QStringLiteral("enrolling");
            r.errorCode = QStringLiteral("interrupted");
            r.errorMessage = QStringLiteral("The attempt was cut off at step 'enrolling' (the station stopped, "
                                            "crashed or lost power).");
            ++out.incomplete;
            break;
        }
        const QString hash = manifest::Manifest::chainHash(r, prev);
        insert->reset();
        insert->bind(":id", id);
        insert->bind(":seq", id);
        insert->bind(":prev", prev);
        insert->bind(":hash", hash);
        for (int i = 0; i < columns().size(); ++i)
            insert->bind(binds[i].constData(), columns()[i].get(r));
        if (auto done = insert->exec(); !done)
            return fail(done.error().withContext(QStringLiteral("Generating manifest row %1").arg(id)));
        prev = hash;
        ++out.rows;
    }
    if (auto r = tx.commit(); !r)
        return fail(r.error());
    if (auto r = (*db)->exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); !r)
        return fail(r.error());
    out.elapsedMs = clock.elapsed();
    out.fileBytes = QFileInfo(path).size();
    return out;
}

} // namespace station::test
