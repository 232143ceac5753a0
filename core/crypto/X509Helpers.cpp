#include "X509Helpers.h"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <QHostAddress>

#include <ctime>

namespace station::crypto::x509 {

namespace {

Result<GeneralNamePtr> makeStringName(int type, const QString &value)
{
    GeneralNamePtr name(GENERAL_NAME_new());
    ASN1_IA5STRING *text = ASN1_IA5STRING_new();
    const QByteArray bytes = value.toUtf8();
    if (!name || !text || ASN1_STRING_set(text, bytes.constData(), static_cast<int>(bytes.size())) != 1) {
        ASN1_IA5STRING_free(text);
        return fail(takeOpenSslError(QStringLiteral("Encoding the subjectAltName %1").arg(value)));
    }
    GENERAL_NAME_set0_value(name.get(), type, text);
    return name;
}

QString ia5Text(const ASN1_STRING *s)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
}

} // namespace

Result<GeneralNamesPtr> toGeneralNames(const QList<SubjectAltName> &names)
{
    GeneralNamesPtr result(GENERAL_NAMES_new());
    if (!result)
        return fail(takeOpenSslError(QStringLiteral("Allocating subjectAltNames")));
    for (const SubjectAltName &san : names) {
        GeneralNamePtr name;
        switch (san.type) {
        case SubjectAltName::Type::Dns:
        case SubjectAltName::Type::Uri:
        case SubjectAltName::Type::Email: {
            const int type = san.type == SubjectAltName::Type::Dns   ? GEN_DNS
                             : san.type == SubjectAltName::Type::Uri ? GEN_URI
                                                                     : GEN_EMAIL;
            auto made = makeStringName(type, san.value);
            if (!made)
                return fail(made.error());
            name = std::move(*made);
            break;
        }
        case SubjectAltName::Type::Ip: {
            const QByteArray text = san.value.toLatin1();
            ASN1_OCTET_STRING *ip = a2i_IPADDRESS(text.constData());
            if (!ip)
                return fail(takeOpenSslError(QStringLiteral("Encoding the IP address %1").arg(san.value),
                                             ErrorCode::InvalidArgument));
            name.reset(GENERAL_NAME_new());
            if (!name) {
                ASN1_OCTET_STRING_free(ip);
                return fail(takeOpenSslError(QStringLiteral("Allocating a subjectAltName")));
            }
            GENERAL_NAME_set0_value(name.get(), GEN_IPADD, ip);
            break;
        }
        case SubjectAltName::Type::OtherName: {
            Asn1ObjectPtr oid = objectFromText(san.value);
            const auto *p = reinterpret_cast<const unsigned char *>(san.otherValue.constData());
            Asn1TypePtr value(d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(san.otherValue.size())));
            if (!oid || !value)
                return fail(takeOpenSslError(QStringLiteral("Encoding the otherName %1").arg(san.value),
                                             ErrorCode::InvalidArgument));
            name.reset(GENERAL_NAME_new());
            if (!name || GENERAL_NAME_set0_othername(name.get(), oid.get(), value.get()) != 1)
                return fail(takeOpenSslError(QStringLiteral("Encoding the otherName %1").arg(san.value)));
            (void)oid.release();
            (void)value.release();
            break;
        }
        }
        if (sk_GENERAL_NAME_push(result.get(), name.get()) <= 0)
            return fail(takeOpenSslError(QStringLiteral("Adding a subjectAltName")));
        (void)name.release();
    }
    return result;
}

