#include "CsrAttributes.h"

#include "Der.h"

#include <openssl/objects.h>

namespace station::crypto {

namespace {

namespace oid {
const QString challengePassword = QStringLiteral("1.2.840.113549.1.9.7");
const QString extensionRequest = QStringLiteral("1.2.840.113549.1.9.14");
const QString ecPublicKey = QStringLiteral("1.2.840.10045.2.1");
const QString rsaEncryption = QStringLiteral("1.2.840.113549.1.1.1");
const QString ed25519 = QStringLiteral("1.3.101.112");
const QString csrTemplate =
    QStringLiteral("1.2.840.113549.1.9.16.2.61"); // RFC 9908 id-aa-certificationRequestInfoTemplate
const QString extReqTemplate = QStringLiteral("1.2.840.113549.1.9.16.2.62"); // RFC 9908 id-aa-extensionReqTemplate
} // namespace oid

bool isSignatureAlgorithm(const QString &o)
{
    static const QStringList kOids = {
        QStringLiteral("1.2.840.10045.4.3.2"),   QStringLiteral("1.2.840.10045.4.3.3"),
        QStringLiteral("1.2.840.10045.4.3.4"),   QStringLiteral("1.2.840.113549.1.1.11"),
        QStringLiteral("1.2.840.113549.1.1.12"), QStringLiteral("1.2.840.113549.1.1.13"),
        QStringLiteral("1.2.840.113549.1.1.10"), oid::ed25519,
    };
    return kOids.contains(o);
}

std::optional<KeyType> curveKeyType(const QString &curve)
{
    if (curve == u"1.2.840.10045.3.1.7")
        return KeyType::EcP256;
    if (curve == u"1.3.132.0.34")
        return KeyType::EcP384;
    if (curve == u"1.3.132.0.35")
        return KeyType::EcP521;
    return std::nullopt;
}

std::optional<KeyType> rsaKeyType(qint64 bits)
{
    if (bits <= 0 || bits > 4096)
        return std::nullopt;
    if (bits <= 2048)
        return KeyType::Rsa2048;
    if (bits <= 3072)
        return KeyType::Rsa3072;
    return KeyType::Rsa4096;
}

bool isNameAttributeType(const QString &o)
{
    return o.startsWith(QStringLiteral("2.5.4.")) || o == u"1.2.840.113549.1.9.1" ||
           o == u"0.9.2342.19200300.100.1.25" || o == u"0.9.2342.19200300.100.1.1";
}

QString shortName(const QString &dotted)
{
    const QByteArray latin = dotted.toLatin1();
    ASN1_OBJECT *object = OBJ_txt2obj(latin.constData(), 1);
    const int nid = object ? OBJ_obj2nid(object) : NID_undef;
    ASN1_OBJECT_free(object);
    const char *sn = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
    return sn ? QString::fromLatin1(sn) : dotted;
}

/// Text of a DER string value (UTF8String, PrintableString, IA5String, T61String), else hex.
QString valueText(QByteArrayView valueDer)
{
    auto tlv = der::readTlv(valueDer);
    if (!tlv)
        return {};
    switch (tlv->tag) {
    case 0x0c:
    case 0x13:
    case 0x14:
    case 0x16: return QString::fromUtf8(tlv->content.data(), tlv->content.size());
    default: return QString::fromLatin1(valueDer.toByteArray().toHex());
    }
}

std::optional<QString> readOid(QByteArrayView tlvBytes)
{
    auto tlv = der::readTlv(tlvBytes);
    if (!tlv || tlv->tag != der::ObjectIdentifier)
        return std::nullopt;
    auto text = der::decodeOid(tlv->content);
    return text ? std::optional<QString>(*text) : std::nullopt;
}

/// The elements inside a constructed value.
QList<der::Tlv> children(QByteArrayView content)
{
    QList<der::Tlv> result;
    while (!content.isEmpty()) {
        auto tlv = der::readTlv(content);
        if (!tlv)
            break;
        result.append(*tlv);
        content = content.sliced(tlv->whole.size());
    }
    return result;
}

class Interpreter
{
public:
    CsrAttrRequirements req;

