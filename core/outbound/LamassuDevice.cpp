#include "LamassuDevice.h"

#include "crypto/Certificate.h"
#include "crypto/DistinguishedName.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace station::outbound {

using manifest::ManifestRecord;

QString lamassuDeviceId(const ManifestRecord &record)
{
    // The subject as recorded (text, cheap to read: an export of a million rows never parses a certificate);
    // the certificate itself only for a row that lacks it.
    for (const QString &subject : {record.certSubject, record.csrSubject}) {
        if (subject.isEmpty())
            continue;
        if (auto dn = crypto::DistinguishedName::parse(subject); dn && !dn->commonName().isEmpty())
            return dn->commonName();
    }
    if (!record.certPem.isEmpty()) {
        if (auto cert = crypto::Certificate::fromPem(record.certPem.toUtf8()); cert)
            return cert->subject().commonName();
    }
    return {};
}

QJsonObject lamassuCreateBody(const ManifestRecord &r, const provisioning::DmsSettings &settings, const QString &dmsId)
{
    QJsonObject metadata{
        {QStringLiteral("serial"), r.serial},
        {QStringLiteral("barcode"), r.barcode},
        {QStringLiteral("model"), r.model},
        {QStringLiteral("firmware"), r.firmware},
        {QStringLiteral("hardware_id"), r.hardwareId},
        {QStringLiteral("certificate_serial"), r.certSerial},
        {QStringLiteral("certificate_fingerprint_sha256"), r.certFingerprint},
        {QStringLiteral("public_key_sha256"), r.publicKeySha256},
        {QStringLiteral("station"), r.stationId},
        {QStringLiteral("operator"), r.operatorName},
        {QStringLiteral("profile"), r.profileName},
        {QStringLiteral("provisioning_outcome"), manifest::outcomeName(r.outcome)},
        {QStringLiteral("provisioned_at"), r.finishedAt.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("manifest_attempt_id"), r.attemptId},
    };
    if (!r.imei.isEmpty())
        metadata.insert(QStringLiteral("imei"), r.imei);
    if (!r.deviceUuid.isEmpty())
        metadata.insert(QStringLiteral("device_uuid"), r.deviceUuid);
    const QJsonDocument evidence = QJsonDocument::fromJson(r.evidence.toUtf8());
    metadata.insert(QStringLiteral("attestation"), evidence.isObject() ? QJsonValue(evidence.object()) : QJsonValue());

    QStringList tags = settings.tags;
    tags << QStringLiteral("provisioning-station");
    if (!r.model.isEmpty())
        tags << r.model;
    tags.removeDuplicates();
    return QJsonObject{
        {QStringLiteral("id"), lamassuDeviceId(r)},
        {QStringLiteral("dms_id"), dmsId.isEmpty() ? settings.dmsId : dmsId},
        {QStringLiteral("alias"), r.serial},
        {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("icon"), settings.icon},
        {QStringLiteral("icon_color"), settings.iconColor},
    };
}

QString normalizedSerial(const QString &serial)
{
    QString hex;
    hex.reserve(serial.size());
    for (const QChar c : serial) {
        if (c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f'))
            hex.append(c.toLower());
    }
    qsizetype zeros = 0;
    while (zeros + 1 < hex.size() && hex.at(zeros) == u'0')
        ++zeros;
    return hex.mid(zeros);
}

} // namespace station::outbound
