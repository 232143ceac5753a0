#include "CoseSign1.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

namespace station::drivers {

Result<CoseSign1> CoseSign1::decode(const QByteArray &cbor)
{
    QCborParserError error;
    QCborValue value = QCborValue::fromCbor(cbor, &error);
    if (error.error != QCborError::NoError)
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 is not valid CBOR"), error.errorString());
    if (value.isTag()) {
        if (value.tag() != QCborTag(18))
            return fail(ErrorCode::Parse, QStringLiteral("The COSE object is not a COSE_Sign1"),
                        QStringLiteral("CBOR tag %1").arg(static_cast<quint64>(value.tag())));
        value = value.taggedValue();
    }
    if (!value.isArray() || value.toArray().size() != 4)
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 is not a four-element array"));
    const QCborArray a = value.toArray();
    if (!a.at(0).isByteArray() || !a.at(1).isMap() || !(a.at(2).isByteArray() || a.at(2).isNull()) ||
        !a.at(3).isByteArray())
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 elements have the wrong types"));
    CoseSign1 cose;
    cose.protectedHeader = a.at(0).toByteArray();
    if (!cose.protectedHeader.isEmpty()) {
        const QCborValue header = QCborValue::fromCbor(cose.protectedHeader, &error);
        if (error.error != QCborError::NoError || !header.isMap())
            return fail(ErrorCode::Parse, QStringLiteral("The COSE protected header is not a CBOR map"));
        cose.algorithm = static_cast<int>(header.toMap().value(1).toInteger());
    }
    const QCborValue kid = a.at(1).toMap().value(4);
    if (kid.isByteArray())
        cose.keyId = kid.toByteArray();
    cose.payload = a.at(2).toByteArray();
    cose.signature = a.at(3).toByteArray();
    return cose;
}

QByteArray CoseSign1::encode() const
{
    QCborMap unprotected;
    if (!keyId.isEmpty())
        unprotected.insert(4, keyId);
    QCborArray a{protectedHeader, unprotected, payload, signature};
    return QCborValue(QCborTag(18), a).toCbor();
}

QByteArray CoseSign1::toBeSigned() const
{
    return QCborValue(QCborArray{QStringLiteral("Signature1"), protectedHeader, QByteArray(), payload}).toCbor();
}

namespace {

// Reads one DER INTEGER at `pos`; returns its magnitude without leading zeros.
std::optional<QByteArray> readInteger(const QByteArray &der, qsizetype &pos)
{
    if (pos + 2 > der.size() || static_cast<quint8>(der[pos]) != 0x02)
        return std::nullopt;
    const int len = static_cast<quint8>(der[pos + 1]);
    if (len & 0x80 || pos + 2 + len > der.size())
        return std::nullopt;
    QByteArray value = der.mid(pos + 2, len);
    pos += 2 + len;
    while (value.size() > 1 && value[0] == 0)
        value.remove(0, 1);
    return value;
}

QByteArray integer(QByteArray magnitude)
{
    if (magnitude.isEmpty())
        magnitude = QByteArray(1, '\0');
    while (magnitude.size() > 1 && magnitude[0] == 0)
        magnitude.remove(0, 1);
    if (static_cast<quint8>(magnitude[0]) & 0x80)
        magnitude.prepend('\0');
    return QByteArray(1, 0x02) + QByteArray(1, static_cast<char>(magnitude.size())) + magnitude;
}

} // namespace

Result<QByteArray> CoseSign1::derToRaw(const QByteArray &der, int half)
{
    qsizetype pos = 2;
    if (der.size() < 8 || static_cast<quint8>(der[0]) != 0x30)
        return fail(ErrorCode::Parse, QStringLiteral("Not a DER ECDSA signature"));
    if (static_cast<quint8>(der[1]) & 0x80)
        pos = 2 + (static_cast<quint8>(der[1]) & 0x7F);
    const auto r = readInteger(der, pos);
    const auto s = r ? readInteger(der, pos) : std::nullopt;
    if (!r || !s || r->size() > half || s->size() > half)
        return fail(ErrorCode::Parse, QStringLiteral("Not a DER ECDSA signature of this curve size"));
    return QByteArray(half - r->size(), '\0') + *r + QByteArray(half - s->size(), '\0') + *s;
}

QByteArray CoseSign1::rawToDer(const QByteArray &raw)
{
    if (raw.size() < 2)
        return {};
    const qsizetype half = raw.size() / 2;
    const QByteArray body = integer(raw.left(half)) + integer(raw.mid(half));
    return QByteArray(1, 0x30) + QByteArray(1, static_cast<char>(body.size())) + body;
}

} // namespace station::drivers