    void bareOid(const QString &o)
    {
        if (o == oid::challengePassword) {
            req.challengePassword = true;
        } else if (isSignatureAlgorithm(o)) {
            req.signatureAlgorithmOid = o;
            if (o == oid::ed25519)
                req.keyType = KeyType::Ed25519;
        } else if (o == oid::rsaEncryption) {
            if (!req.keyType)
                req.keyType = KeyType::Rsa2048;
        } else if (o == oid::ecPublicKey) {
            if (!req.keyType)
                req.keyType = KeyType::EcP256;
        } else if (o.startsWith(QStringLiteral("2.5.29."))) {
            addExtensionOid(o);
        } else if (isNameAttributeType(o)) {
            req.subjectTemplate.append({shortName(o), QString()});
        } else {
            req.unrecognised.append(o);
        }
    }

    void addExtensionOid(const QString &o)
    {
        if (!req.requestedExtensionOids.contains(o))
            req.requestedExtensionOids.append(o);
    }

    /// Extensions / ExtensionTemplates: SEQUENCE OF SEQUENCE { extnID, critical?, extnValue? }.
    void extensions(const der::Tlv &sequence)
    {
        QList<der::Tlv> list = children(sequence.content);
        // Some servers (and an RFC 9908 draft example) put a single Extension where Extensions belongs.
        if (!list.isEmpty() && list.first().tag == der::ObjectIdentifier)
            list = {sequence};
        for (const der::Tlv &extension : list) {
            const QList<der::Tlv> fields = children(extension.content);
            if (extension.tag != der::Sequence || fields.isEmpty())
                continue;
            auto id = readOid(fields[0].whole);
            if (!id)
                continue;
            addExtensionOid(*id);
            for (qsizetype i = 1; i < fields.size(); ++i) {
                if (fields[i].tag == der::OctetString)
                    req.extensionTemplates.append({*id, fields[i].content.toByteArray()});
            }
        }
    }

    void attribute(const QString &type, const QList<QByteArray> &values)
    {
        if (type == oid::challengePassword) {
            req.challengePassword = true;
        } else if (type == oid::ecPublicKey) {
            bool known = false;
            for (const QByteArray &value : values) {
                if (auto curve = readOid(value); curve && curveKeyType(*curve)) {
                    req.keyType = curveKeyType(*curve);
                    known = true;
                }
            }
            if (!known)
                req.unrecognised.append(type);
        } else if (type == oid::rsaEncryption) {
            bool known = false;
            for (const QByteArray &value : values) {
                auto tlv = der::readTlv(value);
                if (!tlv || tlv->tag != der::Integer || tlv->content.isEmpty() || tlv->content.size() > 4)
                    continue;
                qint64 bits = 0;
                for (const char c : tlv->content)
                    bits = (bits << 8) | static_cast<unsigned char>(c);
                if (auto type2 = rsaKeyType(bits)) {
                    req.keyType = type2;
                    known = true;
                }
            }
            if (!known)
                req.unrecognised.append(type);
        } else if (type == oid::extensionRequest || type == oid::extReqTemplate) {
            for (const QByteArray &value : values) {
                auto tlv = der::readTlv(value);
                if (!tlv)
                    continue;
                if (tlv->tag == der::ObjectIdentifier) {
                    // RFC 7030-style: the OID of something to include.
                    auto o = der::decodeOid(tlv->content);
                    if (!o)
                        continue;
                    if (isNameAttributeType(*o))
                        req.subjectTemplate.append({shortName(*o), QString()});
                    else
                        addExtensionOid(*o);
                } else if (tlv->tag == der::Sequence) {
                    extensions(*tlv);
                }
            }
        } else if (type == oid::csrTemplate) {
            for (const QByteArray &value : values)
                csrTemplate(value);
        } else {
            req.unrecognised.append(type);
        }
    }

