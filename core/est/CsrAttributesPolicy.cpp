#include "CsrAttributesPolicy.h"

#include <QHash>

namespace station::est {

using crypto::KeyType;

namespace {

const QString kSubjectAltName = QStringLiteral("2.5.29.17");
const QString kKeyUsage = QStringLiteral("2.5.29.15");
const QString kExtKeyUsage = QStringLiteral("2.5.29.37");

const QHash<QString, QString> &oidNames()
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("1.2.840.113549.1.9.7"), QStringLiteral("challengePassword")},
        {QStringLiteral("1.2.840.113549.1.9.14"), QStringLiteral("extensionRequest")},
        {QStringLiteral("1.2.840.113549.1.9.1"), QStringLiteral("emailAddress")},
        {QStringLiteral("2.5.29.17"), QStringLiteral("subjectAltName")},
        {QStringLiteral("2.5.29.15"), QStringLiteral("keyUsage")},
        {QStringLiteral("2.5.29.37"), QStringLiteral("extendedKeyUsage")},
        {QStringLiteral("2.5.29.19"), QStringLiteral("basicConstraints")},
        {QStringLiteral("2.5.4.3"), QStringLiteral("commonName")},
        {QStringLiteral("2.5.4.5"), QStringLiteral("serialNumber")},
        {QStringLiteral("2.5.4.6"), QStringLiteral("countryName")},
        {QStringLiteral("2.5.4.10"), QStringLiteral("organizationName")},
        {QStringLiteral("2.5.4.11"), QStringLiteral("organizationalUnitName")},
        {QStringLiteral("1.2.840.10045.2.1"), QStringLiteral("id-ecPublicKey")},
        {QStringLiteral("1.2.840.113549.1.1.1"), QStringLiteral("rsaEncryption")},
        {QStringLiteral("1.3.101.112"), QStringLiteral("Ed25519")},
        {QStringLiteral("1.2.840.10045.4.3.2"), QStringLiteral("ecdsa-with-SHA256")},
        {QStringLiteral("1.2.840.10045.4.3.3"), QStringLiteral("ecdsa-with-SHA384")},
        {QStringLiteral("1.2.840.10045.4.3.4"), QStringLiteral("ecdsa-with-SHA512")},
        {QStringLiteral("1.2.840.113549.1.1.11"), QStringLiteral("sha256WithRSAEncryption")},
        {QStringLiteral("1.2.840.113549.1.1.12"), QStringLiteral("sha384WithRSAEncryption")},
        {QStringLiteral("1.2.840.113549.1.1.13"), QStringLiteral("sha512WithRSAEncryption")},
    };
    return names;
}

/// The signature algorithm CertificateRequest::create uses for a key type.
QString signatureOidFor(KeyType type)
{
    switch (type) {
    case KeyType::Rsa2048:
    case KeyType::Rsa3072:
    case KeyType::Rsa4096: return QStringLiteral("1.2.840.113549.1.1.11");
    case KeyType::EcP256: return QStringLiteral("1.2.840.10045.4.3.2");
    case KeyType::EcP384: return QStringLiteral("1.2.840.10045.4.3.3");
    case KeyType::EcP521: return QStringLiteral("1.2.840.10045.4.3.4");
    case KeyType::Ed25519: return QStringLiteral("1.3.101.112");
    }
    return {};
}

QString shortName(const QString &type)
{
    static const QHash<QString, QString> shortNames = {
        {QStringLiteral("2.5.4.3"), QStringLiteral("CN")},
        {QStringLiteral("2.5.4.5"), QStringLiteral("serialNumber")},
        {QStringLiteral("2.5.4.6"), QStringLiteral("C")},
        {QStringLiteral("2.5.4.10"), QStringLiteral("O")},
        {QStringLiteral("2.5.4.11"), QStringLiteral("OU")},
        {QStringLiteral("2.5.4.7"), QStringLiteral("L")},
        {QStringLiteral("2.5.4.8"), QStringLiteral("ST")},
        {QStringLiteral("commonName"), QStringLiteral("CN")},
        {QStringLiteral("organizationName"), QStringLiteral("O")},
        {QStringLiteral("countryName"), QStringLiteral("C")},
    };
    return shortNames.value(type, type);
}

