#include "Der.h"

#include <QStringList>

namespace station::crypto::der {

namespace {

std::unexpected<Error> derError(const QString &what)
{
    return fail(ErrorCode::Parse, QStringLiteral("Malformed DER: %1").arg(what));
}

} // namespace

Result<Tlv> readTlv(QByteArrayView data)
{
    const auto *p = reinterpret_cast<const quint8 *>(data.data());
    const qsizetype size = data.size();
    if (size < 2)
        return derError(size == 0 ? QStringLiteral("no data") : QStringLiteral("truncated header"));
    Tlv tlv;
    qsizetype pos = 0;
    const quint8 first = p[pos++];
    tlv.constructed = (first & 0x20) != 0;
    if ((first & 0x1f) == 0x1f) {
        quint32 number = 0;
        int count = 0;
        while (true) {
            if (pos >= size)
                return derError(QStringLiteral("truncated tag"));
            const quint8 b = p[pos++];
            if (count == 0 && b == 0x80)
                return derError(QStringLiteral("non-minimal tag number"));
            if (++count > 4)
                return derError(QStringLiteral("tag number too large"));
            number = (number << 7) | (b & 0x7f);
            if (!(b & 0x80))
                break;
        }
        if (number < 31)
            return derError(QStringLiteral("non-minimal tag number"));
        tlv.tag = (quint32(first) << 24) | number;
    } else {
        tlv.tag = first;
    }
    if (pos >= size)
        return derError(QStringLiteral("truncated length"));
    const quint8 lenByte = p[pos++];
    // The length is accumulated in 64 bits from at most 4 octets (so it cannot overflow on any platform) and
    // compared with what is left of the input before it is used in any arithmetic on positions.
    quint64 length = 0;
    if (lenByte < 0x80) {
        length = lenByte;
    } else if (lenByte == 0x80) {
        return derError(QStringLiteral("indefinite length (not allowed in DER)"));
    } else {
        const int count = lenByte & 0x7f;
        if (count > 4)
            return derError(QStringLiteral("length field of %1 octets is too large").arg(count));
        if (count > size - pos)
            return derError(QStringLiteral("truncated length"));
        if (p[pos] == 0)
            return derError(QStringLiteral("non-minimal length encoding"));
        for (int i = 0; i < count; ++i)
            length = (length << 8) | p[pos++];
        if (length < 0x80)
            return derError(QStringLiteral("non-minimal length encoding"));
    }
    if (length > quint64(size - pos))
        return derError(QStringLiteral("value of %1 octets is truncated (%2 available)").arg(length).arg(size - pos));
    tlv.content = data.sliced(pos, qsizetype(length));
    tlv.whole = data.first(pos + qsizetype(length));
    return tlv;
}

Result<Tlv> readTlvDeep(QByteArrayView data, int maxDepth)
{
    auto tlv = readTlv(data);
    if (!tlv)
        return tlv;
    if (tlv->constructed) {
        if (maxDepth <= 0)
            return derError(QStringLiteral("nesting too deep"));
        QByteArrayView rest = tlv->content;
        while (!rest.isEmpty()) {
            auto inner = readTlvDeep(rest, maxDepth - 1);
            if (!inner)
                return std::unexpected(inner.error());
            rest = rest.sliced(inner->whole.size());
        }
    }
    return tlv;
}

Result<QString> decodeOid(QByteArrayView content)
{
    if (content.isEmpty())
        return derError(QStringLiteral("empty OBJECT IDENTIFIER"));
    const auto *p = reinterpret_cast<const quint8 *>(content.data());
    if (p[content.size() - 1] & 0x80)
        return derError(QStringLiteral("truncated OBJECT IDENTIFIER"));
    QStringList parts;
    quint64 value = 0;
    bool startOfArc = true;
    for (qsizetype i = 0; i < content.size(); ++i) {
        const quint8 b = p[i];
        if (startOfArc && b == 0x80)
            return derError(QStringLiteral("non-minimal OBJECT IDENTIFIER arc"));
        // The bound is checked on the accumulated value, so the shift cannot overflow, and on every finished
        // arc below, so that whatever is decoded encodeOidContent() encodes again (same bound).
        if (value > kMaxOidArc + 80)
            return derError(QStringLiteral("OBJECT IDENTIFIER arc too large"));
        value = (value << 7) | (b & 0x7f);
        startOfArc = !(b & 0x80);
        if (startOfArc) {
            quint64 arc = value;
            if (parts.isEmpty()) {
                const quint64 first = value < 40 ? 0 : (value < 80 ? 1 : 2);
                arc = value - first * 40;
                parts << QString::number(first);
            }
            if (arc > kMaxOidArc)
                return derError(QStringLiteral("OBJECT IDENTIFIER arc too large"));
            parts << QString::number(arc);
            value = 0;
        }
    }
    return parts.join(QLatin1Char('.'));
}

Result<QByteArray> encodeOidContent(const QString &dotted)
{
    const QStringList parts = dotted.split(QLatin1Char('.'));
    auto bad = [&] {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a dotted OBJECT IDENTIFIER").arg(dotted));
    };
    if (parts.size() < 2)
        return bad();
    QList<quint64> arcs;
    for (const QString &part : parts) {
        bool ok = false;
        if (part.isEmpty() || !part.front().isDigit())
            return bad();
        const quint64 v = part.toULongLong(&ok);
        if (!ok || v > kMaxOidArc)
            return bad();
        arcs << v;
    }
    if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
        return bad();
    QByteArray out;
    auto put = [&out](quint64 v) {
        QByteArray tmp;
        tmp.prepend(char(v & 0x7f));
        v >>= 7;
        while (v) {
            tmp.prepend(char(0x80 | (v & 0x7f)));
            v >>= 7;
        }
        out += tmp;
    };
    put(arcs[0] * 40 + arcs[1]);
    for (qsizetype i = 2; i < arcs.size(); ++i)
        put(arcs[i]);
    return out;
}

QByteArray encodeLength(qsizetype length)
{
    QByteArray out;
    if (length < 0x80) {
        out.append(char(length));
        return out;
    }
    QByteArray bytes;
    while (length) {
        bytes.prepend(char(length & 0xff));
        length >>= 8;
    }
    out.append(char(0x80 | bytes.size()));
    out += bytes;
    return out;
}

QByteArray encodeTlv(quint8 tag, QByteArrayView content)
{
    QByteArray out;
    out.append(char(tag));
    out += encodeLength(content.size());
    out.append(content.data(), content.size());
    return out;
}

} // namespace station::crypto::der