    /// RFC 9908 CertificationRequestInfoTemplate.
    void csrTemplate(const QByteArray &value)
    {
        auto outer = der::readTlv(value);
        if (!outer || outer->tag != der::Sequence)
            return;
        for (const der::Tlv &field : children(outer->content)) {
            if (field.tag == der::Sequence) { // subject NameTemplate
                for (const der::Tlv &rdn : children(field.content)) {
                    for (const der::Tlv &single : children(rdn.content)) {
                        const QList<der::Tlv> parts = children(single.content);
                        if (parts.isEmpty())
                            continue;
                        auto type = readOid(parts[0].whole);
                        if (!type)
                            continue;
                        req.subjectTemplate.append(
                            {shortName(*type), parts.size() > 1 ? valueText(parts[1].whole) : QString()});
                    }
                }
            } else if (field.tag == 0xa0) { // [0] SubjectPublicKeyInfoTemplate
                publicKeyTemplate(field);
            } else if (field.tag == 0xa1) { // [1] Attributes
                for (const der::Tlv &attr : children(field.content)) {
                    const QList<der::Tlv> parts = children(attr.content);
                    if (parts.size() < 2)
                        continue;
                    auto type = readOid(parts[0].whole);
                    if (!type)
                        continue;
                    QList<QByteArray> values;
                    for (const der::Tlv &v : children(parts[1].content))
                        values.append(v.whole.toByteArray());
                    attribute(*type, values);
                }
            }
        }
    }

