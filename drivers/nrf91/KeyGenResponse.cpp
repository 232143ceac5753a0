#include "KeyGenResponse.h"

#include <QCborArray>
#include <QCborValue>
#include <QCryptographicHash>
#include <QUuid>

namespace station::drivers {

namespace {

Result<QByteArray> base64Url(const QByteArray &text, const char *what)
{
    auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                                            QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return fail(ErrorCode::Parse,
                    QStringLiteral("The %KEYGEN answer's %1 is not base64url").arg(QLatin1String(what)),
                    QString::fromLatin1(text.left(40)));
    return decoded.decoded;
}

} // namespace

Result<KeyGenResponse> KeyGenResponse::parse(const QByteArray &value)
{
    QByteArray text = value.trimmed();
    if (text.startsWith('"') && text.endsWith('"') && text.size() >= 2)
        text = text.mid(1, text.size() - 2);
    const QList<QByteArray> parts = text.split('.');
    if (parts.size() > 2 || parts.first().isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The %KEYGEN answer is not <CSR>.<COSE>"),
                    QStringLiteral("%1 dot-separated part(s)").arg(parts.size()));
    KeyGenResponse r;
    auto csr = base64Url(parts.at(0), "CSR");
    if (!csr)
        return std::unexpected(csr.error());
    r.csrDer = *csr;
    if (parts.size() < 2)
        return r;
    auto cose = base64Url(parts.at(1), "COSE part");
    if (!cose)
        return std::unexpected(cose.error());
    r.coseBytes = *cose;
    auto sign1 = CoseSign1::decode(r.coseBytes);
    if (!sign1)
        return std::unexpected(sign1.error());
    r.cose = *sign1;
    QCborParserError error;
    const QCborValue payload = QCborValue::fromCbor(sign1->payload, &error);
    if (error.error != QCborError::NoError || !payload.isArray() || payload.toArray().size() < 4)
        return fail(ErrorCode::Parse,
                    QStringLiteral("The %KEYGEN attestation payload is not the documented CBOR array"));
    const QCborArray a = payload.toArray();
    r.payloadId = cborInt(a.at(0)).value_or(-1);
    r.deviceUuid = a.at(1).toByteArray();
    const QCborValue tag = QCborValue::fromCbor(a.at(2).toByteArray());
    r.secTag = cborInt(tag).value_or(cborInt(a.at(2)).value_or(-1));
    r.csrDigest = a.at(3).toByteArray();
    if (a.size() > 4)
        r.nonce = a.at(4).toByteArray();
    if (r.payloadId != kCsrMessageV1 || r.deviceUuid.size() != 16 || r.csrDigest.size() != 32)
        return fail(ErrorCode::Parse, QStringLiteral("The %KEYGEN attestation payload is not a CSR message"),
                    QStringLiteral("payload id %1, UUID %2 bytes, digest %3 bytes")
                        .arg(r.payloadId)
                        .arg(r.deviceUuid.size())
                        .arg(r.csrDigest.size()));
    return r;
}

QString KeyGenResponse::uuidText() const
{
    return QUuid::fromRfc4122(deviceUuid).toString(QUuid::WithoutBraces).toLower();
}

Result<void> KeyGenResponse::check(const QString &expectedUuid) const
{
    if (!cose)
        return fail(ErrorCode::Verification, QStringLiteral("The modem's CSR came without its COSE attestation"), {},
                    QStringLiteral("Update the modem firmware (v1.3 or later signs %KEYGEN answers)."));
    if (QCryptographicHash::hash(csrDer, QCryptographicHash::Sha256) != csrDigest)
        return fail(
            ErrorCode::Verification, QStringLiteral("The modem's attestation does not cover this CSR"),
            QStringLiteral("COSE digest %1, CSR digest %2")
                .arg(QString::fromLatin1(csrDigest.toHex()),
                     QString::fromLatin1(QCryptographicHash::hash(csrDer, QCryptographicHash::Sha256).toHex())),
            QStringLiteral("The line corrupted the answer or the unit is not genuine; retry, then set it aside."));
    if (uuidText().compare(expectedUuid.trimmed(), Qt::CaseInsensitive) != 0)
        return fail(ErrorCode::Verification, QStringLiteral("The modem's attestation names another device"),
                    QStringLiteral("COSE UUID %1, %DEVICEUUID %2").arg(uuidText(), expectedUuid),
                    QStringLiteral("Set the unit aside: its identity is inconsistent."));
    return {};
}

QByteArray KeyGenResponse::encodePayload(const QByteArray &uuid16, qint64 secTag, const QByteArray &digest,
                                         const QByteArray &nonce)
{
    return QCborValue(QCborArray{kCsrMessageV1, uuid16, QCborValue(secTag).toCbor(), digest, nonce}).toCbor();
}

QByteArray KeyGenResponse::uuidBytes(const QString &uuidText)
{
    return QUuid::fromString(uuidText).toRfc4122();
}

} // namespace station::drivers
