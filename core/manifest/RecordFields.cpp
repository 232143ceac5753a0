#include "RecordFields.h"

#include <QJsonDocument>

namespace station::manifest {

namespace {

QString time(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

const QList<RecordField> &recordFields()
{
    using K = RecordField::Kind;
    using R = const ManifestRecord &;
    static const QList<RecordField> fields{
        {"id", K::Number, [](R r) { return QString::number(r.id); }},
        {"seq", K::Number, [](R r) { return r.seq ? QString::number(*r.seq) : QString(); }},
        {"attempt_id", K::Text, [](R r) { return r.attemptId; }},
        {"serial", K::Text, [](R r) { return r.serial; }},
        {"barcode", K::Text, [](R r) { return r.barcode; }},
        {"status", K::Text, [](R r) { return outcomeName(r.outcome); }},
        {"step", K::Text, [](R r) { return r.step; }},
        {"error_code", K::Text, [](R r) { return r.errorCode; }},
        {"error_message", K::Text, [](R r) { return r.errorMessage; }},
        {"error_detail", K::Text, [](R r) { return r.errorDetail; }},
        {"hardware_id", K::Text, [](R r) { return r.hardwareId; }},
        {"device_uuid", K::Text, [](R r) { return r.deviceUuid; }},
        {"imei", K::Text, [](R r) { return r.imei; }},
        {"model", K::Text, [](R r) { return r.model; }},
        {"firmware", K::Text, [](R r) { return r.firmware; }},
        {"port_path", K::Text, [](R r) { return r.portPath; }},
        {"profile_name", K::Text, [](R r) { return r.profileName; }},
        {"profile_sha256", K::Text, [](R r) { return r.profileSha256; }},
        {"est_url", K::Text, [](R r) { return r.estUrl; }},
        {"key_origin", K::Text, [](R r) { return r.keyOrigin; }},
        {"key_type", K::Text, [](R r) { return r.keyType; }},
        {"csr_subject", K::Text, [](R r) { return r.csrSubject; }},
        {"csr_sha256", K::Text, [](R r) { return r.csrSha256; }},
        {"public_key_sha256", K::Text, [](R r) { return r.publicKeySha256; }},
        {"cert_serial", K::Text, [](R r) { return r.certSerial; }},
        {"cert_fingerprint", K::Text, [](R r) { return r.certFingerprint; }},
        {"cert_subject", K::Text, [](R r) { return r.certSubject; }},
        {"cert_issuer", K::Text, [](R r) { return r.certIssuer; }},
        {"cert_not_before", K::Text, [](R r) { return time(r.certNotBefore); }},
        {"cert_not_after", K::Text, [](R r) { return time(r.certNotAfter); }},
        {"orphan_cert_serial", K::Text, [](R r) { return r.orphanCertSerial; }},
        {"operator", K::Text, [](R r) { return r.operatorName; }},
        {"station_id", K::Text, [](R r) { return r.stationId; }},
        {"started_at", K::Text, [](R r) { return time(r.startedAt); }},
        {"finished_at", K::Text, [](R r) { return time(r.finishedAt); }},
        {"duration_ms", K::Number, [](R r) { return QString::number(r.durationMs); }},
        {"evidence", K::Json, [](R r) { return r.evidence; }},
        {"cert_pem", K::Text, [](R r) { return r.certPem; }},
        {"row_hash", K::Text, [](R r) { return r.rowHash; }},
    };
    return fields;
}

QJsonObject recordToJson(const ManifestRecord &record)
{
    QJsonObject o;
    for (const RecordField &f : recordFields()) {
        const QString text = f.text(record);
        const QLatin1StringView name(f.name);
        switch (f.kind) {
        case RecordField::Kind::Text: o.insert(name, text); break;
        case RecordField::Kind::Number:
            o.insert(name, text.isEmpty() ? QJsonValue() : QJsonValue(text.toDouble()));
            break;
        case RecordField::Kind::Json: {
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
            o.insert(name, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue());
            break;
        }
        }
    }
    return o;
}

} // namespace station::manifest
