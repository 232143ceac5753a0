#include "DistinguishedName.h"

#include "OpenSslPtr.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

namespace station::crypto {

namespace {

/// The canonical type name: OpenSSL's short name for known attributes ("commonName" and "cn" become
/// "CN"), the dotted OID for unknown but well-formed OIDs, empty when neither.
QString canonicalType(const QString &type)
{
    const QString t = type.trimmed();
    if (t.isEmpty())
        return {};
    auto lookup = [](const QString &name) {
        const QByteArray latin = name.toLatin1();
        return OBJ_txt2nid(latin.constData());
    };
    int nid = lookup(t);
    if (nid == NID_undef)
        nid = lookup(t.toUpper());
    if (nid == NID_undef) {
        // Case-insensitive match of long names ("commonname", "organizationName").
        static const int kCommon[] = {NID_commonName,   NID_organizationName,   NID_organizationalUnitName,
                                      NID_countryName,  NID_localityName,       NID_stateOrProvinceName,
                                      NID_serialNumber, NID_pkcs9_emailAddress, NID_domainComponent,
                                      NID_userId,       NID_givenName,          NID_surname,
                                      NID_title,        NID_streetAddress,      NID_postalCode};
        for (const int candidate : kCommon) {
            if (t.compare(QLatin1String(OBJ_nid2ln(candidate)), Qt::CaseInsensitive) == 0 ||
                t.compare(QLatin1String(OBJ_nid2sn(candidate)), Qt::CaseInsensitive) == 0) {
                nid = candidate;
                break;
            }
        }
    }
    ERR_clear_error();
    if (nid != NID_undef) {
        const char *sn = OBJ_nid2sn(nid);
        if (sn)
            return QString::fromLatin1(sn);
    }
    // An unknown but syntactically valid dotted OID.
    bool dotted = t.contains(QLatin1Char('.'));
    for (const QChar c : t)
        dotted = dotted && (c.isDigit() || c == QLatin1Char('.'));
    if (dotted && objectFromText(t))
        return t;
    return {};
}

std::unexpected<Error> dnError(const QString &text, const QString &what)
{
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Invalid distinguished name \"%1\": %2").arg(text, what), {},
                QStringLiteral("Write it as \"/CN=device-001/O=Acme\" or \"CN=device-001, O=Acme\""));
}

int hexValue(QChar c)
{
    const ushort u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

/// Splits `text` at unescaped `separator`s (a backslash escapes the next character; quotes group in the
/// RFC 4514 form). Escapes are kept for the value parser.
QStringList splitUnescaped(const QString &text, QChar separator, bool honourQuotes)
{
    QStringList parts;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            current += c;
            current += text[++i];
            continue;
        }
        if (honourQuotes && c == QLatin1Char('"'))
            quoted = !quoted;
        if (c == separator && !quoted) {
            parts << current;
            current.clear();
            continue;
        }
        current += c;
    }
    parts << current;
    return parts;
}

/// Removes RFC 4514 escaping (\, \\ \"  \2C hex pairs) and surrounding quotes from a value.
Result<QString> unescapeValue(const QString &raw, const QString &whole)
{
    QString v = raw;
    if (v.size() >= 2 && v.startsWith(QLatin1Char('"')) && v.endsWith(QLatin1Char('"')))
        v = v.mid(1, v.size() - 2);
    if (v.startsWith(QLatin1Char('#')))
        return dnError(whole, QStringLiteral("hex-encoded (#...) values are not supported"));
    QByteArray utf8;
    for (qsizetype i = 0; i < v.size(); ++i) {
        const QChar c = v[i];
        if (c != QLatin1Char('\\')) {
            utf8 += QString(c).toUtf8();
            continue;
        }
        if (i + 1 >= v.size())
            return dnError(whole, QStringLiteral("a value ends with a lone backslash"));
        const QChar next = v[i + 1];
        const int hi = hexValue(next);
        const int lo = i + 2 < v.size() ? hexValue(v[i + 2]) : -1;
        if (hi >= 0 && lo >= 0) {
            utf8 += char(hi * 16 + lo);
            i += 2;
        } else {
            utf8 += QString(next).toUtf8();
            ++i;
        }
    }
    return QString::fromUtf8(utf8);
}

QString escape4514(const QString &value)
{
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value[i];
        const bool special = QStringLiteral(",+\"\\<>;=").contains(c);
        const bool edgeSpace = c == QLatin1Char(' ') && (i == 0 || i == value.size() - 1);
        const bool leadingHash = c == QLatin1Char('#') && i == 0;
        if (special || edgeSpace || leadingHash)
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

} // namespace