    void publicKeyTemplate(const der::Tlv &spki)
    {
        const QList<der::Tlv> parts = children(spki.content);
        if (parts.isEmpty() || parts[0].tag != der::Sequence)
            return;
        const QList<der::Tlv> algorithm = children(parts[0].content);
        if (algorithm.isEmpty())
            return;
        auto algorithmOid = readOid(algorithm[0].whole);
        if (!algorithmOid)
            return;
        if (*algorithmOid == oid::ecPublicKey && algorithm.size() > 1) {
            if (auto curve = readOid(algorithm[1].whole))
                req.keyType = curveKeyType(*curve);
        } else if (*algorithmOid == oid::ed25519) {
            req.keyType = KeyType::Ed25519;
        } else if (*algorithmOid == oid::rsaEncryption) {
            req.keyType = KeyType::Rsa2048;
            // A dummy public key of the wanted modulus length: BIT STRING { 00, RSAPublicKey }.
            if (parts.size() > 1 && parts[1].tag == der::BitString && parts[1].content.size() > 1) {
                auto rsa = der::readTlv(parts[1].content.sliced(1));
                const QList<der::Tlv> ints = rsa ? children(rsa->content) : QList<der::Tlv>();
                if (!ints.isEmpty() && ints[0].tag == der::Integer) {
                    QByteArrayView modulus = ints[0].content;
                    while (!modulus.isEmpty() && modulus.front() == '\0')
                        modulus = modulus.sliced(1);
                    if (auto t = rsaKeyType(modulus.size() * 8))
                        req.keyType = t;
                }
            }
        } else {
            req.unrecognised.append(*algorithmOid);
        }
    }
};

std::unexpected<Error> attrsError(const QString &what)
{
    return fail(
        ErrorCode::Parse, QStringLiteral("Malformed CSR attributes: %1").arg(what), {},
        QStringLiteral("The EST server's /csrattrs answer is not a valid CsrAttrs structure (RFC 7030 §4.5.2)"));
}

} // namespace

Result<CsrAttributes> CsrAttributes::fromDer(const QByteArray &der)
{
    auto outer = der::readTlv(der);
    if (!outer)
        return attrsError(outer.error().message);
    if (outer->tag != der::Sequence)
        return attrsError(
            QStringLiteral("expected a SEQUENCE, found tag 0x%1").arg(outer->tag, 2, 16, QLatin1Char('0')));
    if (outer->whole.size() != der.size())
        return attrsError(QStringLiteral("%1 bytes of trailing data").arg(der.size() - outer->whole.size()));
    QList<CsrAttrItem> items;
    QByteArrayView rest = outer->content;
    while (!rest.isEmpty()) {
        const int index = int(items.size()) + 1;
        auto element = der::readTlv(rest);
        if (!element)
            return attrsError(QStringLiteral("element %1: %2").arg(index).arg(element.error().message));
        rest = rest.sliced(element->whole.size());
        CsrAttrItem item;
        if (element->tag == der::ObjectIdentifier) {
            auto text = der::decodeOid(element->content);
            if (!text)
                return attrsError(QStringLiteral("element %1: %2").arg(index).arg(text.error().message));
            item.oid = *text;
        } else if (element->tag == der::Sequence) {
            auto type = der::readTlv(element->content);
            if (!type || type->tag != der::ObjectIdentifier)
                return attrsError(QStringLiteral("element %1: an Attribute must start with its type OID").arg(index));
            auto text = der::decodeOid(type->content);
            if (!text)
                return attrsError(QStringLiteral("element %1: %2").arg(index).arg(text.error().message));
            QByteArrayView afterType = element->content.sliced(type->whole.size());
            auto set = der::readTlv(afterType);
            if (!set || set->tag != der::Set)
                return attrsError(
                    QStringLiteral("element %1 (%2): the attribute values must be a SET").arg(index).arg(*text));
            if (set->whole.size() != afterType.size())
                return attrsError(
                    QStringLiteral("element %1 (%2): unexpected data after the values").arg(index).arg(*text));
            if (set->content.isEmpty())
                return attrsError(QStringLiteral("element %1 (%2): the attribute has no values").arg(index).arg(*text));
            item.oid = *text;
            item.isAttribute = true;
            QByteArrayView values = set->content;
            while (!values.isEmpty()) {
                auto value = der::readTlvDeep(values);
                if (!value)
                    return attrsError(
                        QStringLiteral("element %1 (%2): %3").arg(index).arg(*text, value.error().message));
                item.valuesDer.append(value->whole.toByteArray());
                values = values.sliced(value->whole.size());
            }
        } else {
            return attrsError(QStringLiteral("element %1 is neither an OBJECT IDENTIFIER nor an Attribute (tag 0x%2)")
                                  .arg(index)
                                  .arg(element->tag, 2, 16, QLatin1Char('0')));
        }
        items.append(std::move(item));
    }
    return CsrAttributes(std::move(items));
}

QByteArray CsrAttributes::toDer() const
{
    QByteArray content;
    for (const CsrAttrItem &item : m_items) {
        auto oidContent = der::encodeOidContent(item.oid);
        if (!oidContent)
            continue; // addOid/addAttribute only store valid OIDs; items set directly are skipped if bad
        const QByteArray oidTlv = der::encodeTlv(der::ObjectIdentifier, *oidContent);
        if (!item.isAttribute) {
            content += oidTlv;
            continue;
        }
        QByteArray values;
        for (const QByteArray &value : item.valuesDer)
            values += value;
        content += der::encodeTlv(der::Sequence, oidTlv + der::encodeTlv(der::Set, values));
    }
    return der::encodeTlv(der::Sequence, content);
}

void CsrAttributes::addOid(const QString &oid)
{
    m_items.append({oid, false, {}});
}

void CsrAttributes::addAttribute(const QString &oid, const QList<QByteArray> &valuesDer)
{
    m_items.append({oid, true, valuesDer});
}

CsrAttrRequirements CsrAttributes::requirements() const
{
    Interpreter interpreter;
    // RFC 9908 §4: a client that understands the template uses it and ignores the rest, except that
    // the rest still names e.g. challengePassword; we read the template last so that it wins.
    const CsrAttrItem *templ = nullptr;
    for (const CsrAttrItem &item : m_items) {
        if (item.isAttribute && item.oid == oid::csrTemplate) {
            templ = &item;
            continue;
        }
        if (item.isAttribute)
            interpreter.attribute(item.oid, item.valuesDer);
        else
            interpreter.bareOid(item.oid);
    }
    if (templ)
        interpreter.attribute(templ->oid, templ->valuesDer);
    return interpreter.req;
}

} // namespace station::crypto
