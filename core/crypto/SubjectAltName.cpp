#include "SubjectAltName.h"

#include "Der.h"

#include <QHostAddress>

namespace station::crypto {

namespace {

std::unexpected<Error> sanError(const QString &text, const QString &what)
{
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Invalid subjectAltName \"%1\": %2").arg(text, what), {},
                QStringLiteral("Write it as DNS:host, IP:10.0.0.1, URI:urn:..., email:a@b or otherName:OID;UTF8:text"));
}

} // namespace

Result<SubjectAltName> SubjectAltName::parse(const QString &text)
{
    const QString input = text.trimmed();
    if (input.isEmpty())
        return sanError(text, QStringLiteral("it is empty"));
    SubjectAltName san;
    QHostAddress bare;
    if (bare.setAddress(input)) {
        san.type = Type::Ip;
        san.value = bare.toString();
        return san;
    }
    const qsizetype colon = input.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        san.type = Type::Dns;
        san.value = input;
        return san;
    }
    const QString prefix = input.left(colon).trimmed().toLower();
    const QString value = input.mid(colon + 1).trimmed();
    if (value.isEmpty())
        return sanError(text, QStringLiteral("the value is empty"));
    if (prefix == u"dns") {
        san.type = Type::Dns;
    } else if (prefix == u"ip" || prefix == u"ip address") {
        QHostAddress address;
        if (!address.setAddress(value))
            return sanError(text, QStringLiteral("\"%1\" is not an IP address").arg(value));
        san.type = Type::Ip;
        san.value = address.toString();
        return san;
    } else if (prefix == u"uri") {
        san.type = Type::Uri;
    } else if (prefix == u"email") {
        if (!value.contains(QLatin1Char('@')))
            return sanError(text, QStringLiteral("an e-mail address needs an '@'"));
        san.type = Type::Email;
    } else if (prefix == u"othername") {
        // otherName:OID;UTF8:text or otherName:OID;DER:hex (OpenSSL config syntax).
        const qsizetype semi = value.indexOf(QLatin1Char(';'));
        if (semi < 0)
            return sanError(text, QStringLiteral("otherName needs OID;UTF8:text or OID;DER:hex"));
        const QString oid = value.left(semi).trimmed();
        if (!der::encodeOidContent(oid))
            return sanError(text, QStringLiteral("\"%1\" is not a dotted OID").arg(oid));
        const QString payload = value.mid(semi + 1);
        if (payload.startsWith(QStringLiteral("UTF8:"), Qt::CaseInsensitive)) {
            san.otherValue = der::encodeTlv(der::Utf8String, payload.mid(5).toUtf8());
        } else if (payload.startsWith(QStringLiteral("DER:"), Qt::CaseInsensitive)) {
            const QByteArray hex = payload.mid(4).toLatin1();
            san.otherValue = QByteArray::fromHex(hex);
            auto tlv = der::readTlv(san.otherValue);
            if (!tlv || tlv->whole.size() != san.otherValue.size())
                return sanError(text, QStringLiteral("the DER value is not one complete DER object"));
        } else {
            return sanError(text, QStringLiteral("otherName needs OID;UTF8:text or OID;DER:hex"));
        }
        san.type = Type::OtherName;
        san.value = oid;
        return san;
    } else {
        return sanError(text, QStringLiteral("unknown type \"%1\"").arg(input.left(colon)));
    }
    san.value = value;
    return san;
}

QString SubjectAltName::toString() const
{
    switch (type) {
    case Type::Dns: return QStringLiteral("DNS:") + value;
    case Type::Ip: return QStringLiteral("IP:") + value;
    case Type::Uri: return QStringLiteral("URI:") + value;
    case Type::Email: return QStringLiteral("email:") + value;
    case Type::OtherName:
        return QStringLiteral("otherName:%1;DER:%2").arg(value, QString::fromLatin1(otherValue.toHex()).toUpper());
    }
    return value;
}

} // namespace station::crypto