bool subjectHas(const crypto::DistinguishedName &dn, const QString &type)
{
    const QString wanted = shortName(type);
    for (const auto &a : dn.attributes()) {
        if (shortName(a.type).compare(wanted, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool specHasExtension(const crypto::CsrSpec &spec, const QString &oid)
{
    if (oid == kSubjectAltName)
        return !spec.subjectAltNames.isEmpty();
    if (oid == kKeyUsage)
        return spec.keyUsage != 0;
    if (oid == kExtKeyUsage)
        return !spec.extendedKeyUsages.isEmpty();
    for (const auto &e : spec.extraExtensions) {
        if (e.oid == oid)
            return true;
    }
    return false;
}

QString keyTypeLabel(KeyType t)
{
    return crypto::keyTypeName(t);
}

} // namespace

QString CsrAttributesPolicy::describeOid(const QString &oid)
{
    const QString name = oidNames().value(oid);
    return name.isEmpty() ? oid : QStringLiteral("%1 (%2)").arg(name, oid);
}

CsrPlan CsrAttributesPolicy::apply(const crypto::CsrAttributes &attributes, const crypto::CsrSpec &spec,
                                   std::optional<KeyType> keyType, bool keyIsFixed, const QString &challengePassword)
{
    CsrPlan plan;
    plan.spec = spec;
    plan.keyType = keyType;
    if (attributes.isEmpty())
        return plan;
    const crypto::CsrAttrRequirements req = attributes.requirements();

    if (req.challengePassword) {
        if (!challengePassword.isEmpty()) {
            plan.spec.challengePassword = challengePassword;
            plan.applied << QStringLiteral("challengePassword included as the server asks");
        } else if (plan.spec.challengePassword.isEmpty()) {
            plan.notHonoured << QStringLiteral("the server asks for a challengePassword and none was given");
        }
    }

    if (req.keyType) {
        if (!keyType) {
            if (keyIsFixed)
                plan.notHonoured << QStringLiteral("the server asks for a %1 key; the given key is used as it is")
                                        .arg(keyTypeLabel(*req.keyType));
            else {
                plan.keyType = req.keyType;
                plan.applied << QStringLiteral("key type %1 as the server asks").arg(keyTypeLabel(*req.keyType));
            }
        } else if (*keyType != *req.keyType) {
            plan.notHonoured << QStringLiteral("the server asks for a %1 key; %2 is used as requested")
                                    .arg(keyTypeLabel(*req.keyType), keyTypeLabel(*keyType));
        }
    }

    if (!req.signatureAlgorithmOid.isEmpty()) {
        const std::optional<KeyType> effective = plan.keyType;
        if (effective && signatureOidFor(*effective) != req.signatureAlgorithmOid)
            plan.notHonoured << QStringLiteral("the server asks for signature algorithm %1; the CSR is signed with %2")
                                    .arg(describeOid(req.signatureAlgorithmOid),
                                         describeOid(signatureOidFor(*effective)));
    }

    for (const auto &[type, value] : req.subjectTemplate) {
        if (subjectHas(plan.spec.subject, type))
            continue;
        if (!value.isEmpty()) {
            plan.spec.subject.append(shortName(type), value);
            plan.applied << QStringLiteral("subject %1=%2 from the server's template").arg(shortName(type), value);
        } else {
            plan.notHonoured << QStringLiteral("the server asks for subject attribute %1, which the subject lacks")
                                    .arg(describeOid(type));
        }
    }

    for (const auto &[oid, valueDer] : req.extensionTemplates) {
        if (specHasExtension(plan.spec, oid))
            continue;
        plan.spec.extraExtensions.append({oid, false, valueDer});
        plan.applied << QStringLiteral("extension %1 from the server's template").arg(describeOid(oid));
    }
    for (const QString &oid : req.requestedExtensionOids) {
        if (specHasExtension(plan.spec, oid))
            continue;
        QString hint;
        if (oid == kSubjectAltName)
            hint = QStringLiteral(" (give --san)");
        plan.notHonoured
            << QStringLiteral("the server asks for extension %1, which the CSR lacks%2").arg(describeOid(oid), hint);
    }
    for (const QString &oid : req.unrecognised)
        plan.notHonoured << QStringLiteral("the station does not know how to honour %1").arg(describeOid(oid));
    return plan;
}

QStringList CsrAttributesPolicy::check(const crypto::CsrAttributes &attributes, const crypto::CertificateRequest &csr)
{
    QStringList out;
    if (attributes.isEmpty())
        return out;
    const crypto::CsrAttrRequirements req = attributes.requirements();
    if (req.challengePassword && csr.challengePassword().isEmpty())
        out << QStringLiteral("the server asks for a challengePassword; the CSR has none");
    const crypto::PrivateKey key = csr.publicKey();
    if (req.keyType && key.keyType() != req.keyType)
        out << QStringLiteral("the server asks for a %1 key; the CSR has %2")
                   .arg(keyTypeLabel(*req.keyType), key.algorithmName());
    for (const auto &[type, value] : req.subjectTemplate) {
        Q_UNUSED(value)
        if (!subjectHas(csr.subject(), type))
            out << QStringLiteral("the server asks for subject attribute %1; the CSR lacks it").arg(describeOid(type));
    }
    QStringList present;
    for (const auto &e : csr.requestedExtensions())
        present << e.oid;
    QStringList wanted = req.requestedExtensionOids;
    for (const auto &t : req.extensionTemplates)
        wanted << t.first;
    wanted.removeDuplicates();
    for (const QString &oid : wanted) {
        if (!present.contains(oid))
            out << QStringLiteral("the server asks for extension %1; the CSR lacks it").arg(describeOid(oid));
    }
    return out;
}

} // namespace station::est