QList<SubjectAltName> fromGeneralNames(const GENERAL_NAMES *names)
{
    QList<SubjectAltName> result;
    if (!names)
        return result;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        SubjectAltName san;
        int type = 0;
        void *value = GENERAL_NAME_get0_value(name, &type);
        switch (type) {
        case GEN_DNS:
            san.type = SubjectAltName::Type::Dns;
            san.value = ia5Text(static_cast<const ASN1_STRING *>(value));
            break;
        case GEN_URI:
            san.type = SubjectAltName::Type::Uri;
            san.value = ia5Text(static_cast<const ASN1_STRING *>(value));
            break;
        case GEN_EMAIL:
            san.type = SubjectAltName::Type::Email;
            san.value = ia5Text(static_cast<const ASN1_STRING *>(value));
            break;
        case GEN_IPADD: {
            const auto *ip = static_cast<const ASN1_OCTET_STRING *>(value);
            const unsigned char *data = ASN1_STRING_get0_data(ip);
            const int len = ASN1_STRING_length(ip);
            QHostAddress address;
            if (len == 4) {
                address.setAddress(quint32(data[0]) << 24 | quint32(data[1]) << 16 | quint32(data[2]) << 8 |
                                   quint32(data[3]));
            } else if (len == 16) {
                address.setAddress(data);
            } else {
                continue;
            }
            san.type = SubjectAltName::Type::Ip;
            san.value = address.toString();
            break;
        }
        case GEN_OTHERNAME: {
            ASN1_OBJECT *oid = nullptr;
            ASN1_TYPE *other = nullptr;
            if (GENERAL_NAME_get0_otherName(name, &oid, &other) != 1)
                continue;
            san.type = SubjectAltName::Type::OtherName;
            san.value = oidToText(oid);
            san.otherValue = toDerBytes(other, i2d_ASN1_TYPE);
            break;
        }
        default: continue;
        }
        result.append(san);
    }
    return result;
}

Asn1BitStringPtr keyUsageBits(unsigned mask)
{
    Asn1BitStringPtr bits(ASN1_BIT_STRING_new());
    if (!bits)
        return bits;
    for (int bit = 0; bit < 8; ++bit) {
        if (mask & (0x80u >> bit))
            ASN1_BIT_STRING_set_bit(bits.get(), bit, 1);
    }
    return bits;
}

unsigned keyUsageMask(const ASN1_BIT_STRING *bits)
{
    unsigned mask = 0;
    for (int bit = 0; bit < 8; ++bit) {
        if (ASN1_BIT_STRING_get_bit(bits, bit))
            mask |= 0x80u >> bit;
    }
    return mask;
}

Result<ExtendedKeyUsagePtr> toExtendedKeyUsage(const QStringList &usages)
{
    ExtendedKeyUsagePtr eku(EXTENDED_KEY_USAGE_new());
    if (!eku)
        return fail(takeOpenSslError(QStringLiteral("Allocating extendedKeyUsage")));
    for (const QString &usage : usages) {
        Asn1ObjectPtr oid = objectFromText(usage.trimmed());
        if (!oid)
            return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown extended key usage \"%1\"").arg(usage), {},
                        QStringLiteral("Use a dotted OID or a name such as clientAuth or serverAuth"));
        if (sk_ASN1_OBJECT_push(eku.get(), oid.get()) <= 0)
            return fail(takeOpenSslError(QStringLiteral("Adding an extended key usage")));
        (void)oid.release();
    }
    return eku;
}

QStringList fromExtendedKeyUsage(const EXTENDED_KEY_USAGE *eku)
{
    QStringList result;
    for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku); ++i)
        result << oidToText(sk_ASN1_OBJECT_value(eku, i));
    return result;
}

const EVP_MD *signingDigest(const EVP_PKEY *key)
{
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448: return nullptr;
    case EVP_PKEY_EC: {
        const int bits = EVP_PKEY_get_bits(key);
        if (bits > 384)
            return EVP_sha512();
        if (bits > 256)
            return EVP_sha384();
        return EVP_sha256();
    }
    default: return EVP_sha256();
    }
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    struct tm tm = {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1) {
        ERR_clear_error();
        return {};
    }
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), QTime(tm.tm_hour, tm.tm_min, tm.tm_sec),
                     Qt::UTC);
}

Result<X509ExtensionPtr> makeExtension(const QString &oid, bool critical, const QByteArray &valueDer)
{
    Asn1ObjectPtr object = objectFromText(oid);
    if (!object)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown extension OID \"%1\"").arg(oid));
    Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
    if (!value || ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char *>(valueDer.constData()),
                                        static_cast<int>(valueDer.size())) != 1)
        return fail(takeOpenSslError(QStringLiteral("Encoding the extension %1").arg(oid)));
    X509ExtensionPtr extension(X509_EXTENSION_create_by_OBJ(nullptr, object.get(), critical ? 1 : 0, value.get()));
    if (!extension)
        return fail(takeOpenSslError(QStringLiteral("Creating the extension %1").arg(oid)));
    return extension;
}

} // namespace station::crypto::x509