Result<DistinguishedName> DistinguishedName::parse(const QString &text)
{
    const QString input = text.trimmed();
    if (input.isEmpty())
        return dnError(text, QStringLiteral("it is empty"));
    const bool slashForm = input.startsWith(QLatin1Char('/'));
    QStringList parts = slashForm ? splitUnescaped(input.mid(1), QLatin1Char('/'), false)
                                  : splitUnescaped(input, QLatin1Char(','), true);
    if (slashForm && !parts.isEmpty() && parts.last().isEmpty())
        parts.removeLast(); // a trailing slash
    DistinguishedName dn;
    for (const QString &part : parts) {
        const QString rdn = slashForm ? part : part.trimmed();
        const qsizetype eq = rdn.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return dnError(text, QStringLiteral("\"%1\" is not of the form type=value").arg(rdn));
        const QString rawType = rdn.left(eq).trimmed();
        const QString type = canonicalType(rawType);
        if (type.isEmpty())
            return dnError(text, QStringLiteral("unknown attribute type \"%1\"").arg(rawType));
        QString rawValue = rdn.mid(eq + 1);
        if (!slashForm) {
            rawValue = rawValue.trimmed();
            if (splitUnescaped(rawValue, QLatin1Char('+'), true).size() > 1)
                return dnError(text, QStringLiteral("multi-valued RDNs ('+') are not supported; escape it as \\+"));
        }
        auto value = unescapeValue(rawValue, text);
        if (!value)
            return std::unexpected(value.error());
        if (value->isEmpty())
            return dnError(text, QStringLiteral("attribute \"%1\" has an empty value").arg(rawType));
        dn.m_attributes.append({type, *value});
    }
    return dn;
}

DistinguishedName DistinguishedName::fromX509Name(const X509_NAME *name)
{
    DistinguishedName dn;
    if (!name)
        return dn;
    const int count = X509_NAME_entry_count(name);
    for (int i = 0; i < count; ++i) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        const ASN1_OBJECT *object = X509_NAME_ENTRY_get_object(entry);
        const int nid = OBJ_obj2nid(object);
        const QString type =
            nid != NID_undef && OBJ_nid2sn(nid) ? QString::fromLatin1(OBJ_nid2sn(nid)) : oidToText(object);
        QString value;
        unsigned char *utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
        if (len >= 0 && utf8) {
            value = QString::fromUtf8(reinterpret_cast<const char *>(utf8), len);
            OPENSSL_free(utf8);
        } else {
            ERR_clear_error();
        }
        dn.m_attributes.append({type, value});
    }
    return dn;
}

Result<X509_NAME *> DistinguishedName::toX509Name() const
{
    X509NamePtr name(X509_NAME_new());
    if (!name)
        return fail(takeOpenSslError(QStringLiteral("Allocating a name")));
    for (const Attribute &attribute : m_attributes) {
        const QString type = canonicalType(attribute.type);
        if (type.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("Unknown distinguished name attribute type \"%1\"").arg(attribute.type));
        const QByteArray typeLatin = type.toLatin1();
        const QByteArray value = attribute.value.toUtf8();
        if (X509_NAME_add_entry_by_txt(name.get(), typeLatin.constData(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char *>(value.constData()),
                                       static_cast<int>(value.size()), -1, 0) != 1)
            return fail(takeOpenSslError(QStringLiteral("Adding %1=%2 to a name").arg(type, attribute.value),
                                         ErrorCode::InvalidArgument));
    }
    return name.release();
}

QString DistinguishedName::value(const QString &type) const
{
    const QString wanted = canonicalType(type);
    for (const Attribute &attribute : m_attributes) {
        if (attribute.type.compare(type, Qt::CaseInsensitive) == 0 ||
            (!wanted.isEmpty() && canonicalType(attribute.type) == wanted))
            return attribute.value;
    }
    return {};
}

QString DistinguishedName::toString() const
{
    QStringList parts;
    for (const Attribute &attribute : m_attributes)
        parts << attribute.type + QLatin1Char('=') + escape4514(attribute.value);
    return parts.join(QStringLiteral(", "));
}

QString DistinguishedName::toSlashString() const
{
    QString out;
    for (const Attribute &attribute : m_attributes) {
        QString v = attribute.value;
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('/'), QStringLiteral("\\/"));
        out += QLatin1Char('/') + attribute.type + QLatin1Char('=') + v;
    }
    return out;
}

} // namespace station::crypto
